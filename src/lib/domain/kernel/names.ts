import confusables from 'unhomoglyph/data.json';

/**
 * Names people read to tell each other apart: member names, the co-op's name, any one-line text.
 * Two defences (see docs/threat-model.md):
 * - a one-line text must be NFC and hold no invisible or bidirectional-control character, so
 *   "Ada" and "Ada" followed by a zero-width space are not two names that look the same;
 * - a name whose skeleton (UTS #39 style: case-folded, compatibility-normalised, marks and
 *   invisibles removed, confusable letters mapped with the Unicode confusables table shipped by
 *   `unhomoglyph`) equals another member's is refused when written here, and marked when it
 *   arrives from elsewhere.
 */

/** What is wrong with a one-line text as characters go. */
export type LineProblem = 'not-normalised' | 'invisible-character';

/**
 * Characters that show nothing or reorder what is shown: format characters (zero-width spaces and
 * joiners, bidirectional marks, embeddings, overrides and isolates, the soft hyphen), every
 * default-ignorable code point (variation selectors, Hangul fillers, tag characters) and the
 * blank Braille pattern, which renders as a space but is not one.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * Emoji sequences legitimately hold a zero-width joiner or a variation selector: a pictograph,
 * optionally a skin tone or U+FE0F, then more pictographs each after a joiner. They are taken out
 * before looking for invisibles, so "👩‍💻" stays a valid name and a lone joiner does not.
 */
const EMOJI_SEQUENCE =
	/\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?)*/gu;

/** The first problem of a one-line text with its characters, or null. Never throws. */
export function lineProblem(value: string): LineProblem | null {
	if (value !== value.normalize('NFC')) return 'not-normalised';
	if (INVISIBLE.test(value.replace(EMOJI_SEQUENCE, '*'))) return 'invisible-character';
	return null;
}

/**
 * The confusables table maps single code points: looked up one code point at a time, as the
 * library's own replacement does with one regular expression of all 6,311 keys, which costs a
 * phone tens of milliseconds to build when the co-op's code loads.
 */
function unhomoglyph(text: string): string {
	let mapped = '';
	for (const char of text)
		mapped += Object.hasOwn(confusables, char)
			? (confusables as Record<string, string>)[char]
			: char;
	return mapped;
}

const MARKS = /\p{M}/gu;
const INVISIBLES = new RegExp(INVISIBLE.source, 'gu');
const SPACES = /\s+/gu;

/**
 * What a name looks like, as a comparable string: two names with one skeleton are easily taken
 * for each other. Lower-cased before and after mapping (the confusables table maps to mixed case:
 * "I" and "l" both become "l").
 */
export function skeleton(name: string): string {
	const folded = name
		.toLowerCase()
		.normalize('NFKD')
		.replace(MARKS, '')
		.replace(INVISIBLES, '')
		.replace(SPACES, ' ')
		.trim();
	return unhomoglyph(folded).toLowerCase().normalize('NFKD').replace(MARKS, '');
}

/** A member as names go: who they are and the name they show. */
export interface Named {
	readonly id: string;
	readonly displayName: string;
}

/**
 * The member whose name `name` would look like, other than `self` (the member writing), or null.
 * An empty name looks like nobody's.
 */
export function lookAlikeOf(
	name: string,
	members: readonly Named[],
	self: string | null
): Named | null {
	const mine = skeleton(name);
	if (mine === '') return null;
	return (
		members.find(
			(member) =>
				member.id !== self && member.displayName !== '' && skeleton(member.displayName) === mine
		) ?? null
	);
}

/**
 * Members whose name looks like that of a member listed before them (the roster lists members in
 * the order they joined): the first to hold a look of a name keeps it unmarked.
 */
export function lookAlikeMembers(members: readonly Named[]): ReadonlySet<string> {
	const holders = new Set<string>();
	const marked = new Set<string>();
	for (const member of members) {
		const look = skeleton(member.displayName);
		if (look === '') continue;
		if (holders.has(look)) marked.add(member.id);
		else holders.add(look);
	}
	return marked;
}

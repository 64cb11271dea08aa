import unhomoglyph from 'unhomoglyph';
import confusables from 'unhomoglyph/data.json';
import { describe, expect, it } from 'vitest';
import { profileDraft } from '$lib/domain/membership/commands';
import { genesisDraft } from '$lib/domain/settings/commands';
import { lineProblem, lookAlikeMembers, lookAlikeOf, skeleton } from '$lib/domain/kernel/names';
import { verifyRecord } from '$lib/domain/registry';
import { resign, World } from './fixtures';

const ZWSP = '\u200b';

describe('one-line text characters', () => {
	it.each([
		['Ada', null],
		['Zoë', null],
		['👩‍💻 Ada', null],
		['❤️ Bakery', null],
		['👍🏽', null],
		[`Ada${ZWSP}`, 'invisible-character'],
		['Ada\u200d', 'invisible-character'],
		['A\u200dda', 'invisible-character'],
		['\u2060Ada', 'invisible-character'],
		['Ada\u00ad', 'invisible-character'],
		['Ada\u200f', 'invisible-character'],
		['Ada\u061c', 'invisible-character'],
		['Ada\u3164', 'invisible-character'],
		['Ada\ufe0f', 'invisible-character'],
		['Ada\u2800', 'invisible-character'],
		['Ada\u{e0041}', 'invisible-character'],
		['Zoe\u0308', 'not-normalised']
	])('%j -> %s', (value, expected) => {
		expect(lineProblem(value)).toBe(expected);
	});
});

describe('skeletons', () => {
	it('maps confusables as the library does, code point by code point', () => {
		const keys = Object.keys(confusables);
		// Every key alone, all keys in one run, and random mixes with plain letters and astral characters.
		const texts = [...keys, keys.join(''), keys.join(' ')];
		let seed = 7;
		const next = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
		for (let i = 0; i < 500; i++) {
			let text = '';
			for (let j = next(20); j > 0; j--)
				text += next(3) === 0 ? 'aZ 9😀'[next(6)] : keys[next(keys.length)];
			texts.push(text);
		}
		for (const text of texts) {
			const folded = text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
			expect(skeleton(text)).toBe(
				unhomoglyph(
					folded
						.replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu, '')
						.replace(/\s+/gu, ' ')
						.trim()
				)
					.toLowerCase()
					.normalize('NFKD')
					.replace(/\p{M}/gu, '')
			);
		}
	});

	it('makes names that look alike equal', () => {
		expect(skeleton('Ada')).toBe(skeleton('ADA'));
		// Cyrillic а and Latin a.
		expect(skeleton('\u0430da')).toBe(skeleton('ada'));
		expect(skeleton('Ádá')).toBe(skeleton('Ada'));
		expect(skeleton(`Ada${ZWSP}`)).toBe(skeleton('Ada'));
		expect(skeleton('ｌeo')).toBe(skeleton('Leo'));
		expect(skeleton('B0b')).toBe(skeleton('Bob'));
		expect(skeleton('Ada  Byron')).toBe(skeleton('Ada Byron'));
	});

	it('keeps different names apart', () => {
		expect(skeleton('Ada')).not.toBe(skeleton('Ida'));
		expect(skeleton('Bob')).not.toBe(skeleton('Rob'));
	});

	it('finds the member a name looks like, not the writer themself', () => {
		const members = [
			{ id: 'a', displayName: 'Ada' },
			{ id: 'b', displayName: 'Bob' },
			{ id: 'c', displayName: '' }
		];
		expect(lookAlikeOf('\u0430DA', members, 'b')?.id).toBe('a');
		expect(lookAlikeOf('Ada', members, 'a')).toBeNull();
		expect(lookAlikeOf('Cleo', members, 'b')).toBeNull();
		expect(lookAlikeOf('', members, 'b')).toBeNull();
	});

	it('marks later members whose name looks like an earlier one', () => {
		const marked = lookAlikeMembers([
			{ id: 'a', displayName: 'Ada' },
			{ id: 'b', displayName: 'Bob' },
			{ id: 'c', displayName: '\u0430da' },
			{ id: 'd', displayName: '' },
			{ id: 'e', displayName: '' },
			{ id: 'f', displayName: 'B0B' }
		]);
		expect([...marked].sort()).toEqual(['c', 'f']);
	});
});

describe('names in records', () => {
	it('refuses an invisible character in a name typed on this device', async () => {
		const world = await World.found();
		const context = world.context(world.founder);
		const result = profileDraft(context, {
			displayName: `Ada${ZWSP}`,
			bio: '',
			skills: [],
			contact: ''
		});
		expect(result.ok ? 'accepted' : result.messageKey).toBe(
			'record_display_name_invisible_character'
		);
		const genesis = genesisDraft(context, { name: `Bakery${ZWSP}`, created: 1, salt: 'x' });
		expect(genesis.ok ? 'accepted' : genesis.messageKey).toBe('record_name_invisible_character');
	});

	it('rejects records from peers carrying refused characters, with a named reason', async () => {
		const world = await World.found();
		const honest = await world.profile(world.founder, 'Ada');
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ displayName: `Ada${ZWSP}` }, 'displayName: invisible-character'],
			[{ displayName: 'Ada\u202e' }, 'displayName: control-character'],
			[{ displayName: 'Zoe\u0308' }, 'displayName: not-normalised'],
			[{ skills: [`bak${ZWSP}ing`] }, 'skills: invisible-character']
		];
		for (const [change, detail] of cases) {
			const forged = await resign(honest, world.founder.key, change);
			const result = await verifyRecord(forged.id, forged.record, world.coop);
			expect(result.ok ? 'accepted' : `${result.rejection.reason} ${result.rejection.detail}`).toBe(
				`invalid-shape ${detail}`
			);
		}
	});
});

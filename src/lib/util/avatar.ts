/** A hue (0–359) derived from a member key, so a member has one colour on every device. */
export function avatarHue(key: string): number {
	// FNV-1a: a small, stable spread of any text over 32 bits.
	let hash = 0x811c9dc5;
	for (let index = 0; index < key.length; index++) {
		hash ^= key.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0) % 360;
}

/** Up to two initials of a name, by letters as people read them (not UTF-16 halves). */
export function initials(name: string): string {
	const words = name.trim().split(/\s+/u).filter(Boolean);
	const first = (word: string | undefined) => (word ? (Array.from(word)[0] ?? '') : '');
	if (words.length === 0) return '?';
	if (words.length === 1) return Array.from(words[0]!).slice(0, 2).join('');
	return first(words[0]) + first(words[words.length - 1]);
}

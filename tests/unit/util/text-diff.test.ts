import { describe, expect, it } from 'vitest';
import { diffText, transformPosition, type TextEdit } from '$lib/util/text-diff';

function apply(text: string, edit: TextEdit | null): string {
	if (!edit) return text;
	return text.slice(0, edit.index) + edit.insert + text.slice(edit.index + edit.remove);
}

describe('diffText', () => {
	it.each([
		['', 'abc', { index: 0, remove: 0, insert: 'abc' }],
		['abc', 'abXc', { index: 2, remove: 0, insert: 'X' }],
		['abc', 'ac', { index: 1, remove: 1, insert: '' }],
		['hello world', 'hello there', { index: 6, remove: 5, insert: 'there' }],
		['aaa', 'aaaa', { index: 3, remove: 0, insert: 'a' }]
	])('%j -> %j is one minimal edit', (before, after, expected) => {
		expect(diffText(before, after)).toEqual(expected);
	});

	it('returns null when nothing changed', () => {
		expect(diffText('same', 'same')).toBeNull();
	});

	it('always produces an edit that turns the old text into the new one', () => {
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const alphabet = 'ab é\n';
		const word = () =>
			Array.from(
				{ length: Math.floor(random() * 8) },
				() => alphabet[Math.floor(random() * 5)]
			).join('');
		for (let i = 0; i < 500; i++) {
			const before = word();
			const after = word();
			expect(apply(before, diffText(before, after))).toBe(after);
		}
	});
});

describe('transformPosition', () => {
	it('moves a caret after an insertion made before it', () => {
		expect(transformPosition(5, [{ retain: 2 }, { insert: 'abc' }])).toBe(8);
	});

	it('keeps a caret before an insertion made after it', () => {
		expect(transformPosition(1, [{ retain: 2 }, { insert: 'abc' }])).toBe(1);
	});

	it('pulls a caret back over text deleted before it, and into a deleted range', () => {
		expect(transformPosition(10, [{ retain: 2 }, { delete: 3 }])).toBe(7);
		expect(transformPosition(3, [{ retain: 2 }, { delete: 3 }])).toBe(2);
	});
});

import { describe, expect, it } from 'vitest';
import type { DraftContext } from '$lib/domain/kernel/draft';
import { formatHlc } from '$lib/domain/kernel/hlc';
import { profileDraft } from '$lib/domain/membership/commands';
import { LIMITS } from '$lib/domain/kernel/limits';
import { fieldLength } from '$lib/domain/kernel/field-length';

const context: DraftContext = {
	coop: 'AAAAAAAAAAAAAAAAAAAAAA',
	author: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik',
	at: formatHlc({ wall: 1_700_000_000_000, counter: 0 })
};

describe('the length of a field', () => {
	it('counts code points, as the records do: an emoji or an accented letter counts once', () => {
		expect(fieldLength('café 🥐', 'displayName', false).count).toBe(6);
		expect(fieldLength('🥐'.repeat(60), 'displayName', false)).toEqual({
			count: 60,
			max: LIMITS.displayName,
			near: true,
			over: 0
		});
	});

	it('counts the text as stored: NFC, trimmed, and for one line, spaces folded', () => {
		expect(fieldLength('  e\u0301  ', 'displayName', false).count).toBe(1);
		expect(fieldLength('a   b', 'displayName', false).count).toBe(3);
		expect(fieldLength('a\r\nb', 'bio', true).count).toBe(3);
	});

	it('shows the count past 80% of the limit, and says by how much the text is too long', () => {
		const max = LIMITS.proposalTitle;
		expect(fieldLength('x'.repeat(max * 0.8), 'proposalTitle', false).near).toBe(false);
		expect(fieldLength('x'.repeat(max * 0.8 + 1), 'proposalTitle', false).near).toBe(true);
		expect(fieldLength('x'.repeat(max), 'proposalTitle', false).over).toBe(0);
		expect(fieldLength('x'.repeat(max + 5), 'proposalTitle', false).over).toBe(5);
	});

	it('agrees with the record check at the limit, whatever the characters', () => {
		for (const name of ['🥐'.repeat(60), 'é'.repeat(60), '🥐'.repeat(61), 'é'.repeat(61)]) {
			const length = fieldLength(name, 'displayName', false);
			const draft = profileDraft(context, { displayName: name, bio: '', skills: [], contact: '' });
			expect(draft.ok).toBe(length.over === 0);
		}
	});
});

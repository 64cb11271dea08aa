import { describe, expect, it } from 'vitest';
import {
	MAX_DISPATCHERS,
	memberListValue,
	parseSetting,
	SETTING_KEYS,
	SETTING_VALUE_MAX
} from '$lib/domain/settings/values';
import { seededToken, prng } from './fixtures';

/** Member ids as keys are written: 43 base64url characters. */
function ids(count: number, seed = 1): string[] {
	const random = prng(seed);
	return Array.from({ length: count }, () => seededToken(random, 32));
}

describe('a setting’s value as a proposal carries it', () => {
	it('takes as many members as the setting allows, far past a line of text', () => {
		const most = ids(MAX_DISPATCHERS);
		const text = memberListValue(most);
		expect(text.length).toBeGreaterThan(80);
		expect(text.length).toBeLessThanOrEqual(SETTING_VALUE_MAX.dispatchers);
		expect(parseSetting('dispatchers', text)).toEqual([...most].sort());
		expect(parseSetting('dispatchers', memberListValue(ids(MAX_DISPATCHERS + 1)))).toBeUndefined();
	});

	it('writes a list one id a line, ascending and distinct, whatever the order picked', () => {
		const [a, b] = ids(2) as [string, string];
		expect(memberListValue([b, a, b])).toBe([a, b].sort().join('\n'));
		expect(memberListValue([])).toBe('');
		expect(parseSetting('treasurers', '')).toEqual([]);
	});

	it('refuses any value longer than its setting’s limit, and the limit fits every valid value', () => {
		for (const key of SETTING_KEYS) {
			expect(parseSetting(key, '1'.repeat(SETTING_VALUE_MAX[key] + 1)), key).toBeUndefined();
		}
		expect(parseSetting('name', 'é'.repeat(80))).toBe('é'.repeat(80));
		expect(parseSetting('maxWeeklyHours', '168')).toBe(168);
		expect(parseSetting('assignmentRule', 'rotation')).toBe('rotation');
		expect(parseSetting('bookkeeping', 'treasurers')).toBe('treasurers');
		expect(parseSetting('patronageBasis', 'weighted')).toBe('weighted');
	});
});

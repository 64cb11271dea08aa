import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';
import { proposedSettingText, settingText } from '$lib/state/setting-text';
import { prng, seededToken } from '../domain/fixtures';

const random = prng(7);
const [KEY_A, KEY_B] = [seededToken(random, 32), seededToken(random, 32)].sort() as [
	string,
	string
];
const names: Record<string, string> = { [KEY_A]: 'Ada', [KEY_B]: 'Bea' };
const nameOf = (member: string) => names[member] ?? member.slice(0, 8);

afterEach(() => overwriteGetLocale(() => 'en'));

describe('settings in plain words', () => {
	it('names members, and says when nobody holds a role', () => {
		expect(settingText('dispatchers', [KEY_A, KEY_B], nameOf)).toBe('Ada, Bea');
		expect(settingText('treasurers', [], nameOf)).toBe('Nobody yet');
	});

	it('shows shares as percentages, hours and days with their unit', () => {
		overwriteGetLocale(() => 'en');
		expect(settingText('jobShare', 1250, nameOf)).toBe('12.5%');
		expect(settingText('patronageCash', 2000, nameOf)).toBe('20%');
		expect(settingText('maxWeeklyHours', 0, nameOf)).toBe('No limit');
		expect(settingText('maxWeeklyHours', 35, nameOf)).toBe('35 hours a week');
		expect(settingText('inviteDays', 1, nameOf)).toBe('1 day');
		expect(settingText('bookkeeping', 'treasurers', nameOf)).toBe('Only the treasurers');
		expect(settingText('patronageBasis', 'pay', nameOf)).toBe('Pay earned');
		overwriteGetLocale(() => 'fr');
		expect(settingText('jobShare', 1250, nameOf)).toBe('12,5\u00a0%');
		expect(settingText('maxWeeklyHours', 35, nameOf)).toBe('35 heures par semaine');
	});

	it('reads a proposal’s value the same way, and shows one that is not valid as it came', () => {
		expect(proposedSettingText('dispatchers', `${KEY_B}\n${KEY_A}`, nameOf)).toBe('Ada, Bea');
		expect(proposedSettingText('jobShare', '500', nameOf)).toBe('5%');
		expect(proposedSettingText('jobShare', 'lots', nameOf)).toBe('lots');
	});
});

import { describe, expect, it } from 'vitest';
import {
	coSignersNeeded,
	DEFAULT_GOVERNED,
	MAX_CO_SIGNERS,
	parseSetting,
	SETTING_VALUE_MAX,
	type GovernedSettings
} from '$lib/domain/settings/values';
import { foundCoop, projectWorld } from '../domain/fixtures';
import { decideSetting } from '../domain/work-fixtures';

/** How many members must co-sign a work record: a governed setting, bounded by who could sign. */

const settings = (coSignersRequired: number) =>
	({ ...DEFAULT_GOVERNED, coSignersRequired }) as unknown as GovernedSettings;

describe('co-signers a co-op requires', () => {
	it('is 2 until decided, and a decision sets it within 1 to the most one request asks', async () => {
		const { world, people } = await foundCoop(4);
		expect((await projectWorld(world)).governance.settings.coSignersRequired).toBe(2);
		await decideSetting(world, people[0]!, people[1]!, 'coSignersRequired', '3');
		expect((await projectWorld(world)).governance.settings.coSignersRequired).toBe(3);
	});

	it('takes whole numbers from 1 to MAX_CO_SIGNERS only', () => {
		expect(parseSetting('coSignersRequired', '1')).toBe(1);
		expect(parseSetting('coSignersRequired', String(MAX_CO_SIGNERS))).toBe(MAX_CO_SIGNERS);
		for (const bad of ['0', String(MAX_CO_SIGNERS + 1), '-1', '2.5', ' 2', '02', 'two', '']) {
			expect(parseSetting('coSignersRequired', bad)).toBeUndefined();
		}
		expect(SETTING_VALUE_MAX.coSignersRequired).toBeGreaterThanOrEqual(1);
	});

	it('never needs more than the other active members, nor fewer than one', () => {
		expect(coSignersNeeded(settings(2), 10)).toBe(2);
		expect(coSignersNeeded(settings(5), 4)).toBe(3);
		expect(coSignersNeeded(settings(2), 2)).toBe(1);
		expect(coSignersNeeded(settings(3), 1)).toBe(1);
	});
});

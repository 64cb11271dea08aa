import { describe, expect, it } from 'vitest';
import { GLANCE_ROWS, glanceOf, glanceText, type MoneyFigures } from '$lib/state/money-glance';

const earnings = (net: number) => ({
	jobs: 3,
	minutes: 360,
	gross: net + 900,
	share: 900,
	net,
	hourly: net === 0 ? null : Math.round(net / 6)
});

function figures(owed: number, expected: number): MoneyFigures {
	return {
		currency: 'EUR',
		digits: 2,
		mine: {
			week: earnings(5100),
			month: earnings(20_400),
			year: earnings(0),
			months: [{ month: '2026-11', ...earnings(20_400) }],
			expected: {
				items: Array.from({ length: expected }, (_, index) => ({
					kind: 'job' as const,
					id: `job${index}`,
					title: `Job ${index}`,
					startsAt: 1_800_000_000_000 + index,
					minutes: 120,
					pay: 6000
				})),
				minutes: expected * 120,
				gross: expected * 6000,
				share: expected * 900,
				net: expected * 5100
			}
		},
		co: {
			months: [{ month: '2026-11', income: 90_000, expenses: 12_345, surplus: 77_655 }],
			year: { income: 1_234_567, expenses: 234_567, surplus: 1_000_000 },
			owed: Array.from({ length: owed }, (_, index) => ({
				member: `m${index}`,
				name: `Member ${index}`,
				owed: 10_000 - index
			})),
			owedCount: owed
		}
	};
}

const reread = (text: string) => glanceOf(JSON.parse(text));

describe('the money figures kept to show while a co-op opens', () => {
	it('keeps the figures, and only the first rows of each list', () => {
		const glance = reread(glanceText(figures(1000, 25), 42));
		expect(glance).not.toBeNull();
		expect(glance!.savedAt).toBe(42);
		expect(glance!.co.year).toEqual({ income: 1_234_567, expenses: 234_567, surplus: 1_000_000 });
		expect(glance!.co.owed).toHaveLength(GLANCE_ROWS);
		expect(glance!.co.owed[0]).toEqual({ member: 'm0', name: 'Member 0', owed: 10_000 });
		expect(glance!.co.owedCount).toBe(1000);
		expect(glance!.mine!.month).toEqual(earnings(20_400));
		expect(glance!.mine!.expected.items).toHaveLength(GLANCE_ROWS);
		expect(glance!.mine!.expected.items[0]).toEqual({
			id: 'job0',
			title: 'Job 0',
			startsAt: 1_800_000_000_000,
			pay: 6000
		});
		expect(glance!.mine!.expected.net).toBe(25 * 5100);
		// Small: it is read before anything else when the co-op opens.
		expect(glanceText(figures(1000, 25), 42).length).toBeLessThan(8_000);
	});

	it('keeps a device that is not a member without figures of its own', () => {
		const glance = reread(glanceText({ ...figures(2, 0), mine: null }, 1));
		expect(glance?.mine).toBeNull();
		expect(glance?.co.owed).toHaveLength(2);
	});

	it('refuses anything else: another version, a wrong type, too many rows, junk', () => {
		const good = JSON.parse(glanceText(figures(3, 3), 7)) as Record<string, unknown>;
		/** The good glance with the value at `path` replaced (or removed when `undefined`). */
		const changed = (path: readonly (string | number)[], value: unknown) => {
			const copy = structuredClone(good);
			let parent = copy as Record<string | number, unknown>;
			for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
			const last = path.at(-1)!;
			if (value === undefined) delete parent[last];
			else parent[last] = value;
			return glanceOf(copy);
		};
		const owed = (good.co as { owed: unknown[] }).owed;
		expect(glanceOf(good)).not.toBeNull();
		expect(changed(['v'], 2)).toBeNull();
		expect(changed(['v'], undefined)).toBeNull();
		expect(changed(['co', 'year', 'income'], '12')).toBeNull();
		expect(changed(['co', 'year', 'income'], 0.5)).toBeNull();
		expect(changed(['mine', 'week', 'hourly'], 'n/a')).toBeNull();
		expect(changed(['digits'], 9)).toBeNull();
		expect(changed(['co', 'owed'], new Array(GLANCE_ROWS + 1).fill(owed[0]))).toBeNull();
		expect(changed(['mine', 'expected', 'items', 0, 'title'], null)).toBeNull();
		expect(changed(['co', 'months'], {})).toBeNull();
		for (const junk of [null, 1, 'text', [], [good], { ...good, co: null }]) {
			expect(glanceOf(junk)).toBeNull();
		}
	});
});

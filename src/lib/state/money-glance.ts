import type { Earnings, EarningsMonth, MemberDashboard } from '$lib/domain/ledger/dashboard';
import type { MonthTotals } from '$lib/domain/ledger/view';

/**
 * The money page's figures as this device last showed them, kept in its localStorage to show
 * while the co-op opens again: a large co-op takes its phone a few seconds to read and project
 * (100,000 records), and a member opening the page to see what they earned should not wait for
 * it. The page says they are the last figures, and from when, until the live ones replace them.
 * Only what the page's first screen shows is kept: a few kilobytes. Nothing here is shared.
 */

/** A member owed money, with the name shown. */
export interface OwedRow {
	readonly member: string;
	readonly name: string;
	readonly owed: number;
}

/** Work expected, as the page lists it. */
export interface ExpectedRow {
	readonly id: string;
	readonly title: string;
	readonly startsAt: number;
	readonly pay: number;
}

/** What the money page shows, with or without the co-op open. */
export interface MoneyFigures {
	readonly currency: string;
	readonly digits: number;
	/** This device's member's dashboard; null when the device is not a member. */
	readonly mine:
		| (Omit<MemberDashboard, 'expected'> & {
				readonly expected: Omit<MemberDashboard['expected'], 'items'> & {
					readonly items: readonly ExpectedRow[];
				};
		  })
		| null;
	readonly co: {
		readonly months: readonly MonthTotals[];
		readonly year: { readonly income: number; readonly expenses: number; readonly surplus: number };
		/** The first rows the page lists, largest first. */
		readonly owed: readonly OwedRow[];
		/** How many members are owed money in all. */
		readonly owedCount: number;
	};
}

export interface MoneyGlance extends MoneyFigures {
	/** When the page showed them (ms since the epoch). */
	readonly savedAt: number;
}

/** Rows of each list a glance keeps (the page shows these first). */
export const GLANCE_ROWS = 10;

const PREFIX = 'ours.money-glance.';
const VERSION = 1;

/** What is kept of the figures the page shows: the first rows of each list. */
export function glanceFrom(figures: MoneyFigures, now: number): MoneyGlance {
	const { mine, co } = figures;
	return {
		savedAt: now,
		currency: figures.currency,
		digits: figures.digits,
		mine:
			mine === null
				? null
				: {
						...mine,
						expected: {
							...mine.expected,
							items: mine.expected.items
								.slice(0, GLANCE_ROWS)
								.map(({ id, title, startsAt, pay }) => ({ id, title, startsAt, pay }))
						}
					},
		co: { ...co, owed: co.owed.slice(0, GLANCE_ROWS) }
	};
}

/** Keeps what the page shows now; a glance that cannot be kept is only a slower next open. */
export function saveMoneyGlance(coopId: string, figures: MoneyFigures, now = Date.now()): void {
	try {
		localStorage.setItem(PREFIX + coopId, glanceText(figures, now));
	} catch (error) {
		console.warn('The money figures could not be kept', error);
	}
}

/** The figures last kept for a co-op, or null: none, or not what this version writes. */
export function loadMoneyGlance(coopId: string): MoneyGlance | null {
	try {
		return glanceOf(JSON.parse(localStorage.getItem(PREFIX + coopId) ?? 'null'));
	} catch {
		return null;
	}
}

/** Forgets a co-op's figures (when the co-op leaves this device). */
export function forgetMoneyGlance(coopId: string): void {
	localStorage.removeItem(PREFIX + coopId);
}

type Check<T> = (value: unknown) => value is T;

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const isAmount = (value: unknown): value is number => Number.isSafeInteger(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const fields =
	<T>(checks: { readonly [K in keyof T]: Check<T[K]> }): Check<T> =>
	(value): value is T =>
		isRecord(value) &&
		Object.entries(checks).every(([key, check]) => (check as Check<unknown>)(value[key]));
const listOf =
	<T>(check: Check<T>, most: number): Check<readonly T[]> =>
	(value): value is readonly T[] =>
		Array.isArray(value) && value.length <= most && value.every(check);
const orNull =
	<T>(check: Check<T>): Check<T | null> =>
	(value): value is T | null =>
		value === null || check(value);

const earnings = {
	jobs: isAmount,
	minutes: isAmount,
	gross: isAmount,
	share: isAmount,
	net: isAmount,
	hourly: orNull(isAmount)
};
const isEarnings: Check<Earnings> = fields<Earnings>(earnings);
const isMonth: Check<EarningsMonth> = fields<EarningsMonth>({ ...earnings, month: isString });
const isMine = fields<NonNullable<MoneyFigures['mine']>>({
	week: isEarnings,
	month: isEarnings,
	year: isEarnings,
	months: listOf(isMonth, 24),
	expected: fields({
		items: listOf(
			fields<ExpectedRow>({
				id: isString,
				title: isString,
				startsAt: isAmount,
				pay: isAmount
			}),
			GLANCE_ROWS
		),
		minutes: isAmount,
		gross: isAmount,
		share: isAmount,
		net: isAmount
	})
});
const isGlance = fields<MoneyGlance & { v: number }>({
	v: (value): value is number => value === VERSION,
	savedAt: isAmount,
	currency: isString,
	digits: (value): value is number => isAmount(value) && value >= 0 && value <= 4,
	mine: orNull(isMine),
	co: fields<MoneyFigures['co']>({
		months: listOf(
			fields<MonthTotals>({
				month: isString,
				income: isAmount,
				expenses: isAmount,
				surplus: isAmount
			}),
			24
		),
		year: fields({ income: isAmount, expenses: isAmount, surplus: isAmount }),
		owed: listOf(
			fields<OwedRow>({ member: isString, name: isString, owed: isAmount }),
			GLANCE_ROWS
		),
		owedCount: isAmount
	})
});

/** A stored glance as this version wrote it (parsed from its JSON text), or null. */
export function glanceOf(value: unknown): MoneyGlance | null {
	return isGlance(value) ? value : null;
}

/** The JSON text `saveMoneyGlance` keeps for these figures. */
export function glanceText(figures: MoneyFigures, now: number): string {
	return JSON.stringify({ v: VERSION, ...glanceFrom(figures, now) });
}

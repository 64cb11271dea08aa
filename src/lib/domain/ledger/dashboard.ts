import type { PatronageBasis } from '../settings/values';
import type { CompletedWork } from '../work/queries';
import { memberWork, type HeldItem, type WorkView } from '../work/view';
import { parseAccount } from './accounts';
import { basisPointsOf } from './money';
import type { PatronageUnits } from './patronage';
import { paidFor, type LedgerView, type MemberMoney, type MonthTotals } from './view';

export { unbookedWork, type UnbookedWork } from './unbooked';

/**
 * The earnings dashboard's read model: pure functions of the books (`LedgerView`) and of the work
 * done (`CompletedWork`, as the work area publishes it), so every device shows the same figures.
 * Money comes from the books (what was recorded as paid for a member's work, by booking date);
 * jobs and hours come from the work completed (by the UTC day the work ended). Periods are UTC
 * calendar periods: the week starts on Monday. A member's figures read only that member's
 * entries of the indexes the ledger and work views keep (`paidFor`, `memberWork`), so they cost
 * the same in a co-op of ten jobs or of twenty thousand. See docs/ledger.md, "The earnings
 * dashboard".
 */

/** One member's figures over a period. */
export interface Earnings {
	/** Jobs and shifts completed. */
	readonly jobs: number;
	readonly minutes: number;
	/** What clients paid for the member's work: net + share. */
	readonly gross: number;
	/** The co-op's share of it. */
	readonly share: number;
	/** What the member earned (credited to what the co-op owes them). */
	readonly net: number;
	/** Net per hour worked, in minor units, rounded half away from zero; `null` without hours. */
	readonly hourly: number | null;
}

/** One month of a member's earnings, for the chart. */
export interface EarningsMonth extends Earnings {
	/** `YYYY-MM`. */
	readonly month: string;
}

/** What a member can expect from jobs and shifts already assigned to them and not done yet. */
export interface Expected {
	readonly items: readonly ExpectedItem[];
	readonly minutes: number;
	readonly gross: number;
	/** At the rate in force now. */
	readonly share: number;
	readonly net: number;
}

export type ExpectedItem = HeldItem;

export interface MemberDashboard {
	readonly week: Earnings;
	readonly month: Earnings;
	readonly year: Earnings;
	/** The twelve months up to the current one, oldest first. */
	readonly months: readonly EarningsMonth[];
	readonly expected: Expected;
}

export interface CoopDashboard {
	/** The twelve months up to the current one, oldest first (empty months included). */
	readonly months: readonly MonthTotals[];
	readonly year: { readonly income: number; readonly expenses: number; readonly surplus: number };
	/** Members the co-op owes money to, most first (then by id). */
	readonly owed: readonly MemberMoney[];
}

/** The UTC calendar periods a day belongs to. */
export interface Periods {
	/** The Monday of its week, `YYYY-MM-DD`. */
	readonly week: string;
	/** The Sunday ending it. */
	readonly weekEnd: string;
	readonly month: string;
	readonly year: string;
}

const DAY_MS = 86_400_000;

function dateOf(time: number): string {
	return new Date(time).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` of UTC days already seen: a year of work has a few hundred distinct days. */
const days = new Map<number, string>();

/** The UTC date of a time, cached per day (the read model asks it for every row of work). */
function dayOf(time: number): string {
	const day = Math.floor(time / DAY_MS);
	let date = days.get(day);
	if (date === undefined) {
		date = dateOf(day * DAY_MS);
		if (days.size > 100_000) days.clear();
		days.set(day, date);
	}
	return date;
}

/** The week, month and year of a date `YYYY-MM-DD` (UTC calendar). */
export function periodsOf(date: string): Periods {
	const time = Date.parse(`${date}T00:00:00Z`);
	const weekday = (new Date(time).getUTCDay() + 6) % 7;
	return {
		week: dateOf(time - weekday * DAY_MS),
		weekEnd: dateOf(time + (6 - weekday) * DAY_MS),
		month: date.slice(0, 7),
		year: date.slice(0, 4)
	};
}

/** The twelve months ending with `month`, oldest first. */
export function lastMonths(month: string, count = 12): string[] {
	const year = Number(month.slice(0, 4));
	const index = Number(month.slice(5, 7)) - 1;
	const out: string[] = [];
	for (let back = count - 1; back >= 0; back--) {
		const at = new Date(Date.UTC(year, index - back, 1));
		out.push(at.toISOString().slice(0, 7));
	}
	return out;
}

/**
 * Work done, from the work area's view: each assignee's part of a completed job and each
 * completed sign-up, by the time the work ended (then the completion record's id). The same rows
 * the work area's `completedWork` query gives the areas after it.
 */
export function completedWorkOf(work: WorkView): CompletedWork[] {
	const rows: CompletedWork[] = [];
	for (const job of work.jobs) {
		for (const assignee of job.assignees) {
			if (assignee.done === null) continue;
			rows.push({
				item: job.id,
				kind: 'job',
				member: assignee.member,
				minutes: assignee.done.minutes,
				pay: job.pay,
				endedAt: assignee.done.endedAt,
				period: dayOf(assignee.done.endedAt).slice(0, 7),
				record: assignee.done.id
			});
		}
	}
	for (const signup of work.signups) {
		if (signup.done === null) continue;
		rows.push({
			item: signup.id,
			kind: 'shift',
			member: signup.member,
			minutes: signup.done.minutes,
			pay: signup.pay,
			endedAt: signup.done.endedAt,
			period: dayOf(signup.done.endedAt).slice(0, 7),
			record: signup.done.id
		});
	}
	return rows.sort(
		(a, b) => a.endedAt - b.endedAt || (a.record < b.record ? -1 : a.record > b.record ? 1 : 0)
	);
}

/** Net per hour: `net × 60 / minutes`, rounded half away from zero, exactly. */
export function hourlyRate(net: number, minutes: number): number | null {
	if (minutes <= 0) return null;
	const product = BigInt(net) * 60n;
	const sign = product < 0n ? -1n : 1n;
	const magnitude = product * sign;
	const divisor = BigInt(minutes);
	return Number(((magnitude * 2n + divisor) / (divisor * 2n)) * sign);
}

class Sum {
	jobs = 0;
	minutes = 0;
	net = 0;
	share = 0;
	done(): Earnings {
		const { jobs, minutes, net, share } = this;
		return { jobs, minutes, gross: net + share, share, net, hourly: hourlyRate(net, minutes) };
	}
}

/**
 * A member's dashboard on `today` (`YYYY-MM-DD`, UTC) at `now` (ms): this week, month and year,
 * the last twelve months, and what is expected from work assigned and not done yet, with the
 * co-op's share at `jobShare` basis points (the rate in force now).
 */
export function memberDashboard(input: {
	readonly ledger: LedgerView;
	readonly work: WorkView;
	readonly member: string;
	readonly today: string;
	readonly jobShare: number;
}): MemberDashboard {
	const { ledger, work, member, today, jobShare } = input;
	const mine = memberWork(work, member);
	const periods = periodsOf(today);
	const months = lastMonths(periods.month);
	const byMonth = new Map(months.map((month) => [month, new Sum()]));
	const week = new Sum();
	const month = new Sum();
	const year = new Sum();
	const into = (date: string) => {
		const sums: Sum[] = [];
		if (date > today) return sums;
		if (date >= periods.week) sums.push(week);
		if (date.startsWith(periods.month)) sums.push(month);
		if (date.startsWith(periods.year)) sums.push(year);
		const monthly = byMonth.get(date.slice(0, 7));
		if (monthly !== undefined) sums.push(monthly);
		return sums;
	};
	for (const row of mine.completed) {
		for (const sum of into(dayOf(row.endedAt))) {
			sum.jobs++;
			sum.minutes += row.minutes;
		}
	}
	for (const paid of paidFor(ledger, member)) {
		for (const sum of into(paid.date)) {
			sum.net += paid.net;
			sum.share += paid.share;
		}
	}
	return {
		week: week.done(),
		month: month.done(),
		year: year.done(),
		months: months.map((name) => ({ month: name, ...byMonth.get(name)!.done() })),
		expected: expectedOf(mine.held, jobShare)
	};
}

/**
 * What `member` can expect from what they hold and have not done: jobs assigned to them (their
 * pay and expected minutes) and shifts they signed up for (the slot's pay, its length), soonest
 * first, with the co-op's share at `jobShare`.
 */
export function expectedWork(work: WorkView, member: string, jobShare: number): Expected {
	return expectedOf(memberWork(work, member).held, jobShare);
}

function expectedOf(held: readonly HeldItem[], jobShare: number): Expected {
	const items = [...held].sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1));
	let minutes = 0;
	let gross = 0;
	let share = 0;
	for (const item of items) {
		minutes += item.minutes;
		gross += item.pay;
		share += basisPointsOf(item.pay, jobShare);
	}
	return { items, minutes, gross, share, net: gross - share };
}

/** The co-op's dashboard on `today`: the last twelve months, this year, who is owed what. */
export function coopDashboard(ledger: LedgerView, today: string): CoopDashboard {
	const { month, year } = periodsOf(today);
	const known = new Map(ledger.months.map((totals) => [totals.month, totals]));
	const months = lastMonths(month).map(
		(name) => known.get(name) ?? { month: name, income: 0, expenses: 0, surplus: 0 }
	);
	let income = 0;
	let expenses = 0;
	for (const totals of ledger.months) {
		if (!totals.month.startsWith(year) || totals.month > month) continue;
		income += totals.income;
		expenses += totals.expenses;
	}
	return {
		months,
		year: { income, expenses, surplus: income - expenses },
		owed: ledger.members
			.filter((money) => money.owed !== 0)
			.sort((a, b) => b.owed - a.owed || (a.member < b.member ? -1 : 1))
	};
}

/**
 * Each member's patronage in the period `from`–`to` (inclusive dates, by the UTC day the work
 * ended), from the work completed: minutes worked for `hours` and `weighted` (no weights are
 * decided yet, so weighted hours start as hours), pay in minor units for `pay`. Members with
 * none are left out; ascending by member.
 */
export function patronageUnitsOf(
	completed: readonly CompletedWork[],
	from: string,
	to: string,
	basis: PatronageBasis
): PatronageUnits[] {
	const units = new Map<string, number>();
	for (const row of completed) {
		const day = dayOf(row.endedAt);
		if (day < from || day > to) continue;
		const amount = basis === 'pay' ? row.pay : row.minutes;
		units.set(row.member, (units.get(row.member) ?? 0) + amount);
	}
	return [...units.entries()]
		.filter(([, count]) => count > 0)
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([member, count]) => ({ member, units: count }));
}

/** The books over a period, for the printed report. */
export interface PeriodReport {
	readonly from: string;
	readonly to: string;
	/** Income and the co-op's share, net of reversals, by account (credits shown positive). */
	readonly income: readonly { readonly account: string; readonly amount: number }[];
	/** Expenses by category account. */
	readonly expenses: readonly { readonly account: string; readonly amount: number }[];
	readonly totalIncome: number;
	readonly totalExpenses: number;
	/** totalIncome − totalExpenses. */
	readonly surplus: number;
	/** Every account's balance at the end of `to` (postings dated on or before it), by name. */
	readonly closing: readonly { readonly account: string; readonly balance: number }[];
	/** Transactions booked in the period. */
	readonly transactions: number;
}

/** The report of the books from `from` to `to` (inclusive booking dates). */
export function periodReport(ledger: LedgerView, from: string, to: string): PeriodReport {
	const income = new Map<string, number>();
	const expenses = new Map<string, number>();
	const closing = new Map<string, number>();
	let transactions = 0;
	const classes = new Map<string, string | undefined>();
	const classOf = (account: string) => {
		if (!classes.has(account)) classes.set(account, parseAccount(account)?.class);
		return classes.get(account);
	};
	for (const transaction of ledger.transactions) {
		if (transaction.date > to) continue;
		const inPeriod = transaction.date >= from;
		if (inPeriod) transactions++;
		for (const { account, amount } of transaction.postings) {
			closing.set(account, (closing.get(account) ?? 0) + amount);
			if (!inPeriod) continue;
			const kind = classOf(account);
			if (kind === 'income' || kind === 'share')
				income.set(account, (income.get(account) ?? 0) - amount);
			else if (kind === 'expense') expenses.set(account, (expenses.get(account) ?? 0) + amount);
		}
	}
	const sorted = (map: Map<string, number>) =>
		[...map.entries()]
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([account, amount]) => ({ account, amount }));
	const totalIncome = [...income.values()].reduce((sum, amount) => sum + amount, 0);
	const totalExpenses = [...expenses.values()].reduce((sum, amount) => sum + amount, 0);
	return {
		from,
		to,
		income: sorted(income),
		expenses: sorted(expenses),
		totalIncome,
		totalExpenses,
		surplus: totalIncome - totalExpenses,
		closing: sorted(closing).map(({ account, amount }) => ({ account, balance: amount })),
		transactions
	};
}

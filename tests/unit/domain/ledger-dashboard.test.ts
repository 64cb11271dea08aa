import { describe, expect, it } from 'vitest';
import { booksContext, expenseDraft, incomeDraft, reverseDraft } from '$lib/domain/ledger/commands';
import {
	completedWorkOf,
	coopDashboard,
	expectedWork,
	hourlyRate,
	lastMonths,
	memberDashboard,
	patronageUnitsOf,
	periodReport,
	periodsOf,
	unbookedWork
} from '$lib/domain/ledger/dashboard';
import { splitSurplus } from '$lib/domain/ledger/patronage';
import type { CoopState } from '$lib/domain/coop-state';
import type { CompletedWork } from '$lib/domain/work/queries';
import { foundCoop, MINUTE, projectWorld, recordOutcome, type Device } from './fixtures';
import {
	claim,
	complete,
	decideSetting,
	HOUR,
	MONDAY,
	postJob,
	postShift,
	signup
} from './work-fixtures';

/**
 * The earnings dashboard's read model: a member's week, month and year from the books and the
 * work done, what they can expect from work assigned, the co-op's months and who is owed what,
 * and the patronage units counted from completed work.
 */

function books(state: CoopState) {
	return booksContext(
		state.members.map((member) => member.id),
		state.governance.settings.jobShare
	);
}

describe('periods', () => {
	it('finds the UTC week from Monday, the month and the year of a date', () => {
		expect(periodsOf('2025-01-08')).toEqual({
			week: '2025-01-06',
			weekEnd: '2025-01-12',
			month: '2025-01',
			year: '2025'
		});
		// A Sunday belongs to the week that started six days before, across a year's end.
		expect(periodsOf('2023-01-01').week).toBe('2022-12-26');
	});

	it('lists the twelve months up to one, across a year', () => {
		const months = lastMonths('2025-02');
		expect(months).toHaveLength(12);
		expect(months[0]).toBe('2024-03');
		expect(months.at(-1)).toBe('2025-02');
	});

	it('rounds the hourly rate half away from zero, exactly', () => {
		expect(hourlyRate(8500, 90)).toBe(5667);
		expect(hourlyRate(100, 120)).toBe(50);
		expect(hourlyRate(1, 120)).toBe(1);
		expect(hourlyRate(-1, 120)).toBe(-1);
		expect(hourlyRate(500, 0)).toBeNull();
		expect(hourlyRate(Number.MAX_SAFE_INTEGER, 1)).toBe(
			Number(BigInt(Number.MAX_SAFE_INTEGER) * 60n)
		);
	});
});

describe('the earnings dashboard', () => {
	it("adds a member's completed jobs and their pay in the books, net of a reversal", async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		await decideSetting(world, ada, bo, 'jobShare', '1500');
		const job = await postJob(world, ada, { pay: 10_000, title: 'Deliver bread' });
		const other = await postJob(world, ada, { pay: 2000, title: 'Pick up flour' });
		await claim(world, bo, job.id);
		await claim(world, bo, other.id);
		world.now = MONDAY + 11 * HOUR;
		let state = await projectWorld(world);
		await complete(world, bo, state, job.id, 90, MONDAY + 10 * HOUR + 30 * MINUTE);
		state = await projectWorld(world);
		await complete(world, bo, state, other.id, 30, MONDAY + 10 * HOUR + 59 * MINUTE);
		state = await projectWorld(world);

		const parts = unbookedWork(state.work, state.ledger);
		expect(parts.map((part) => [part.job.id, part.member])).toEqual([
			[other.id, bo.id],
			[job.id, bo.id]
		]);
		const pay = (id: string, amount: string) =>
			incomeDraft(
				world.advance(MINUTE).context(ada),
				{
					date: '2025-01-06',
					memo: 'Deliveries',
					amount,
					currency: 'EUR',
					into: 'bank',
					client: 'Corner shop',
					ref: id,
					member: bo.id,
					source: 'jobs'
				},
				books(state)
			);
		const income = await world.write(ada, pay(job.id, '100'));
		const wrong = await world.write(ada, pay(other.id, '2000'));
		await world.write(
			ada,
			expenseDraft(
				world.advance(MINUTE).context(ada),
				{
					date: '2025-01-07',
					memo: 'Tyres',
					amount: '30',
					currency: 'EUR',
					category: 'Repairs',
					paidBy: 'bank',
					counterparty: 'Bike shop'
				},
				books(state)
			)
		);
		state = await projectWorld(world);
		expect(recordOutcome(state, income)).toBe('accepted');
		expect(unbookedWork(state.work, state.ledger)).toEqual([]);
		const reversal = await world.write(
			ada,
			reverseDraft(
				world.advance(MINUTE).context(ada),
				{ entry: wrong.id, date: '2025-01-08', reason: 'Typed 2000 for 20' },
				state.ledger
			)
		);
		state = await projectWorld(world);
		expect(recordOutcome(state, reversal)).toBe('accepted');
		// The reversed payment's part is back on the list, to be recorded again.
		expect(unbookedWork(state.work, state.ledger).map((part) => part.job.id)).toEqual([other.id]);

		const completed = completedWorkOf(state.work);
		expect(completed.map((row) => [row.item, row.minutes, row.pay])).toEqual([
			[job.id, 90, 10_000],
			[other.id, 30, 2000]
		]);
		const dashboard = memberDashboard({
			ledger: state.ledger,
			work: state.work,
			member: bo.id,
			today: '2025-01-08',
			jobShare: 1500
		});
		const week = { jobs: 2, minutes: 120, gross: 10_000, share: 1500, net: 8500, hourly: 4250 };
		expect(dashboard.week).toEqual(week);
		expect(dashboard.month).toEqual(week);
		expect(dashboard.year).toEqual(week);
		expect(dashboard.months.at(-1)).toEqual({ month: '2025-01', ...week });
		expect(dashboard.months[0]).toEqual({
			month: '2024-02',
			jobs: 0,
			minutes: 0,
			gross: 0,
			share: 0,
			net: 0,
			hourly: null
		});
		// A week later the first week is over; the month still holds it.
		const later = memberDashboard({
			ledger: state.ledger,
			work: state.work,
			member: bo.id,
			today: '2025-01-13',
			jobShare: 1500
		});
		expect(later.week).toEqual({
			...week,
			jobs: 0,
			minutes: 0,
			gross: 0,
			share: 0,
			net: 0,
			hourly: null
		});
		expect(later.month).toEqual(week);
		// Ada did no work and earned nothing.
		const ada_ = memberDashboard({
			ledger: state.ledger,
			work: state.work,
			member: ada.id,
			today: '2025-01-08',
			jobShare: 1500
		});
		expect(ada_.year).toMatchObject({ jobs: 0, net: 0, hourly: null });

		const coop = coopDashboard(state.ledger, '2025-01-08');
		expect(coop.months.at(-1)).toEqual({
			month: '2025-01',
			income: 1500,
			expenses: 3000,
			surplus: -1500
		});
		expect(coop.year).toEqual({ income: 1500, expenses: 3000, surplus: -1500 });
		expect(coop.owed).toEqual([{ member: bo.id, owed: 8500, capital: 0 }]);

		const report = periodReport(state.ledger, '2025-01-01', '2025-01-07');
		expect(report).toMatchObject({
			income: [{ account: 'coop-share', amount: 1500 + 30_000 }],
			expenses: [{ account: 'expense:repairs', amount: 3000 }],
			totalIncome: 31_500,
			totalExpenses: 3000,
			surplus: 28_500,
			transactions: 3
		});
		// The reversal, dated the 8th, is in the next period; the closing balances sum to zero.
		const whole = periodReport(state.ledger, '2025-01-01', '2025-01-31');
		expect(whole).toMatchObject({ totalIncome: 1500, surplus: -1500, transactions: 4 });
		expect(whole.closing.reduce((sum, line) => sum + line.balance, 0)).toBe(0);
		expect(whole.closing.find((line) => line.account === 'bank')?.balance).toBe(10_000 - 3000);
	});

	it('expects the pay of jobs and shifts assigned and not done, with the share at the rate', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const job = await postJob(world, ada, { pay: 2500, startsAt: MONDAY + 9 * HOUR });
		await claim(world, bo, job.id);
		const shift = await postShift(world, ada, { pay: 3600 });
		await signup(world, bo, shift.id, '2025-01-07');
		const state = await projectWorld(world);
		const expected = expectedWork(state.work, bo.id, 1000);
		expect(expected.items.map((item) => [item.kind, item.minutes, item.pay])).toEqual([
			['job', 120, 2500],
			['shift', 180, 3600]
		]);
		expect(expected).toMatchObject({ minutes: 300, gross: 6100, share: 610, net: 5490 });
		expect(expectedWork(state.work, ada.id, 1000)).toMatchObject({ items: [], gross: 0 });
	});
});

describe('patronage from completed work', () => {
	const row = (member: string, minutes: number, pay: number, day: string): CompletedWork => ({
		item: `${member}${day}`,
		kind: 'job',
		member,
		minutes,
		pay,
		endedAt: Date.parse(`${day}T12:00:00Z`),
		period: day.slice(0, 7),
		record: `${member}${day}`
	});

	it('counts hours worked in the period and gives the worked example to the cent', () => {
		const rows = [
			row('a', 1000 * 60, 0, '2025-03-01'),
			row('a', 800 * 60, 0, '2025-11-30'),
			row('b', 1200 * 60, 0, '2025-06-01'),
			row('c', 600 * 60, 0, '2025-12-31'),
			row('d', 400 * 60, 0, '2025-01-01'),
			// Outside the period: not counted.
			row('d', 999 * 60, 0, '2024-12-31'),
			row('e', 60, 0, '2026-01-01')
		];
		const units = patronageUnitsOf(rows, '2025-01-01', '2025-12-31', 'hours');
		expect(units).toEqual([
			{ member: 'a', units: 1800 * 60 },
			{ member: 'b', units: 1200 * 60 },
			{ member: 'c', units: 600 * 60 },
			{ member: 'd', units: 400 * 60 }
		]);
		const split = splitSurplus({ surplus: 50_000, reserveRate: 3000, cashRate: 2000 }, units);
		expect(split.ok && split.split.shares.map((share) => share.amount)).toEqual([
			15_750, 10_500, 5250, 3500
		]);
		expect(split.ok && split.split.shares[0]).toMatchObject({ cash: 3150, capital: 12_600 });
	});

	it('counts pay for the pay basis', () => {
		const rows = [row('a', 60, 2500, '2025-03-01'), row('a', 60, 500, '2025-03-02')];
		expect(patronageUnitsOf(rows, '2025-01-01', '2025-12-31', 'pay')).toEqual([
			{ member: 'a', units: 3000 }
		]);
	});
});

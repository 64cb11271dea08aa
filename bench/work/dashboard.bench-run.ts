import { it } from 'vitest';
import { payableAccount } from '$lib/domain/ledger/accounts';
import {
	completedWorkOf,
	coopDashboard,
	memberDashboard,
	unbookedWork
} from '$lib/domain/ledger/dashboard';
import type { LedgerView, TransactionView } from '$lib/domain/ledger/view';
import type { JobView, WorkView } from '$lib/domain/work/view';
import { prng } from '../../tests/unit/domain/fixtures';
import { jobInput } from '../../tests/unit/domain/work-fixtures';

/**
 * The earnings dashboard's read model on a large co-op: 1,000 members, 20,000 completed jobs over
 * a year and 100,000 postings (income entries paying members, with the co-op's share, and
 * expenses). The views are built as the projection would give them (plain data), so this measures
 * only the read model a page computes after each new record: one member's dashboard, the co-op's,
 * the work done and the jobs not yet in the books. Figures are printed with the goal; timings are
 * not asserted.
 */

const SEED = 7;
const MEMBERS = Number(process.env.WORK_BENCH_MEMBERS ?? 1_000);
const JOBS = Number(process.env.WORK_BENCH_JOBS ?? 20_000);
const POSTINGS = Number(process.env.WORK_BENCH_POSTINGS ?? 100_000);
const GOAL_MS = 16;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

const figure = (n: number) => Math.round(n).toLocaleString('en-US');
const met = (value: number) => (value <= GOAL_MS ? 'goal met' : 'goal NOT met');

/** A member id that looks like one (43 base64url characters). */
const memberId = (index: number) => `m${String(index).padStart(42, '0')}`;

function dateOf(time: number): string {
	return new Date(time).toISOString().slice(0, 10);
}

function views(): { ledger: LedgerView; work: WorkView } {
	const random = prng(SEED);
	const members = Array.from({ length: MEMBERS }, (_, index) => memberId(index));
	const jobs: JobView[] = [];
	for (let index = 0; index < JOBS; index++) {
		const member = members[Math.floor(random() * MEMBERS)]!;
		const startsAt = T0 + Math.floor((index / JOBS) * 365 * DAY);
		const endsAt = startsAt + 2 * 3_600_000;
		jobs.push({
			...jobInput({ startsAt, endsAt, pay: 1000 + (index % 5000) }),
			minutes: 120,
			id: `job${index}`,
			poster: members[0]!,
			at: '',
			rule: 'claim',
			status: 'completed',
			freePlaces: 0,
			offers: [],
			assignees: [
				{
					member,
					at: '',
					by: '',
					startedAt: null,
					done: { minutes: 110, endedAt: endsAt, at: '', id: `done${index}` }
				}
			],
			released: [],
			whys: [],
			startedAt: null,
			completedAt: null,
			cancelled: null
		});
	}
	const transactions: TransactionView[] = [];
	let postings = 0;
	let index = 0;
	while (postings < POSTINGS) {
		const job = jobs[index % jobs.length]!;
		const date = dateOf(job.endsAt + DAY);
		const base = {
			id: `entry${index}`,
			source: 'entry' as const,
			memo: '',
			member: members[0]!,
			at: '',
			reverses: null,
			reason: '',
			reversedBy: null
		};
		if (index % 4 === 3) {
			transactions.push({
				...base,
				kind: 'expense',
				date,
				ref: '',
				postings: [
					{ account: 'expense:fuel', amount: 2500, counterparty: 'Garage' },
					{ account: 'bank', amount: -2500, counterparty: '' }
				]
			});
			postings += 2;
		} else {
			const share = Math.round(job.pay * 0.15);
			const member = job.assignees[0]!.member;
			transactions.push({
				...base,
				kind: 'income',
				date,
				ref: job.id,
				postings: [
					{ account: 'bank', amount: job.pay, counterparty: job.client },
					{ account: payableAccount(member), amount: share - job.pay, counterparty: member },
					{ account: 'coop-share', amount: -share, counterparty: '' }
				]
			});
			postings += 3;
		}
		index++;
	}
	transactions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
	const months = new Map<string, { income: number; expenses: number }>();
	const owed = new Map<string, number>();
	for (const transaction of transactions) {
		const month = transaction.date.slice(0, 7);
		const totals = months.get(month) ?? { income: 0, expenses: 0 };
		months.set(month, totals);
		for (const { account, amount } of transaction.postings) {
			if (account === 'coop-share') totals.income -= amount;
			if (account.startsWith('expense:')) totals.expenses += amount;
			if (account.endsWith(':payable')) owed.set(account, (owed.get(account) ?? 0) - amount);
		}
	}
	const ledger: LedgerView = {
		currency: 'EUR',
		digits: 2,
		transactions,
		balances: [],
		members: [...owed.entries()]
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([account, amount]) => ({ member: account.split(':')[1]!, owed: amount, capital: 0 })),
		assertions: [],
		months: [...months.entries()]
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([month, { income, expenses }]) => ({
				month,
				income,
				expenses,
				surplus: income - expenses
			})),
		allocations: [],
		total: 0
	};
	const work: WorkView = {
		jobs,
		shifts: [],
		signups: [],
		availability: [],
		fairness: [],
		hours: {}
	};
	return { ledger, work };
}

/** The mean time of `run` over `times` calls, after one warm-up call. */
function timed(run: () => unknown, times = 20): number {
	run();
	const start = performance.now();
	for (let n = 0; n < times; n++) run();
	return (performance.now() - start) / times;
}

it('prints the dashboard read model times', () => {
	const { ledger, work } = views();
	const today = '2025-12-31';
	const member = work.jobs[0]!.assignees[0]!.member;

	const completedMs = timed(() => completedWorkOf(work));
	// The first read of a view built by hand indexes it in full (a view from the projection
	// comes with the index its fold keeps); every later read costs one member's entries.
	const start = performance.now();
	memberDashboard({ ledger, work, member, today, jobShare: 1500 });
	const indexMs = performance.now() - start;
	const memberMs = timed(() => memberDashboard({ ledger, work, member, today, jobShare: 1500 }));
	const everyoneStart = performance.now();
	for (const id of new Set(work.jobs.map((job) => job.assignees[0]!.member))) {
		memberDashboard({ ledger, work, member: id, today, jobShare: 1500 });
	}
	const everyoneMs = performance.now() - everyoneStart;
	const coopMs = timed(() => coopDashboard(ledger, today));
	const unbookedMs = timed(() => unbookedWork(work, ledger));
	const mine = memberDashboard({ ledger, work, member, today, jobShare: 1500 });

	const postings = ledger.transactions.reduce((sum, t) => sum + t.postings.length, 0);
	console.log(`\nDashboard read model benchmark (Node ${process.version}, seed ${SEED})`);
	console.log(
		`  ${figure(MEMBERS)} members, ${figure(work.jobs.length)} completed jobs, ` +
			`${figure(ledger.transactions.length)} transactions, ${figure(postings)} postings; ` +
			`the member shown: ${mine.year.jobs} jobs this year`
	);
	console.log(`  work done from the view         ${completedMs.toFixed(1)} ms`);
	console.log(`  index a view built by hand      ${indexMs.toFixed(1)} ms (once per view)`);
	console.log(
		`  one member's dashboard          ${memberMs.toFixed(2)} ms (goal <= ${GOAL_MS} ms: ${met(memberMs)})`
	);
	console.log(`  every member's, one after other ${everyoneMs.toFixed(1)} ms`);
	console.log(
		`  the co-op's dashboard           ${coopMs.toFixed(2)} ms (goal <= ${GOAL_MS} ms: ${met(coopMs)})`
	);
	console.log(`  jobs not yet in the books       ${unbookedMs.toFixed(1)} ms\n`);
});

import {
	assertDraft,
	booksContext,
	expenseDraft,
	incomeDraft,
	payoutDraft,
	reverseDraft
} from '$lib/domain/ledger/commands';
import { isoDateOf, startOfDate } from '$lib/domain/ledger/dates';
import { basisPointsOf, toMajor } from '$lib/domain/ledger/money';
import type { LedgerView, TransactionView } from '$lib/domain/ledger/view';
import { prng, type Device, type Entry, type World } from '../../tests/unit/domain/fixtures';

/**
 * A year of a co-op's books, as its treasurers would record it: a client's payment for every
 * completed job (the member's pay and the co-op's share on their own lines), other income,
 * expenses (some paid by a member), a payout at each month's end of what each member is owed, a
 * bank assertion at each month's end, and some entries reversed a few days later and recorded
 * again. The plan is made first (plain data, no signing) so that the number of expenses can be
 * chosen to give the number of postings asked for; then each planned entry is written through
 * the same commands as the forms use.
 */

export const SHARE = 1500;
const CURRENCY = 'EUR';
const REVERSED = 0.02;
const CATEGORIES = ['rent', 'fuel', 'bike-parts', 'insurance', 'phone', 'repairs', 'software'];

/** A completed part of a job, as the books are told of it. */
export interface PaidWork {
	readonly job: string;
	readonly member: string;
	/** Minor units. */
	readonly pay: number;
	/** When the work ended, ms since the epoch: the payment is booked that day. */
	readonly endedAt: number;
}

type Planned =
	| {
			readonly type: 'income';
			readonly date: string;
			readonly gross: number;
			readonly member: string;
			readonly job: string;
			readonly client: string;
			readonly reversed: boolean;
	  }
	| {
			readonly type: 'expense';
			readonly date: string;
			readonly amount: number;
			readonly category: string;
			/** `bank`, `cash` or a member id. */
			readonly paidBy: string;
			readonly reversed: boolean;
	  }
	| {
			readonly type: 'payout';
			readonly date: string;
			readonly member: string;
			readonly amount: number;
	  }
	| { readonly type: 'assert'; readonly date: string; readonly balance: number }
	| { readonly type: 'reverse'; readonly date: string; readonly of: Planned };

type Entered = Extract<Planned, { type: 'income' | 'expense' }>;

const postingsOf = (event: Planned): number => {
	switch (event.type) {
		case 'income':
			return 3;
		case 'expense':
		case 'payout':
			return 2;
		case 'assert':
			return 0;
		case 'reverse':
			return postingsOf(event.of);
	}
};

const addDays = (date: string, days: number, last: string) => {
	const moved = isoDateOf(startOfDate(date) + days * 86_400_000);
	return moved > last ? last : moved;
};

/** The expenses a plan draws from, in the order they are taken: the same for every plan. */
function expensePool(seed: number, count: number, members: readonly string[], from: string) {
	const random = prng(seed);
	const start = startOfDate(from);
	const pool: Entered[] = [];
	for (let index = 0; index < count; index++) {
		const roll = random();
		pool.push({
			type: 'expense',
			date: isoDateOf(start + Math.floor(random() * 365) * 86_400_000),
			amount: 500 + Math.floor(random() * 49_500),
			category: CATEGORIES[Math.floor(random() * CATEGORIES.length)]!,
			paidBy:
				roll < 0.85
					? 'bank'
					: roll < 0.9
						? 'cash'
						: members[Math.floor(random() * members.length)]!,
			reversed: random() < REVERSED
		});
	}
	return pool;
}

/** Every event of the year with `expenses` expenses, in booking-date order. */
function plan(work: readonly PaidWork[], pool: readonly Entered[], expenses: number, from: string) {
	const random = prng(7);
	const last = isoDateOf(startOfDate(from) + 364 * 86_400_000);
	const entered: Entered[] = work.map((part, index) => ({
		type: 'income',
		date: isoDateOf(part.endedAt) > last ? last : isoDateOf(part.endedAt),
		gross: part.pay,
		member: part.member,
		job: part.job,
		client: `Client ${index % 300}`,
		reversed: random() < REVERSED
	}));
	entered.push(...pool.slice(0, expenses));
	const dated: Planned[] = [];
	for (const event of entered) {
		dated.push(event);
		if (!event.reversed) continue;
		// Reversed a few days later, and recorded again as it should have been.
		const date = addDays(event.date, 3, last);
		dated.push({ type: 'reverse', date, of: event }, { ...event, date, reversed: false });
	}
	// Stable: a reversal and its correction stay after the original on the same date.
	dated.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
	const events: Planned[] = [];
	const owed = new Map<string, number>();
	let bank = 0;
	let month = dated[0]?.date.slice(0, 7);
	const closeMonth = (date: string) => {
		const [y, m] = date.split('-').map(Number) as [number, number];
		const end = isoDateOf(Date.UTC(y, m, 0));
		for (const [member, amount] of [...owed].sort(([a], [b]) => (a < b ? -1 : 1))) {
			if (amount <= 0) continue;
			events.push({ type: 'payout', date: end, member, amount });
			owed.set(member, 0);
			bank -= amount;
		}
		events.push({ type: 'assert', date: end, balance: bank });
	};
	for (const event of dated) {
		if (event.date.slice(0, 7) !== month) {
			closeMonth(`${month}-01`);
			month = event.date.slice(0, 7);
		}
		events.push(event);
		const sign = event.type === 'reverse' ? -1 : 1;
		const entry = event.type === 'reverse' ? event.of : event;
		if (entry.type === 'income') {
			bank += sign * entry.gross;
			const pay = entry.gross - basisPointsOf(entry.gross, SHARE);
			owed.set(entry.member, (owed.get(entry.member) ?? 0) + sign * pay);
		} else if (entry.type === 'expense') {
			if (entry.paidBy === 'bank') bank -= sign * entry.amount;
			else if (entry.paidBy !== 'cash') {
				owed.set(entry.paidBy, (owed.get(entry.paidBy) ?? 0) + sign * entry.amount);
			}
		}
	}
	if (month !== undefined) closeMonth(`${month}-01`);
	return events;
}

const total = (events: readonly Planned[]) =>
	events.reduce((sum, event) => sum + postingsOf(event), 0);

/**
 * The year's events with as many expenses as bring the books closest to `postings` postings
 * (at most that many). Deterministic for a seed and a list of work.
 */
export function planBooks(
	work: readonly PaidWork[],
	members: readonly string[],
	options: {
		readonly postings: number;
		readonly seed: number;
		/** The first day of the books' year, `YYYY-MM-DD`: they run 365 days from it. */
		readonly from: string;
	}
): Planned[] {
	const pool = expensePool(options.seed, Math.ceil(options.postings / 2), members, options.from);
	let low = 0;
	let high = pool.length;
	while (low < high) {
		const middle = (low + high + 1) >>> 1;
		if (total(plan(work, pool, middle, options.from)) <= options.postings) low = middle;
		else high = middle - 1;
	}
	return plan(work, pool, low, options.from);
}

/** What the books of a plan hold, for the benchmark's report. */
export function booksSummary(events: readonly Planned[]) {
	const count = (type: Planned['type']) => events.filter((event) => event.type === type).length;
	return {
		postings: total(events),
		incomes: count('income'),
		expenses: count('expense'),
		payouts: count('payout'),
		reversals: count('reverse'),
		assertions: count('assert')
	};
}

/** A view holding just the transaction a reversal names: enough for `reverseDraft`'s checks. */
function viewOf(id: string): LedgerView {
	const transaction: TransactionView = {
		id,
		source: 'entry',
		kind: 'income',
		date: '',
		memo: '',
		ref: '',
		member: '',
		at: '',
		postings: [],
		reverses: null,
		reason: '',
		reversedBy: null
	};
	return {
		currency: CURRENCY,
		digits: 2,
		transactions: [transaction],
		balances: [],
		members: [],
		assertions: [],
		months: [],
		allocations: [],
		total: 0
	};
}

/**
 * Writes the planned events as records, a millisecond apart, each by one of the `treasurers`
 * (any member may keep the books by default). Throws if a command refuses one.
 */
export async function writeBooks(
	world: World,
	treasurers: readonly Device[],
	members: readonly string[],
	events: readonly Planned[]
): Promise<Entry[]> {
	const books = booksContext(members, SHARE);
	const ids = new Map<Planned, string>();
	const written: Entry[] = [];
	let turn = 0;
	for (const event of events) {
		world.advance(1);
		const treasurer = treasurers[turn++ % treasurers.length]!;
		const context = world.context(treasurer);
		const common = { date: event.date, memo: '', currency: CURRENCY };
		const result = (() => {
			switch (event.type) {
				case 'income':
					return incomeDraft(
						context,
						{
							...common,
							amount: toMajor(event.gross, 2),
							into: 'bank',
							client: event.client,
							ref: event.job,
							member: event.member,
							source: 'jobs'
						},
						books
					);
				case 'expense':
					return expenseDraft(
						context,
						{
							...common,
							amount: toMajor(event.amount, 2),
							category: event.category,
							paidBy: event.paidBy,
							counterparty: `Supplier of ${event.category}`
						},
						books
					);
				case 'payout':
					return payoutDraft(
						context,
						{ ...common, amount: toMajor(event.amount, 2), member: event.member, from: 'bank' },
						books
					);
				case 'assert':
					return assertDraft(context, {
						account: 'bank',
						date: event.date,
						balance: toMajor(event.balance, 2),
						currency: CURRENCY
					});
				case 'reverse':
					return reverseDraft(
						context,
						{ entry: ids.get(event.of)!, date: event.date, reason: 'Wrong amount' },
						viewOf(ids.get(event.of)!)
					);
			}
		})();
		if (!result.ok) throw new Error(`${event.type} refused: ${result.messageKey}`);
		const entry = await world.write(treasurer, result);
		ids.set(event, entry.id);
		written.push(entry);
	}
	return written;
}

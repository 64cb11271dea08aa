import { deepFreeze } from '../kernel/freeze';
import { firstNotBefore } from '../kernel/sorted';
import {
	capitalAccount,
	parseAccount,
	payableAccount,
	type AccountClass,
	type ParsedAccount
} from './accounts';
import { monthOf } from './dates';
import { paidIn, payableMember, type Paid } from './earnings';
import type { Allocation, Assertion, LedgerFold, Transaction } from './fold';
import type { Posting } from './records';
import { minorDigits } from './money';
import type { PatronageBasis } from '../settings/values';

export type { Allocation, Assertion, Transaction } from './fold';

/**
 * The books as members read them, derived from the transactions every time the fold moves (and
 * only then): balances, what the co-op owes each member, whether each assertion is met, income
 * and expenses by month, the patronage allocations. Nothing here is stored in a record.
 */

export interface TransactionView extends Transaction {
	/** The reversal that cancelled it, if any. */
	readonly reversedBy: string | null;
}

export interface AccountBalance {
	readonly account: string;
	readonly class: AccountClass;
	/** The member of a member account. */
	readonly member: string | null;
	/** Sum of its postings: debit > 0, credit < 0. */
	readonly balance: number;
}

/** What the books hold for one member (both are credits to them, shown positive). */
export interface MemberMoney {
	readonly member: string;
	/** What the co-op owes them (pay and cash dividends not yet paid out). */
	readonly owed: number;
	readonly capital: number;
}

export interface AssertionView extends Assertion {
	/** The account's balance in the books at the end of the date. */
	readonly actual: number;
	/** actual − stated: 0 when met. */
	readonly off: number;
	readonly met: boolean;
}

/** One month of the co-op's own result (members' pay is theirs, not the co-op's income). */
export interface MonthTotals {
	/** `YYYY-MM`. */
	readonly month: string;
	/** Income and the co-op's share, net of reversals. */
	readonly income: number;
	readonly expenses: number;
	/** income − expenses. */
	readonly surplus: number;
}

export interface AllocationShareView {
	readonly member: string;
	readonly units: number;
	readonly amount: number;
	readonly cash: number;
	readonly capital: number;
}

export interface AllocationView extends Omit<Allocation, 'shares'> {
	readonly allocated: number;
	readonly totalUnits: number;
	readonly shares: readonly AllocationShareView[];
	/** The surplus of the period in the books (income − expenses dated in it), for comparison. */
	readonly booksSurplus: number;
	readonly reversedBy: string | null;
}

/** The ledger area's read model. */
export interface LedgerView {
	/** The co-op's currency, `null` before the genesis. */
	readonly currency: string | null;
	/** Its minor digits (2 for EUR). */
	readonly digits: number;
	/** By booking date, then in the order they were recorded. */
	readonly transactions: readonly TransactionView[];
	/** Every account with postings, by name. */
	readonly balances: readonly AccountBalance[];
	/** Members with a payable or capital account, by member id. */
	readonly members: readonly MemberMoney[];
	/** By date, then as recorded. */
	readonly assertions: readonly AssertionView[];
	/** Oldest first. */
	readonly months: readonly MonthTotals[];
	/** As adopted, oldest first. */
	readonly allocations: readonly AllocationView[];
	/** The sum of every posting: zero, always (shown so anyone can check it). */
	readonly total: number;
}

/** The co-op's own result of some postings: what is income and expense to the co-op. */
interface Result {
	income: number;
	expenses: number;
}

/** Adds a transaction's postings to the co-op's result (income and share, expenses). */
function addResult(result: Result, postings: readonly Posting[], classOf: ClassOf): void {
	for (const { account, amount } of postings) {
		const kind = classOf(account);
		if (kind === 'income' || kind === 'share') result.income -= amount;
		else if (kind === 'expense') result.expenses += amount;
	}
}

type ClassOf = (account: string) => AccountClass;

/** Inserts `key` in a sorted list of distinct strings (unless it is there). */
function insertSorted(items: string[], key: string): void {
	const index = firstNotBefore(items, (item) => item < key);
	if (items[index] !== key) items.splice(index, 0, key);
}

/**
 * `old` (by date) with `fresh` (in fold order, all folded after `old`) merged in by date: equal
 * dates keep the fold order, as a stable sort of the whole list would.
 */
function mergeByDate<T extends { readonly date: string }>(
	old: readonly T[],
	fresh: readonly T[]
): T[] {
	if (fresh.length === 0) return [...old];
	const sorted = byDate(fresh);
	if (old.length === 0 || old.at(-1)!.date <= sorted[0]!.date) return old.concat(sorted);
	const merged: T[] = [];
	let i = 0;
	let j = 0;
	while (i < old.length && j < sorted.length) {
		merged.push(old[i]!.date <= sorted[j]!.date ? old[i++]! : sorted[j++]!);
	}
	while (i < old.length) merged.push(old[i++]!);
	while (j < sorted.length) merged.push(sorted[j++]!);
	return merged;
}

function byDate<T extends { readonly date: string }>(items: readonly T[]): T[] {
	// Array.prototype.sort is stable: equal dates keep the fold order.
	return [...items].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** A transaction as the view lists it: frozen, as it is shared by every view until it changes. */
function transactionView(transaction: Transaction, reversedBy: string | null): TransactionView {
	// Field by field rather than spread: one shape for every view, made many thousand times.
	const view: TransactionView = Object.freeze({
		id: transaction.id,
		source: transaction.source,
		kind: transaction.kind,
		date: transaction.date,
		memo: transaction.memo,
		ref: transaction.ref,
		member: transaction.member,
		at: transaction.at,
		postings: transaction.postings,
		reverses: transaction.reverses,
		reason: transaction.reason,
		reversedBy
	});
	// Every field but the postings is a string or null; a reversal's postings are its own.
	deepFreeze(view.postings);
	return view;
}

/** An assertion and the balance of its account at the end of its date, so far. */
interface AssertionSum {
	readonly assertion: Assertion;
	actual: number;
	view: AssertionView | null;
}

/** An allocation and the books' result in its period, so far. */
interface AllocationSum {
	readonly allocation: Allocation;
	readonly result: Result;
	reversedBy: string | null;
	view: AllocationView | null;
}

/**
 * The books' sums as the view last saw a fold: how much of its (append-only) lists it has taken
 * in, and the balances, months, assertions and allocations they add up to. A new version of the
 * fold adds only what is new: a new posting costs the postings it carries and a merge of the
 * transactions list, not a pass over all the books. Each item's view object is kept until its
 * figures change, so the state freezes only what moved.
 */
class Books {
	#transactions = 0;
	#assertions = 0;
	#allocations = 0;
	/** Transaction views by date, then fold order: the last view's list (never changed in place). */
	#byDate: readonly TransactionView[] = [];
	/** Transaction id -> its view, for a reversal to mark what it reverses. */
	readonly #views = new Map<string, TransactionView>();
	/** Each account's running balance, and the accounts moved since the views were made. */
	readonly #sums = new Map<string, { readonly parsed: ParsedAccount; balance: number }>();
	readonly #moved = new Set<string>();
	readonly #balances = new Map<string, AccountBalance>();
	/** Account names, sorted. */
	readonly #accounts: string[] = [];
	readonly #parsed = new Map<string, ParsedAccount>();
	readonly #members = new Map<string, MemberMoney>();
	/** Member ids with money, sorted. */
	readonly #memberIds: string[] = [];
	readonly #monthSums = new Map<string, Result>();
	readonly #movedMonths = new Set<string>();
	readonly #months = new Map<string, MonthTotals>();
	/** `YYYY-MM`, sorted. */
	readonly #monthKeys: string[] = [];
	#total = 0;
	/** In fold order. */
	readonly #assertionSums: AssertionSum[] = [];
	readonly #assertionsOf = new Map<string, AssertionSum[]>();
	/** In fold order. */
	readonly #allocationSums: AllocationSum[] = [];
	readonly #allocationsById = new Map<string, AllocationSum>();
	/**
	 * Member -> what the books recorded as paid for their work, in fold order, each row with its
	 * transaction's place in the fold: only ever appended to, so a view made earlier reads the
	 * rows before its own count (see `PaidIndex`).
	 */
	readonly #paid = new Map<string, { readonly position: number; readonly paid: Paid }[]>();
	/** Which parts of jobs the books pay, in fold order: only ever appended to (see `BookingLog`). */
	readonly #bookings: Booking[] = [];
	/** Income entry id -> the parts it books, until it is reversed. */
	readonly #booksParts = new Map<string, readonly string[]>();
	version = -1;
	view: LedgerView | null = null;

	readonly #classOf: ClassOf = (account) => this.#parse(account).class;

	/**
	 * Takes in what the fold added since the last call. With `until` (a `performance.now()`
	 * time), stops at the first chunk of transactions that ends past it and says whether all
	 * is taken in: the first view of a large co-op's books (100,000 postings, half a second in a
	 * browser) is then made over several tasks. The order by date is the same either way.
	 */
	update(fold: LedgerFold, until = Infinity, chunk = CHUNK): boolean {
		this.view = null;
		const count = fold.transactions.length;
		do {
			const upTo = until === Infinity ? count : Math.min(count, this.#transactions + chunk);
			this.#take(fold, upTo);
		} while (this.#transactions < count && performance.now() < until);
		if (this.#transactions < count || !this.#takeChecks(fold, until)) return false;
		this.version = fold.version;
		return true;
	}

	/** Takes in the fold's transactions up to `upTo`. */
	#take(fold: LedgerFold, upTo: number): void {
		const fresh = fold.transactions.slice(this.#transactions, upTo);
		this.#transactions = upTo;
		const views = fresh.map((transaction) => {
			const view = transactionView(transaction, fold.reversedBy.get(transaction.id) ?? null);
			this.#views.set(view.id, view);
			return view;
		});
		const byDate = mergeByDate(this.#byDate, views);
		let position = this.#transactions - fresh.length;
		for (const transaction of fresh) {
			this.#add(transaction);
			for (const paid of paidIn(transaction)) {
				const rows = this.#paid.get(paid.member);
				const row = { position, paid: Object.freeze(paid) };
				if (rows === undefined) this.#paid.set(paid.member, [row]);
				else rows.push(row);
			}
			position++;
			this.#booking(transaction);
			if (transaction.reverses !== null) this.#reversed(transaction, byDate);
		}
		this.#byDate = byDate;
		this.#remake();
	}

	/** Takes in the assertions and allocations the fold added. */
	#takeChecks(fold: LedgerFold, until: number): boolean {
		// Assertions and allocations are summed over every transaction once, when they arrive:
		// each a pass over the books, so the time is looked at after each.
		while (this.#assertions < fold.assertions.length) {
			const assertion = fold.assertions[this.#assertions++]!;
			let actual = 0;
			for (const { date, postings } of fold.transactions) {
				if (date > assertion.date) continue;
				for (const posting of postings)
					if (posting.account === assertion.account) actual += posting.amount;
			}
			const sum: AssertionSum = { assertion, actual, view: null };
			this.#assertionSums.push(sum);
			const list = this.#assertionsOf.get(assertion.account);
			if (list === undefined) this.#assertionsOf.set(assertion.account, [sum]);
			else list.push(sum);
			if (performance.now() > until) return this.#checksTaken(fold);
		}
		while (this.#allocations < fold.allocations.length) {
			const allocation = fold.allocations[this.#allocations++]!;
			const result = { income: 0, expenses: 0 };
			for (const { date, postings } of fold.transactions) {
				if (allocation.from <= date && date <= allocation.to) {
					addResult(result, postings, this.#classOf);
				}
			}
			const reversedBy = fold.reversedBy.get(allocation.id) ?? null;
			const sum: AllocationSum = { allocation, result, reversedBy, view: null };
			this.#allocationSums.push(sum);
			this.#allocationsById.set(allocation.id, sum);
			if (performance.now() > until) return this.#checksTaken(fold);
		}
		return true;
	}

	#checksTaken(fold: LedgerFold): boolean {
		return (
			this.#assertions === fold.assertions.length && this.#allocations === fold.allocations.length
		);
	}

	/** The view of the books as taken in, for the co-op's currency. */
	build(currency: string | null): LedgerView {
		// Frozen here, each part as it is made, so the state's freezing never walks the books.
		return Object.freeze({
			currency,
			digits: currency === null ? 2 : minorDigits(currency),
			transactions: Object.freeze(this.#byDate),
			balances: Object.freeze(this.#accounts.map((account) => this.#balances.get(account)!)),
			members: Object.freeze(this.#memberIds.map((member) => this.#members.get(member)!)),
			assertions: Object.freeze(byDate(this.#assertionSums.map((sum) => this.#assertionView(sum)))),
			months: Object.freeze(this.#monthKeys.map((month) => this.#months.get(month)!)),
			allocations: Object.freeze(this.#allocationSums.map((sum) => this.#allocationView(sum))),
			total: this.#total
		});
	}

	/** What was paid for each member's work, as the books stand now. */
	paidIndex(): PaidIndex {
		const rows = this.#paid;
		const upTo = this.#transactions;
		return {
			of(member) {
				const list = rows.get(member) ?? [];
				const out: Paid[] = [];
				for (const row of list) {
					// Appended in fold order: rows of later versions come last.
					if (row.position >= upTo) break;
					out.push(row.paid);
				}
				return out;
			}
		};
	}

	/** The bookings as the books stand now. */
	bookingLog(): BookingLog {
		return { rows: this.#bookings, upTo: this.#bookings.length };
	}

	/**
	 * An income entry with a `ref` books the parts of that job of the members whose payable it
	 * moves; its reversal takes them back.
	 */
	#booking(transaction: Transaction): void {
		if (transaction.source === 'entry') {
			if (transaction.kind !== 'income' || transaction.ref === '') return;
			// A list, not a set: an entry pays one member or a few.
			const parts: string[] = [];
			for (const { account } of transaction.postings) {
				const member = payableMember(account);
				if (member === null) continue;
				const part = partKey(transaction.ref, member);
				if (!parts.includes(part)) parts.push(part);
			}
			if (parts.length === 0) return;
			this.#booksParts.set(transaction.id, parts);
			for (const part of parts) this.#bookings.push({ part, change: 1 });
		} else if (transaction.reverses !== null) {
			const parts = this.#booksParts.get(transaction.reverses);
			if (parts === undefined) return;
			this.#booksParts.delete(transaction.reverses);
			for (const part of parts) this.#bookings.push({ part, change: -1 });
		}
	}

	#parse(account: string): ParsedAccount {
		let parsed = this.#parsed.get(account);
		// The fold let only accounts of the chart through.
		if (parsed === undefined) this.#parsed.set(account, (parsed = parseAccount(account)!));
		return parsed;
	}

	#add(transaction: Transaction): void {
		const month = monthOf(transaction.date);
		let totals = this.#monthSums.get(month);
		if (totals === undefined) {
			this.#monthSums.set(month, (totals = { income: 0, expenses: 0 }));
			insertSorted(this.#monthKeys, month);
		}
		this.#movedMonths.add(month);
		for (const { account, amount } of transaction.postings) {
			let sum = this.#sums.get(account);
			if (sum === undefined) {
				this.#sums.set(account, (sum = { parsed: this.#parse(account), balance: 0 }));
				insertSorted(this.#accounts, account);
			}
			sum.balance += amount;
			this.#moved.add(account);
			this.#total += amount;
			const kind = sum.parsed.class;
			if (kind === 'income' || kind === 'share') totals.income -= amount;
			else if (kind === 'expense') totals.expenses += amount;
			const asserted = this.#assertionsOf.get(account);
			if (asserted === undefined) continue;
			for (const assertion of asserted) {
				if (transaction.date > assertion.assertion.date) continue;
				assertion.actual += amount;
				assertion.view = null;
			}
		}
		for (const sum of this.#allocationSums) {
			const { from, to } = sum.allocation;
			if (from > transaction.date || transaction.date > to) continue;
			addResult(sum.result, transaction.postings, this.#classOf);
			sum.view = null;
		}
	}

	/** Makes the views of the accounts, members and months that moved (frozen: they are shared). */
	#remake(): void {
		const members = new Set<string>();
		for (const account of this.#moved) {
			const { parsed, balance } = this.#sums.get(account)!;
			this.#balances.set(account, Object.freeze({ account, ...parsed, balance }));
			if (parsed.member !== null) members.add(parsed.member);
		}
		this.#moved.clear();
		for (const member of members) {
			if (!this.#members.has(member)) insertSorted(this.#memberIds, member);
			const payable = this.#sums.get(payableAccount(member));
			const capital = this.#sums.get(capitalAccount(member));
			// 0 − balance, not −balance: a settled account shows 0, not −0.
			this.#members.set(
				member,
				Object.freeze({
					member,
					owed: payable === undefined ? 0 : 0 - payable.balance,
					capital: capital === undefined ? 0 : 0 - capital.balance
				})
			);
		}
		for (const month of this.#movedMonths) {
			const { income, expenses } = this.#monthSums.get(month)!;
			this.#months.set(
				month,
				Object.freeze({ month, income, expenses, surplus: income - expenses })
			);
		}
		this.#movedMonths.clear();
	}

	/** Marks what a reversal cancelled, in the list by date or among the allocations. */
	#reversed(reversal: Transaction, byDate: TransactionView[]): void {
		const original = this.#views.get(reversal.reverses!)!;
		// Made in this same update, after the reversal: its view says so already.
		if (original.reversedBy !== reversal.id) {
			const view = transactionView(original, reversal.id);
			this.#views.set(view.id, view);
			for (
				let index = firstNotBefore(byDate, (item) => item.date <= original.date) - 1;
				index >= 0;
				index--
			) {
				if (byDate[index]!.id !== original.id) continue;
				byDate[index] = view;
				break;
			}
		}
		const allocation = this.#allocationsById.get(original.id);
		if (allocation !== undefined) {
			allocation.reversedBy = reversal.id;
			allocation.view = null;
		}
	}

	#assertionView(sum: AssertionSum): AssertionView {
		const { assertion, actual } = sum;
		sum.view ??= deepFreeze({
			...assertion,
			actual,
			off: actual - assertion.balance,
			met: actual === assertion.balance
		});
		return sum.view;
	}

	#allocationView(sum: AllocationSum): AllocationView {
		const { allocation, result } = sum;
		sum.view ??= deepFreeze({
			...allocation,
			allocated: allocation.surplus - allocation.reserve,
			totalUnits: allocation.shares.reduce((total, share) => total + share.units, 0),
			shares: allocation.shares.map((share) => ({ ...share, capital: share.amount - share.cash })),
			booksSurplus: result.income - result.expenses,
			reversedBy: sum.reversedBy
		});
		return sum.view;
	}
}

/** The sums of each fold the view has seen (a checkpoint's copy starts its own). */
const books = new WeakMap<LedgerFold, Books>();

/** Transactions taken in at a time by `Books.update` given a time to stop. */
const CHUNK = 256;

function booksOf(fold: LedgerFold): Books {
	let sums = books.get(fold);
	if (sums === undefined) books.set(fold, (sums = new Books()));
	return sums;
}

/**
 * Takes in, until about `until` (a `performance.now()` time), what `ledgerView` will need of the
 * fold, `chunk` transactions at a time; true once it all is. Lets a large co-op's first view be
 * made over several tasks.
 */
export function prepareLedgerView(fold: LedgerFold, until: number, chunk = CHUNK): boolean {
	const sums = booksOf(fold);
	return sums.version === fold.version || sums.update(fold, until, chunk);
}

/** The books as the pages show them; built once per version of the fold. */
export function ledgerView(fold: LedgerFold): LedgerView {
	const sums = booksOf(fold);
	const currency = fold.currency();
	// The currency comes with the genesis, which does not move the ledger's own version.
	if (sums.version === fold.version && sums.view?.currency === currency) return sums.view;
	if (sums.version !== fold.version) sums.update(fold);
	sums.view = sums.build(currency);
	paidIndexes.set(sums.view, sums.paidIndex());
	bookingLogs.set(sums.view, sums.bookingLog());
	return sums.view;
}

/** The key of a member's part of a job: `<job id> <member>`. */
export function partKey(job: string, member: string): string {
	return `${job} ${member}`;
}

/** A part of a job (`partKey`) booked by an income entry in force (+1) or no longer (−1). */
export interface Booking {
	readonly part: string;
	readonly change: 1 | -1;
}

/**
 * The bookings as one view holds them: `rows` is the list the fold's sums keep, only ever
 * appended to (a checkpoint's copy starts its own), of which this view holds the first `upTo`.
 * A part is booked while the sum of its changes is above zero.
 */
export interface BookingLog {
	readonly rows: readonly Booking[];
	readonly upTo: number;
}

const bookingLogs = new WeakMap<LedgerView, BookingLog>();

/** The view's booking log, or null for a view not made by `ledgerView` (built by hand). */
export function bookingLog(view: LedgerView): BookingLog | null {
	return bookingLogs.get(view) ?? null;
}

/** What the books say was paid for members' work, per member. */
export interface PaidIndex {
	/** One member's rows, in the order the books took them in (not by date). */
	of(member: string): readonly Paid[];
}

/** Each view's index: kept by its fold's sums, or made once from a view built by hand. */
const paidIndexes = new WeakMap<LedgerView, PaidIndex>();

/**
 * What the books recorded as paid for `member`'s work (each income entry and reversal crediting
 * their payable, with the co-op's share of it): read from the per-member index, so the cost is
 * that member's rows, not the co-op's books.
 */
export function paidFor(view: LedgerView, member: string): readonly Paid[] {
	let index = paidIndexes.get(view);
	if (index === undefined) {
		const rows = new Map<string, Paid[]>();
		for (const transaction of view.transactions) {
			for (const paid of paidIn(transaction)) {
				const list = rows.get(paid.member);
				if (list === undefined) rows.set(paid.member, [paid]);
				else list.push(paid);
			}
		}
		paidIndexes.set(view, (index = { of: (who) => rows.get(who) ?? [] }));
	}
	return index.of(member);
}

/** One member's patronage dividend notice: their line of an allocation, with its context. */
export interface PatronageNotice {
	/** Id of the `ledger.patronage` record: anyone can recompute it from the record. */
	readonly allocation: string;
	readonly member: string;
	readonly from: string;
	readonly to: string;
	readonly date: string;
	readonly currency: string;
	readonly basis: PatronageBasis;
	readonly surplus: number;
	readonly reserveRate: number;
	readonly reserve: number;
	readonly allocated: number;
	readonly totalUnits: number;
	readonly units: number;
	readonly amount: number;
	readonly cashRate: number;
	readonly cash: number;
	readonly capital: number;
	/** True if the allocation was reversed since (the notice no longer holds). */
	readonly reversed: boolean;
}

/** `member`'s notice of the allocation `allocation`, or `undefined` if it has no line for them. */
export function patronageNotice(
	view: LedgerView,
	allocation: string,
	member: string
): PatronageNotice | undefined {
	const found = view.allocations.find((candidate) => candidate.id === allocation);
	const share = found?.shares.find((line) => line.member === member);
	if (found === undefined || share === undefined) return undefined;
	return {
		allocation: found.id,
		member,
		from: found.from,
		to: found.to,
		date: found.date,
		currency: found.currency,
		basis: found.basis,
		surplus: found.surplus,
		reserveRate: found.reserveRate,
		reserve: found.reserve,
		allocated: found.allocated,
		totalUnits: found.totalUnits,
		units: share.units,
		amount: share.amount,
		cashRate: found.cashRate,
		cash: share.cash,
		capital: share.capital,
		reversed: found.reversedBy !== null
	};
}

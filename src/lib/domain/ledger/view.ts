import { parseAccount, type AccountClass } from './accounts';
import { monthOf } from './dates';
import type { Allocation, Assertion, LedgerFold, Transaction } from './fold';
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

const bump = (map: Map<string, number>, key: string, amount: number) =>
	map.set(key, (map.get(key) ?? 0) + amount);

/** The co-op's own result of a set of postings: what is income and expense to the co-op. */
function resultOf(transactions: readonly Transaction[], inPeriod: (date: string) => boolean) {
	let income = 0;
	let expenses = 0;
	for (const transaction of transactions) {
		if (!inPeriod(transaction.date)) continue;
		for (const { account, amount } of transaction.postings) {
			const parsed = parseAccount(account)!;
			if (parsed.class === 'income' || parsed.class === 'share') income -= amount;
			else if (parsed.class === 'expense') expenses += amount;
		}
	}
	return { income, expenses };
}

/** Balance of each asserted account at the end of each asserted date. */
function balancesAt(
	transactions: readonly Transaction[],
	assertions: readonly Assertion[]
): (assertion: Assertion) => number {
	const asserted = new Set(assertions.map((assertion) => assertion.account));
	const byAccount = new Map<string, { date: string; amount: number }[]>();
	for (const { date, postings } of transactions) {
		for (const { account, amount } of postings) {
			if (!asserted.has(account)) continue;
			let list = byAccount.get(account);
			if (list === undefined) byAccount.set(account, (list = []));
			list.push({ date, amount });
		}
	}
	return ({ account, date }) => {
		let sum = 0;
		for (const posting of byAccount.get(account) ?? [])
			if (posting.date <= date) sum += posting.amount;
		return sum;
	};
}

function byDate<T extends { readonly date: string }>(items: readonly T[]): T[] {
	// Array.prototype.sort is stable: equal dates keep the fold order.
	return [...items].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const views = new WeakMap<LedgerFold, { version: number; view: LedgerView }>();

/**
 * Each transaction's view, kept while it is not reversed: a new record rebuilds the lists, not
 * every transaction in them (the state freezes only what is new).
 */
const transactionViews = new WeakMap<Transaction, TransactionView>();

function transactionView(transaction: Transaction, reversedBy: string | null): TransactionView {
	const cached = transactionViews.get(transaction);
	if (cached?.reversedBy === reversedBy) return cached;
	const view = { ...transaction, reversedBy };
	transactionViews.set(transaction, view);
	return view;
}

/** The books as the pages show them; built once per version of the fold. */
export function ledgerView(fold: LedgerFold): LedgerView {
	const cached = views.get(fold);
	const currency = fold.currency();
	// The currency comes with the genesis, which does not move the ledger's own version.
	if (cached?.version === fold.version && cached.view.currency === currency) return cached.view;
	const { transactions } = fold;
	const balances = new Map<string, number>();
	const months = new Map<string, { income: number; expenses: number }>();
	let total = 0;
	for (const transaction of transactions) {
		const month = monthOf(transaction.date);
		let totals = months.get(month);
		if (totals === undefined) months.set(month, (totals = { income: 0, expenses: 0 }));
		for (const { account, amount } of transaction.postings) {
			bump(balances, account, amount);
			total += amount;
		}
	}
	// Income and expenses by month, from the balances' accounts (each parsed once).
	const parsed = new Map([...balances.keys()].map((account) => [account, parseAccount(account)!]));
	for (const transaction of transactions) {
		const totals = months.get(monthOf(transaction.date))!;
		for (const { account, amount } of transaction.postings) {
			const kind = parsed.get(account)!.class;
			if (kind === 'income' || kind === 'share') totals.income -= amount;
			else if (kind === 'expense') totals.expenses += amount;
		}
	}
	const accounts = [...balances.entries()]
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([account, balance]): AccountBalance => {
			const { class: kind, member } = parsed.get(account)!;
			return { account, class: kind, member, balance };
		});
	const members = new Map<string, { owed: number; capital: number }>();
	for (const { class: kind, member, balance } of accounts) {
		if (member === null) continue;
		let money = members.get(member);
		if (money === undefined) members.set(member, (money = { owed: 0, capital: 0 }));
		// 0 − balance, not −balance: a settled account shows 0, not −0.
		if (kind === 'payable') money.owed = 0 - balance;
		if (kind === 'capital') money.capital = 0 - balance;
	}
	const at = balancesAt(transactions, fold.assertions);
	const view: LedgerView = {
		currency,
		digits: currency === null ? 2 : minorDigits(currency),
		transactions: byDate(transactions).map((transaction) =>
			transactionView(transaction, fold.reversedBy.get(transaction.id) ?? null)
		),
		balances: accounts,
		members: [...members.entries()]
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([member, money]) => ({ member, ...money })),
		assertions: byDate(fold.assertions).map((assertion) => {
			const actual = at(assertion);
			return {
				...assertion,
				actual,
				off: actual - assertion.balance,
				met: actual === assertion.balance
			};
		}),
		months: [...months.entries()]
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([month, { income, expenses }]) => ({
				month,
				income,
				expenses,
				surplus: income - expenses
			})),
		allocations: fold.allocations.map((allocation) => {
			const { income, expenses } = resultOf(
				transactions,
				(date) => allocation.from <= date && date <= allocation.to
			);
			return {
				...allocation,
				allocated: allocation.surplus - allocation.reserve,
				totalUnits: allocation.shares.reduce((sum, share) => sum + share.units, 0),
				shares: allocation.shares.map((share) => ({
					...share,
					capital: share.amount - share.cash
				})),
				booksSurplus: income - expenses,
				reversedBy: fold.reversedBy.get(allocation.id) ?? null
			};
		}),
		total
	};
	views.set(fold, { version: fold.version, view });
	return view;
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

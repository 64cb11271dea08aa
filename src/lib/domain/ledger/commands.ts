import {
	draftBuilder,
	line,
	paragraph,
	type DraftContext,
	type DraftResultIn
} from '../kernel/draft';
import type { InputRefusal } from '../kernel/input-result';
import type { RuleReason } from '../kernel/reasons';
import type { PatronageBasis } from '../settings/values';
import {
	expenseAccount,
	MAX_CATEGORY,
	payableAccount,
	capitalAccount,
	isAccount,
	type MoneyAccount
} from './accounts';
import { isIsoDate } from './dates';
import { basisPointsOf, parseAmount } from './money';
import { splitSurplus, type PatronageUnits } from './patronage';
import { LEDGER_RECORDS, type EntryKind, type LedgerBodies, type Posting } from './records';
import { postingsProblem, type BooksContext } from './rules';
import type { LedgerView } from './view';

/**
 * Builders of the ledger's drafts from what a member typed. Amounts are typed in major units
 * (`12,50`) and read with `parseAmount`; every rule the fold applies to a record is applied here
 * first, so a form says what is wrong (a message key of messages/en.json) instead of writing a
 * record peers would reject.
 */

type Result<T extends keyof LedgerBodies> = DraftResultIn<LedgerBodies, T>;

const build = draftBuilder(LEDGER_RECORDS);

function refuse(field: string, messageKey: string): InputRefusal {
	return { ok: false, field, messageKey };
}

/** The message key for a rule the fold would reject the entry by. */
const RULE_MESSAGES: Partial<Record<RuleReason, string>> = {
	'not-money': 'ledger_amount_not_money',
	unbalanced: 'ledger_unbalanced',
	'bad-account': 'ledger_account_bad',
	'bad-share': 'ledger_share_bad'
};

/** The typed amount in minor units, or the refusal to show on `field`. */
function amountOf(
	text: string,
	currency: string,
	field: string,
	options: { readonly signed?: boolean; readonly zero?: boolean } = {}
): { readonly ok: true; readonly amount: number } | InputRefusal {
	const parsed = parseAmount(text, currency, options);
	return parsed.ok ? parsed : refuse(field, `ledger_amount_${parsed.problem}`);
}

/** What the rules need, from the state: who is a member, and the co-op's share. */
export function booksContext(members: Iterable<string>, jobShare: number): BooksContext {
	const known = new Set(members);
	return { isMember: (member) => known.has(member), jobShare };
}

/** A transaction from postings in minor units: the general form the others build on. */
export function entryDraft(
	context: DraftContext,
	input: {
		readonly date: string;
		readonly kind: EntryKind;
		readonly memo: string;
		readonly currency: string;
		readonly ref: string;
		readonly postings: readonly Posting[];
	},
	books: BooksContext
): Result<'ledger.entry'> {
	if (!isIsoDate(input.date)) return refuse('date', 'ledger_date_bad');
	const postings = input.postings.map((posting) => ({
		account: posting.account,
		amount: posting.amount,
		counterparty: line(posting.counterparty)
	}));
	if (postings.length < 2) return refuse('postings', 'ledger_unbalanced');
	const problem = postingsProblem(input.kind, postings, books);
	if (problem !== null)
		return refuse('postings', RULE_MESSAGES[problem.reason] ?? 'record_invalid');
	return build('ledger.entry', context, {
		date: input.date,
		kind: input.kind,
		memo: line(input.memo),
		currency: input.currency,
		ref: input.ref,
		postings
	});
}

interface Common {
	readonly date: string;
	readonly memo: string;
	/** In major units, as typed. */
	readonly amount: string;
	readonly currency: string;
}

/**
 * A client's payment. For a member's job (`member` set), the co-op's share at the decided rate
 * goes on its own line and the rest is owed to the member; otherwise it is the co-op's income.
 */
export function incomeDraft(
	context: DraftContext,
	input: Common & {
		readonly into: MoneyAccount;
		readonly client: string;
		/** The job's record id, or empty. */
		readonly ref: string;
		/** The member whose work it pays, or empty. */
		readonly member: string;
		/** Without a member: a job (`jobs`) or anything else (`other`). */
		readonly source: 'jobs' | 'other';
	},
	books: BooksContext
): Result<'ledger.entry'> {
	const gross = amountOf(input.amount, input.currency, 'amount');
	if (!gross.ok) return gross;
	const postings: Posting[] = [
		{ account: input.into, amount: gross.amount, counterparty: input.client }
	];
	if (input.member === '') {
		postings.push({ account: `income:${input.source}`, amount: -gross.amount, counterparty: '' });
	} else {
		if (!books.isMember(input.member)) return refuse('member', 'ledger_member_unknown');
		const share = basisPointsOf(gross.amount, books.jobShare);
		if (gross.amount > share) {
			postings.push({
				account: payableAccount(input.member),
				amount: share - gross.amount,
				counterparty: input.member
			});
		}
		if (share > 0) postings.push({ account: 'coop-share', amount: -share, counterparty: '' });
	}
	return entryDraft(context, { ...input, kind: 'income', ref: input.ref, postings }, books);
}

/** An expense category as typed ("Office rent") made an account name (`office-rent`). */
export function categoryOf(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/** Spending: from the co-op's money, or paid by a member (`paidBy` a member id), owed back to them. */
export function expenseDraft(
	context: DraftContext,
	input: Common & {
		readonly category: string;
		/** `bank`, `cash`, or the id of the member who paid. */
		readonly paidBy: string;
		/** Who was paid. */
		readonly counterparty: string;
	},
	books: BooksContext
): Result<'ledger.entry'> {
	const amount = amountOf(input.amount, input.currency, 'amount');
	if (!amount.ok) return amount;
	const category = categoryOf(input.category);
	if (category === '' || category.length > MAX_CATEGORY) {
		return refuse('category', 'ledger_category_bad');
	}
	const byMember = input.paidBy !== 'bank' && input.paidBy !== 'cash';
	if (byMember && !books.isMember(input.paidBy)) return refuse('paidBy', 'ledger_member_unknown');
	const postings: Posting[] = [
		{ account: expenseAccount(category), amount: amount.amount, counterparty: input.counterparty },
		{
			account: byMember ? payableAccount(input.paidBy) : input.paidBy,
			amount: -amount.amount,
			counterparty: byMember ? input.paidBy : ''
		}
	];
	return entryDraft(context, { ...input, kind: 'expense', ref: '', postings }, books);
}

/** Pays a member what the co-op owes them. */
export function payoutDraft(
	context: DraftContext,
	input: Common & { readonly member: string; readonly from: MoneyAccount },
	books: BooksContext
): Result<'ledger.entry'> {
	const amount = amountOf(input.amount, input.currency, 'amount');
	if (!amount.ok) return amount;
	if (!books.isMember(input.member)) return refuse('member', 'ledger_member_unknown');
	const postings: Posting[] = [
		{ account: payableAccount(input.member), amount: amount.amount, counterparty: input.member },
		{ account: input.from, amount: -amount.amount, counterparty: input.member }
	];
	return entryDraft(context, { ...input, kind: 'payout', ref: '', postings }, books);
}

/** A member pays capital in (`in`), or is paid capital back (`out`), through `account`. */
export function capitalDraft(
	context: DraftContext,
	input: Common & {
		readonly member: string;
		readonly account: MoneyAccount;
		readonly direction: 'in' | 'out';
	},
	books: BooksContext
): Result<'ledger.entry'> {
	const amount = amountOf(input.amount, input.currency, 'amount');
	if (!amount.ok) return amount;
	if (!books.isMember(input.member)) return refuse('member', 'ledger_member_unknown');
	const inward = input.direction === 'in' ? amount.amount : -amount.amount;
	const postings: Posting[] = [
		{ account: input.account, amount: inward, counterparty: input.member },
		{ account: capitalAccount(input.member), amount: -inward, counterparty: input.member }
	];
	return entryDraft(context, { ...input, kind: 'capital', ref: '', postings }, books);
}

/** Moves money between the co-op's own accounts (to the bank, out of the till). */
export function transferDraft(
	context: DraftContext,
	input: Common & { readonly from: MoneyAccount; readonly to: MoneyAccount },
	books: BooksContext
): Result<'ledger.entry'> {
	const amount = amountOf(input.amount, input.currency, 'amount');
	if (!amount.ok) return amount;
	if (input.from === input.to) return refuse('to', 'ledger_transfer_same');
	const postings: Posting[] = [
		{ account: input.to, amount: amount.amount, counterparty: '' },
		{ account: input.from, amount: -amount.amount, counterparty: '' }
	];
	return entryDraft(context, { ...input, kind: 'transfer', ref: '', postings }, books);
}

/**
 * Reverses a transaction of the books (an entry or an allocation) by posting its opposite. Only
 * one the books hold, not itself a reversal and not reversed yet, can be reversed.
 */
export function reverseDraft(
	context: DraftContext,
	input: { readonly entry: string; readonly date: string; readonly reason: string },
	view: LedgerView
): Result<'ledger.reverse'> {
	const original = view.transactions.find((transaction) => transaction.id === input.entry);
	if (original === undefined) return refuse('entry', 'ledger_reverse_unknown');
	if (original.source === 'reverse') return refuse('entry', 'ledger_reverse_reversal');
	if (original.reversedBy !== null) return refuse('entry', 'ledger_reverse_reversed');
	if (!isIsoDate(input.date)) return refuse('date', 'ledger_date_bad');
	return build('ledger.reverse', context, {
		entry: input.entry,
		date: input.date,
		reason: paragraph(input.reason)
	});
}

/** States what an account held at the end of a date (from a bank statement); may be negative. */
export function assertDraft(
	context: DraftContext,
	input: {
		readonly account: string;
		readonly date: string;
		readonly balance: string;
		readonly currency: string;
	}
): Result<'ledger.assert'> {
	if (!isAccount(input.account)) return refuse('account', 'ledger_account_bad');
	if (!isIsoDate(input.date)) return refuse('date', 'ledger_date_bad');
	const balance = amountOf(input.balance, input.currency, 'balance', { signed: true, zero: true });
	if (!balance.ok) return balance;
	return build('ledger.assert', context, {
		account: input.account,
		date: input.date,
		balance: balance.amount,
		currency: input.currency
	});
}

/**
 * The year-end allocation of the surplus from member work, computed with the rules in force
 * (`reserveRate`, `cashRate`, and the basis adopted before the period) from each member's units.
 */
export function patronageDraft(
	context: DraftContext,
	input: {
		readonly from: string;
		readonly to: string;
		readonly date: string;
		readonly surplus: string;
		readonly currency: string;
		readonly basis: PatronageBasis;
		readonly reserveRate: number;
		readonly cashRate: number;
		readonly units: readonly PatronageUnits[];
	}
): Result<'ledger.patronage'> {
	for (const field of ['from', 'to', 'date'] as const) {
		if (!isIsoDate(input[field])) return refuse(field, 'ledger_date_bad');
	}
	if (input.from > input.to) return refuse('to', 'ledger_period_bad');
	const surplus = amountOf(input.surplus, input.currency, 'surplus');
	if (!surplus.ok) return surplus;
	if (input.units.some(({ units }) => !Number.isSafeInteger(units) || units < 0)) {
		return refuse('units', 'ledger_patronage_bad_units');
	}
	const computed = splitSurplus(
		{ surplus: surplus.amount, reserveRate: input.reserveRate, cashRate: input.cashRate },
		input.units.filter(({ units }) => units > 0)
	);
	if (!computed.ok)
		return refuse('units', `ledger_patronage_${computed.problem.replace('-', '_')}`);
	const { split } = computed;
	return build('ledger.patronage', context, {
		from: input.from,
		to: input.to,
		date: input.date,
		currency: input.currency,
		surplus: surplus.amount,
		basis: input.basis,
		reserveRate: input.reserveRate,
		cashRate: input.cashRate,
		reserve: split.reserve,
		shares: split.shares.map(({ member, units, amount, cash }) => ({ member, units, amount, cash }))
	});
}

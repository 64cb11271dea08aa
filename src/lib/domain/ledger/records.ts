import type { SignedUnion } from '../kernel/envelope';
import {
	format,
	integer,
	list,
	object,
	oneOf,
	text,
	type Check,
	type FieldProblem
} from '../kernel/field-checks';
import { LIMITS } from '../kernel/limits';
import type { RecordKinds } from '../kernel/module';
import { publicKey, recordIdCheck } from '../kernel/shape';
import { PATRONAGE_BASES, type PatronageBasis } from '../settings/values';
import { isAccount, MAX_ACCOUNT } from './accounts';
import { isIsoDate } from './dates';
import { MAX_AMOUNT } from './money';

/**
 * The records of the ledger area: entries, their reversals, balance assertions and the year-end
 * patronage allocation. See docs/ledger.md and docs/records.md.
 *
 * Amounts are checked here only for being numbers: whether they are money (integers of minor
 * units, within bounds, balancing) is judged by the fold, which rejects them with a named reason
 * (`not-money`, `unbalanced`...) that members can read in the integrity report.
 */

/** What an entry records; `patronage` entries are made only by `ledger.patronage`. */
export const ENTRY_KINDS = ['income', 'expense', 'share', 'payout', 'capital', 'transfer'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
/** The kind of a transaction in the books. */
export type TransactionKind = EntryKind | 'patronage';

/** One line of an entry: an amount in minor units on an account (debit > 0, credit < 0). */
export interface Posting {
	readonly account: string;
	readonly amount: number;
	/** A client's name or a member id; empty for none. */
	readonly counterparty: string;
}

/** A transaction: postings that sum to zero. */
export interface EntryBody {
	/** The booking date, `YYYY-MM-DD`. */
	readonly date: string;
	readonly kind: EntryKind;
	readonly memo: string;
	/** ISO 4217: the co-op's currency. */
	readonly currency: string;
	/** Id of the record this entry is for (a job), or empty. */
	readonly ref: string;
	readonly postings: readonly Posting[];
}

/** Cancels an entry (or a patronage allocation) by posting its opposite; never an edit. */
export interface ReverseBody {
	/** Id of the `ledger.entry` or `ledger.patronage` record reversed. */
	readonly entry: string;
	/** The booking date of the reversal. */
	readonly date: string;
	readonly reason: string;
}

/** A signed statement that an account held `balance` at the end of `date` (from the bank). */
export interface AssertBody {
	readonly account: string;
	readonly date: string;
	readonly balance: number;
	readonly currency: string;
}

/** One member's line of a patronage allocation. */
export interface PatronageLine {
	readonly member: string;
	/** Their patronage in the period, in integer units of the basis. */
	readonly units: number;
	/** Their allocation and its cash part, in minor units (the rest goes to capital). */
	readonly amount: number;
	readonly cash: number;
}

/**
 * The year-end split of the surplus, as the adopted rules compute it; the fold computes it again
 * and rejects a record that differs. Its postings are made by the fold (see docs/ledger.md).
 */
export interface PatronageBody {
	/** The period, inclusive. */
	readonly from: string;
	readonly to: string;
	/** The booking date of the allocation. */
	readonly date: string;
	readonly currency: string;
	readonly surplus: number;
	readonly basis: PatronageBasis;
	readonly reserveRate: number;
	readonly cashRate: number;
	readonly reserve: number;
	/** Ascending by member. */
	readonly shares: readonly PatronageLine[];
}

export interface LedgerBodies {
	'ledger.entry': EntryBody;
	'ledger.reverse': ReverseBody;
	'ledger.assert': AssertBody;
	'ledger.patronage': PatronageBody;
}

export type LedgerType = keyof LedgerBodies;
export type LedgerRecord<T extends LedgerType = LedgerType> = SignedUnion<LedgerBodies, T>;

/** A JSON number; whether it is money is the fold's question. */
const number: Check = (value) =>
	typeof value === 'number' && Number.isFinite(value) ? null : 'wrong-type';
const date = format(isIsoDate, 10);
const account = format(isAccount, MAX_ACCOUNT);
const currency = format((value) => /^[A-Z]{3}$/.test(value), 3);
const refOrEmpty: Check = (value) => (value === '' ? null : recordIdCheck(value));
/** Most units one member's patronage may count (a trillion: far beyond a year's work). */
export const MAX_UNITS = 1_000_000_000_000;

const POSTING = {
	account,
	amount: number,
	counterparty: text({ max: LIMITS.counterparty })
};

const SHARE = {
	member: publicKey,
	units: integer(0, MAX_UNITS),
	amount: integer(0, MAX_AMOUNT),
	cash: integer(0, MAX_AMOUNT)
};

function patronageProblem(draft: PatronageBody): FieldProblem | null {
	if (draft.from > draft.to) return { field: 'to', problem: 'out-of-range' };
	if (draft.date < draft.to) return { field: 'date', problem: 'out-of-range' };
	if (draft.shares.length === 0) return { field: 'shares', problem: 'empty' };
	for (let index = 1; index < draft.shares.length; index++) {
		if (!(draft.shares[index - 1]!.member < draft.shares[index]!.member)) {
			return { field: 'shares', problem: 'duplicate' };
		}
	}
	return null;
}

export const LEDGER_RECORDS: RecordKinds<LedgerBodies> = {
	'ledger.entry': {
		body: {
			date,
			kind: oneOf(ENTRY_KINDS),
			memo: text({ max: LIMITS.memo }),
			currency,
			ref: refOrEmpty,
			postings: list(object(POSTING), LIMITS.postings)
		},
		// Twenty postings with 80-character names in four-byte characters pass 8 KiB.
		maxBytes: LIMITS.entryBytes,
		author: 'member',
		cross: (draft) => (draft.postings.length < 2 ? { field: 'postings', problem: 'empty' } : null)
	},
	'ledger.reverse': {
		body: { entry: recordIdCheck, date, reason: text({ min: 1, max: LIMITS.reason }) },
		author: 'member'
	},
	'ledger.assert': {
		body: { account, date, balance: number, currency },
		author: 'member'
	},
	'ledger.patronage': {
		body: {
			from: date,
			to: date,
			date,
			currency,
			surplus: number,
			basis: oneOf(PATRONAGE_BASES),
			reserveRate: integer(0, 10_000),
			cashRate: integer(0, 10_000),
			reserve: number,
			shares: list(object(SHARE), LIMITS.patronageMembers)
		},
		maxBytes: LIMITS.patronageBytes,
		author: 'member',
		cross: patronageProblem
	}
};

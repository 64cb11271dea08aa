import type { Verified } from '../kernel/envelope';
import { wallOf, type Stamp } from '../kernel/hlc';
import {
	ACCEPTED,
	rejected,
	UnexpectedEffectError,
	UnexpectedWaitError,
	type AreaFold,
	type FoldContext,
	type Outcome,
	type Settled,
	type Use,
	type Wait
} from '../kernel/module';
import { MEMBERSHIP, type MembershipQueries } from '../membership/queries';
import { SETTINGS, type SettingsQueries } from '../settings/queries';
import { capitalAccount, parseAccount, payableAccount } from './accounts';
import { endOfDate, startOfDate } from './dates';
import { isBalanceAmount, isPostingAmount, MAX_TURNOVER } from './money';
import { splitSurplus } from './patronage';
import type { LedgerRecord, PatronageBody, Posting, TransactionKind } from './records';
import { mayKeepBooks, postingsProblem, type BooksContext } from './rules';

/**
 * The books, folded record by record in (at, id) order once the kernel has resolved the author
 * to an active member. Each accepted entry, reversal or patronage allocation becomes one
 * transaction whose postings sum to zero; balances are never kept here, the view derives them.
 * Nothing is ever edited: a reversal posts the opposite of what it reverses. See docs/ledger.md.
 */

/** A transaction in the books, as the fold accepted it. */
export interface Transaction {
	/** The id of the record that made it. */
	readonly id: string;
	readonly source: 'entry' | 'reverse' | 'patronage';
	/** For a reversal, the kind of what it reverses. */
	readonly kind: TransactionKind;
	readonly date: string;
	readonly memo: string;
	readonly ref: string;
	/** The member who recorded it. */
	readonly member: string;
	readonly at: Stamp;
	readonly postings: readonly Posting[];
	/** For a reversal: the transaction it reverses. */
	readonly reverses: string | null;
	/** For a reversal: why. */
	readonly reason: string;
}

/** A balance assertion, as recorded; whether it is met is the view's question. */
export interface Assertion {
	readonly id: string;
	readonly account: string;
	readonly date: string;
	readonly balance: number;
	readonly member: string;
	readonly at: Stamp;
}

/** A patronage allocation, as adopted. */
export interface Allocation extends PatronageBody {
	readonly id: string;
	readonly member: string;
	readonly at: Stamp;
}

export class LedgerFold implements AreaFold {
	version = 0;
	/** In fold order. */
	readonly transactions: Transaction[];
	readonly #byId: Map<string, Transaction>;
	/** Transaction id -> the reversal that cancelled it. */
	readonly reversedBy: Map<string, string>;
	readonly assertions: Assertion[];
	readonly allocations: Allocation[];
	/** Sum of the absolute amounts of every posting so far (see `MAX_TURNOVER`). */
	turnover: number;
	readonly #members: MembershipQueries;
	readonly #settings: SettingsQueries;

	constructor(use: Use, from?: LedgerFold) {
		this.#members = use(MEMBERSHIP);
		this.#settings = use(SETTINGS);
		this.version = from?.version ?? 0;
		this.transactions = [...(from?.transactions ?? [])];
		this.#byId = new Map(from === undefined ? [] : from.#byId);
		this.reversedBy = new Map(from?.reversedBy);
		this.assertions = [...(from?.assertions ?? [])];
		this.allocations = [...(from?.allocations ?? [])];
		this.turnover = from?.turnover ?? 0;
	}

	clone(use: Use): LedgerFold {
		return new LedgerFold(use, this);
	}

	/** The co-op's currency (ISO 4217), once founded. */
	currency(): string | null {
		return this.#settings.currency();
	}

	settle(wait: Wait): Settled {
		throw new UnexpectedWaitError(`The ledger waits only through the kernel (${wait.on})`);
	}

	effect(effect: { readonly type: string }): boolean {
		throw new UnexpectedEffectError(`The ledger applies no effect (${effect.type})`);
	}

	apply(entry: Verified<LedgerRecord>, author: string | null, context: FoldContext): Outcome {
		const outcome = this.#judge(entry, author!, context);
		if (outcome.kind === 'accepted') this.version++;
		return outcome;
	}

	#judge(entry: Verified<LedgerRecord>, member: string, context: FoldContext): Outcome {
		const { record } = entry;
		const settings = this.#settings.governed();
		if (!mayKeepBooks(settings, member)) {
			return rejected('not-bookkeeper', 'the co-op keeps its books by its treasurers');
		}
		if (record.type !== 'ledger.reverse' && record.currency !== this.#settings.currency()) {
			return rejected('wrong-currency', `the co-op's books are in ${this.#settings.currency()}`);
		}
		const books: BooksContext = {
			isMember: (key) => this.#members.owns(key),
			jobShare: settings.jobShare
		};
		switch (record.type) {
			case 'ledger.entry': {
				const problem = postingsProblem(record.kind, record.postings, books);
				if (problem !== null) return rejected(problem.reason, problem.detail);
				return this.#post({
					id: entry.id,
					source: 'entry',
					kind: record.kind,
					date: record.date,
					memo: record.memo,
					ref: record.ref,
					member,
					at: record.at,
					postings: record.postings,
					reverses: null,
					reason: ''
				});
			}
			case 'ledger.reverse':
				return this.#reverse(entry.id, record, member, context);
			case 'ledger.assert': {
				// The schema let only accounts of the chart through.
				const owner = parseAccount(record.account)!.member;
				if (!isBalanceAmount(record.balance)) {
					return rejected('not-money', 'the balance is not a whole number of minor units');
				}
				if (owner !== null && !this.#members.owns(owner)) {
					return rejected('bad-account', 'the account of someone who is not a member');
				}
				const { account, date, balance, at } = record;
				this.assertions.push({ id: entry.id, account, date, balance, member, at });
				return ACCEPTED;
			}
			case 'ledger.patronage':
				return this.#patronage(entry.id, record, member);
			default:
				return record satisfies never;
		}
	}

	/** Books a transaction, unless it would take the books past exact arithmetic. */
	#post(transaction: Transaction): Outcome {
		let turnover = this.turnover;
		for (const { amount } of transaction.postings) turnover += Math.abs(amount);
		if (turnover > MAX_TURNOVER) {
			return rejected('overflow', 'the books would hold more than can be summed exactly');
		}
		this.turnover = turnover;
		this.transactions.push(transaction);
		this.#byId.set(transaction.id, transaction);
		return ACCEPTED;
	}

	#reverse(
		id: string,
		record: LedgerRecord<'ledger.reverse'>,
		member: string,
		context: FoldContext
	): Outcome {
		const original = this.#byId.get(record.entry);
		if (original === undefined) {
			// Not in the books: it may not have arrived yet (the kernel keeps the reversal waiting),
			// or it came and is not an entry the books hold (a rejected one, or another record).
			return (
				context.after(record.entry) ??
				rejected('bad-reversal', 'it names a record that is not in the books')
			);
		}
		if (original.source === 'reverse') {
			return rejected('bad-reversal', 'a reversal is not reversed: record the entry again');
		}
		if (this.reversedBy.has(original.id)) return rejected('duplicate', 'already reversed');
		const outcome = this.#post({
			id,
			source: 'reverse',
			kind: original.kind,
			date: record.date,
			memo: original.memo,
			ref: original.ref,
			member,
			at: record.at,
			postings: original.postings.map((posting) => ({ ...posting, amount: -posting.amount })),
			reverses: original.id,
			reason: record.reason
		});
		if (outcome.kind === 'accepted') this.reversedBy.set(original.id, id);
		return outcome;
	}

	#patronage(id: string, record: LedgerRecord<'ledger.patronage'>, member: string): Outcome {
		if (
			!isPostingAmount(record.surplus) ||
			record.surplus < 0 ||
			!isBalanceAmount(record.reserve)
		) {
			return rejected('not-money', 'the surplus is not a whole number of minor units');
		}
		if (wallOf(record.at) < endOfDate(record.to)) {
			return rejected('too-early', 'a period is allocated once it is over');
		}
		const before = this.#settings.governedBefore(startOfDate(record.from));
		const now = this.#settings.governed();
		if (record.basis !== before.patronageBasis) {
			return rejected('bad-allocation', 'the basis is not the one adopted before the period');
		}
		if (record.reserveRate !== now.patronageReserve || record.cashRate !== now.patronageCash) {
			return rejected('bad-allocation', 'the rates are not the ones the co-op decided');
		}
		for (const share of record.shares) {
			if (!this.#members.owns(share.member)) {
				return rejected('bad-account', 'a share of someone who is not a member');
			}
		}
		const computed = splitSurplus(
			{ surplus: record.surplus, reserveRate: record.reserveRate, cashRate: record.cashRate },
			record.shares
		);
		if (!computed.ok) return rejected('bad-allocation', computed.problem);
		const { split } = computed;
		const matches =
			split.reserve === record.reserve &&
			split.shares.every(
				(share, index) =>
					share.amount === record.shares[index]!.amount && share.cash === record.shares[index]!.cash
			);
		if (!matches) return rejected('bad-allocation', 'it differs from the computed split');
		const overlapping = this.allocations.some(
			(other) =>
				!this.reversedBy.has(other.id) && other.from <= record.to && record.from <= other.to
		);
		if (overlapping) return rejected('duplicate', 'the period is already allocated');
		const postings: Posting[] = [{ account: 'surplus', amount: record.surplus, counterparty: '' }];
		if (split.reserve > 0) {
			postings.push({ account: 'reserve', amount: -split.reserve, counterparty: '' });
		}
		for (const share of split.shares) {
			if (share.cash > 0) {
				postings.push({
					account: payableAccount(share.member),
					amount: -share.cash,
					counterparty: share.member
				});
			}
			if (share.capital > 0) {
				postings.push({
					account: capitalAccount(share.member),
					amount: -share.capital,
					counterparty: share.member
				});
			}
		}
		const outcome = this.#post({
			id,
			source: 'patronage',
			kind: 'patronage',
			date: record.date,
			memo: `${record.from} – ${record.to}`,
			ref: '',
			member,
			at: record.at,
			postings,
			reverses: null,
			reason: ''
		});
		if (outcome.kind === 'accepted') {
			const {
				from,
				to,
				date,
				currency,
				surplus,
				basis,
				reserveRate,
				cashRate,
				reserve,
				shares,
				at
			} = record;
			this.allocations.push({
				...{ from, to, date, currency, surplus, basis, reserveRate, cashRate, reserve, shares },
				id,
				member,
				at
			});
		}
		return outcome;
	}
}

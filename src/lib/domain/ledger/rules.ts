import type { RuleReason } from '../kernel/reasons';
import type { GovernedSettings } from '../settings/values';
import { parseAccount, type AccountClass } from './accounts';
import { basisPointsOf, isPostingAmount } from './money';
import type { Posting, TransactionKind } from './records';

/**
 * The rules of the books that the fold applies to records and the commands to what a member
 * typed, so that a form refuses exactly what peers would reject. See docs/ledger.md.
 */

/** True if `member` may record in the books under the co-op's settings. */
export function mayKeepBooks(settings: GovernedSettings, member: string): boolean {
	return settings.bookkeeping === 'any' || settings.treasurers.includes(member);
}

/** Which way a class of account may move in a kind of transaction: debit, credit or either. */
type Side = 'debit' | 'credit' | 'either';

/**
 * The accounts each kind of transaction may touch, and which way. An income brings money in
 * (asset debited) and credits income, the co-op's share and members' pay; an expense is paid from
 * money or by a member (owed back to them); a share moves part of a member's pay to the co-op;
 * a payout pays a member what they are owed; capital moves money or pay into (or out of) a
 * member's capital; a transfer moves money between the co-op's own accounts. Patronage is made
 * only by the fold, from an allocation.
 */
export const KIND_ACCOUNTS: Readonly<
	Record<TransactionKind, Readonly<Partial<Record<AccountClass, Side>>>>
> = {
	income: { asset: 'debit', income: 'credit', share: 'credit', payable: 'credit' },
	expense: { expense: 'debit', asset: 'credit', payable: 'credit' },
	share: { payable: 'debit', share: 'credit' },
	payout: { payable: 'debit', asset: 'credit' },
	capital: { asset: 'either', payable: 'either', capital: 'either' },
	transfer: { asset: 'either' },
	patronage: { surplus: 'debit', reserve: 'credit', payable: 'credit', capital: 'credit' }
};

/** What is wrong with a transaction, as the fold rejects it. */
export interface BooksProblem {
	readonly reason: RuleReason;
	readonly detail: string;
}

/** What the rules need to know of the co-op. */
export interface BooksContext {
	/** True if `member` is (or was) a member of the co-op. */
	isMember(member: string): boolean;
	/** The co-op's share of job payments, in basis points. */
	readonly jobShare: number;
}

/**
 * The first problem of a transaction's postings: amounts that are not money, postings that do
 * not balance, accounts outside the chart or the kind, a co-op's share that is not the rate.
 */
export function postingsProblem(
	kind: TransactionKind,
	postings: readonly Posting[],
	context: BooksContext
): BooksProblem | null {
	let sum = 0;
	for (const { amount } of postings) {
		if (!isPostingAmount(amount)) {
			return { reason: 'not-money', detail: 'an amount is not a whole number of minor units' };
		}
		sum += amount;
	}
	// Each amount is at most 10^15 and there are at most 20: the sum is exact.
	if (sum !== 0) return { reason: 'unbalanced', detail: `postings sum to ${sum}` };
	const allowed = KIND_ACCOUNTS[kind];
	let payable = 0;
	let share = 0;
	for (const { account, amount } of postings) {
		const parsed = parseAccount(account);
		const side = parsed === null ? undefined : allowed[parsed.class];
		if (parsed === null || side === undefined) {
			return { reason: 'bad-account', detail: `${kind} does not use ${account}` };
		}
		if ((side === 'debit' && amount < 0) || (side === 'credit' && amount > 0)) {
			return {
				reason: 'bad-account',
				detail: `${kind} does not ${amount > 0 ? 'debit' : 'credit'} ${account}`
			};
		}
		if (parsed.member !== null && !context.isMember(parsed.member)) {
			return { reason: 'bad-account', detail: 'the account of someone who is not a member' };
		}
		if (parsed.class === 'payable') payable -= amount;
		if (parsed.class === 'share') share -= amount;
	}
	// A member's job payment: the co-op's share is the decided rate of the whole, on its own line.
	if (kind === 'income' && payable > 0) {
		const expected = basisPointsOf(payable + share, context.jobShare);
		if (share !== expected) {
			return {
				reason: 'bad-share',
				detail: `the co-op's share of ${payable + share} is ${expected}`
			};
		}
	}
	return null;
}

import type { Transaction } from './fold';

/**
 * What the books say was paid for members' work, one transaction at a time: the ledger view keeps
 * it per member as transactions arrive (see `view.ts`), so a member's dashboard reads their own
 * rows, not every transaction of the co-op. See docs/ledger.md, "The earnings dashboard".
 */

/** One member's pay in one income entry (or its reversal), with the co-op's share of it. */
export interface Paid {
	readonly member: string;
	/** The transaction's booking date, `YYYY-MM-DD`. */
	readonly date: string;
	readonly net: number;
	readonly share: number;
}

const PAYABLE_PREFIX = 'member:';
const PAYABLE_SUFFIX = ':payable';

/** The member of a payable account (`member:<key>:payable`), or null for any other account. */
export function payableMember(account: string): string | null {
	return account.startsWith(PAYABLE_PREFIX) && account.endsWith(PAYABLE_SUFFIX)
		? account.slice(PAYABLE_PREFIX.length, -PAYABLE_SUFFIX.length)
		: null;
}

/**
 * Each member an income transaction (a reversal counts negative) pays for their work: what it
 * credits their payable, with the co-op's share of it. When one entry pays several members, its
 * share is split in proportion to their pay (rounded toward zero, the remainder to the first
 * member listed), so the shares still add up to the entry's. Members it pays nothing net are left
 * out; in the order their payables first appear.
 */
export function paidIn(transaction: Pick<Transaction, 'kind' | 'date' | 'postings'>): Paid[] {
	if (transaction.kind !== 'income') return [];
	let pay = 0;
	let share = 0;
	const payees = new Map<string, number>();
	for (const { account, amount } of transaction.postings) {
		// The books hold only accounts of the chart: the names tell the classes apart.
		if (account === 'coop-share') share -= amount;
		else if (payableMember(account) !== null) {
			pay -= amount;
			payees.set(account, (payees.get(account) ?? 0) - amount);
		}
	}
	const out: Paid[] = [];
	if (payees.size === 0) return out;
	const split = payees.size > 1 && pay !== 0;
	let left = share;
	const parts = new Map<string, number>();
	if (split) {
		for (const [account, theirs] of payees) {
			const part = Number((BigInt(share) * BigInt(theirs)) / BigInt(pay));
			parts.set(account, part);
			left -= part;
		}
	}
	let first = true;
	for (const [account, mine] of payees) {
		const part = split ? parts.get(account)! + (first ? left : 0) : share;
		first = false;
		if (mine === 0) continue;
		out.push({ member: payableMember(account)!, date: transaction.date, net: mine, share: part });
	}
	return out;
}

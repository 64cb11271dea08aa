import { isPublicKey } from '$lib/crypto/keys';

/**
 * The co-op's chart of accounts: a small fixed list, plus one account per expense category and
 * two per member. Amounts are signed: a debit is positive, a credit negative, so the postings of
 * every transaction sum to zero and so do all balances. See docs/ledger.md, "Accounts".
 *
 * | account                 | class    | holds                                                     |
 * | ----------------------- | -------- | --------------------------------------------------------- |
 * | `bank`, `cash`          | asset    | the co-op's money (debit balance)                         |
 * | `income:jobs`           | income   | clients' payments for jobs the co-op keeps whole          |
 * | `income:other`          | income   | other income (grants, interest, invoices)                 |
 * | `coop-share`            | share    | the co-op's share of members' job payments                |
 * | `expense:<category>`    | expense  | spending, by category (`expense:rent`, `expense:fuel`)    |
 * | `member:<key>:payable`  | payable  | what the co-op owes a member (credit balance)             |
 * | `member:<key>:capital`  | capital  | a member's capital in the co-op (credit balance)          |
 * | `reserve`               | reserve  | the indivisible reserve, fed by patronage allocations     |
 * | `surplus`               | surplus  | surplus allocated at year end (debited by patronage)      |
 */

export const ACCOUNT_CLASSES = [
	'asset',
	'income',
	'share',
	'expense',
	'payable',
	'capital',
	'reserve',
	'surplus'
] as const;
export type AccountClass = (typeof ACCOUNT_CLASSES)[number];

/** Longest account name: `member:` + a key + `:capital`. */
export const MAX_ACCOUNT = 60;
/** Longest expense category. */
export const MAX_CATEGORY = 30;

const FIXED: Readonly<Record<string, AccountClass>> = {
	bank: 'asset',
	cash: 'asset',
	'income:jobs': 'income',
	'income:other': 'income',
	'coop-share': 'share',
	reserve: 'reserve',
	surplus: 'surplus'
};

const CATEGORY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** An account name, read: its class, and the member it belongs to for member accounts. */
export interface ParsedAccount {
	readonly class: AccountClass;
	readonly member: string | null;
}

/**
 * Names read before, with what they are: a co-op's books use a few thousand accounts, each in
 * many postings, and reading a member's account checks their key. Emptied when it holds
 * `PARSED_KEPT` names, so names made up by a hostile record cannot grow it without bound.
 */
const parsed = new Map<string, ParsedAccount | null>();
const PARSED_KEPT = 16_384;

/** The account's class and member, or `null` if the name is not in the chart. */
export function parseAccount(name: string): ParsedAccount | null {
	const known = parsed.get(name);
	if (known !== undefined) return known;
	const account = readAccount(name);
	if (parsed.size >= PARSED_KEPT) parsed.clear();
	parsed.set(name, account === null ? null : Object.freeze(account));
	return account;
}

function readAccount(name: string): ParsedAccount | null {
	if (Object.hasOwn(FIXED, name)) return { class: FIXED[name]!, member: null };
	if (name.startsWith('expense:')) {
		const category = name.slice('expense:'.length);
		return category.length <= MAX_CATEGORY && CATEGORY.test(category)
			? { class: 'expense', member: null }
			: null;
	}
	const parts = name.split(':');
	if (parts.length === 3 && parts[0] === 'member' && isPublicKey(parts[1])) {
		if (parts[2] === 'payable') return { class: 'payable', member: parts[1] };
		if (parts[2] === 'capital') return { class: 'capital', member: parts[1] };
	}
	return null;
}

/** True for a name in the chart. */
export function isAccount(name: string): boolean {
	return name.length <= MAX_ACCOUNT && parseAccount(name) !== null;
}

/** What the co-op owes `member` (their pay not yet paid out). */
export function payableAccount(member: string): string {
	return `member:${member}:payable`;
}

/** `member`'s capital account. */
export function capitalAccount(member: string): string {
	return `member:${member}:capital`;
}

/** The account of an expense category (lower-case words joined by dashes). */
export function expenseAccount(category: string): string {
	return `expense:${category}`;
}

/** Accounts money is held in. */
export const MONEY_ACCOUNTS = ['bank', 'cash'] as const;
export type MoneyAccount = (typeof MONEY_ACCOUNTS)[number];

/**
 * Money as the books keep it: integer minor units (cents for EUR) of the co-op's currency, never
 * floats. How many minor digits a currency has comes from a fixed ISO 4217 table, not from the
 * device's `Intl` data, so that every device reads an amount the same way. See docs/ledger.md.
 */

/** Currencies whose minor unit is not 1/100 (ISO 4217); every other code has 2 digits. */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
	BHD: 3,
	BIF: 0,
	CLF: 4,
	CLP: 0,
	DJF: 0,
	GNF: 0,
	IQD: 3,
	ISK: 0,
	JOD: 3,
	JPY: 0,
	KMF: 0,
	KRW: 0,
	KWD: 3,
	LYD: 3,
	OMR: 3,
	PYG: 0,
	RWF: 0,
	TND: 3,
	UGX: 0,
	UYI: 0,
	UYW: 4,
	VND: 0,
	VUV: 0,
	XAF: 0,
	XOF: 0,
	XPF: 0
};

/** Digits after the decimal mark in the currency's minor unit. */
export function minorDigits(currency: string): number {
	return Object.hasOwn(MINOR_DIGITS, currency) ? MINOR_DIGITS[currency]! : 2;
}

/**
 * Largest amount of one posting, in minor units (10 trillion euros): beyond any co-op's books,
 * and small enough that sums of many postings stay exact (see `MAX_TURNOVER`).
 */
export const MAX_AMOUNT = 1_000_000_000_000_000;

/**
 * Largest sum of the absolute amounts of every posting in the books. Every balance and total is
 * a sum of some postings, so none can lose precision while this holds.
 */
export const MAX_TURNOVER = Number.MAX_SAFE_INTEGER;

/** True for an amount a posting may carry: a non-zero integer of at most `MAX_AMOUNT`. */
export function isPostingAmount(amount: number): boolean {
	return Number.isSafeInteger(amount) && amount !== 0 && Math.abs(amount) <= MAX_AMOUNT;
}

/** True for a balance an assertion may state: an integer of at most `MAX_AMOUNT` either way. */
export function isBalanceAmount(amount: number): boolean {
	return Number.isSafeInteger(amount) && !Object.is(amount, -0) && Math.abs(amount) <= MAX_AMOUNT;
}

/**
 * An amount in major units as an accountant's file writes it: digits, a dot, exactly the
 * currency's minor digits, a leading minus when negative (`-1234.50`). Exact for any safe integer.
 */
export function toMajor(amount: number, digits: number): string {
	const sign = amount < 0 ? '-' : '';
	const units = String(Math.abs(amount)).padStart(digits + 1, '0');
	if (digits === 0) return sign + units;
	return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/** Why typed text is not an amount of money (each is a message key `ledger_amount_<why>`). */
export type AmountProblem = 'bad_format' | 'negative' | 'zero' | 'too_precise' | 'too_large';

export type ParsedAmount =
	| { readonly ok: true; readonly amount: number }
	| { readonly ok: false; readonly problem: AmountProblem };

const GROUPING = /[\s\u00a0\u202f]/gu;
const AMOUNT = /^(-?)(\d+)(?:[.,](\d+))?$/;

/**
 * Reads an amount a member typed, in major units, into minor units of `currency`: digits with one
 * decimal mark (`.` or `,`), spaces allowed between groups (`1 234,56`). With `signed`, a leading
 * minus is allowed (a balance can be overdrawn); otherwise it is refused (pay is never negative).
 * Zero is refused unless `zero` (a balance may be nil). More decimals than the currency has,
 * and amounts past `MAX_AMOUNT`, are refused rather than rounded.
 */
export function parseAmount(
	text: string,
	currency: string,
	options: { readonly signed?: boolean; readonly zero?: boolean } = {}
): ParsedAmount {
	const match = AMOUNT.exec(text.replace(GROUPING, ''));
	if (match === null) return { ok: false, problem: 'bad_format' };
	const [, minus, whole, fraction = ''] = match;
	if (minus === '-' && options.signed !== true) return { ok: false, problem: 'negative' };
	const digits = minorDigits(currency);
	const significant = fraction.replace(/0+$/, '');
	if (significant.length > digits) return { ok: false, problem: 'too_precise' };
	if (whole!.length > 20) return { ok: false, problem: 'too_large' };
	const minor =
		BigInt(whole!) * 10n ** BigInt(digits) + BigInt(significant.padEnd(digits, '0') || '0');
	if (minor > BigInt(MAX_AMOUNT)) return { ok: false, problem: 'too_large' };
	if (minor === 0n && options.zero !== true) return { ok: false, problem: 'zero' };
	const amount = Number(minor);
	return { ok: true, amount: minus === '-' && amount !== 0 ? -amount : amount };
}

/**
 * `rate` basis points of `amount` (both integers), rounded half away from zero to a minor unit;
 * computed exactly, whatever the size.
 */
export function basisPointsOf(amount: number, rate: number): number {
	const product = BigInt(amount) * BigInt(rate);
	const sign = product < 0n ? -1n : 1n;
	const magnitude = product * sign;
	return Number(((magnitude + 5_000n) / 10_000n) * sign);
}

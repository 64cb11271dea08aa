/**
 * The year-end split of the co-op's surplus from member work (a patronage dividend), as a pure
 * function of the rules the co-op adopted by decision and each member's patronage:
 *
 * 1. reserve = surplus × reserve rate, rounded down to the minor unit;
 * 2. the rest (allocated = surplus − reserve) is shared in proportion to each member's units
 *    (hours, pay or weighted hours, as the basis adopted before the period says), exactly to the
 *    minor unit by the largest remainder method: each member gets the whole part of their
 *    quota, and the minor units left go one each to the largest remainders; equal remainders go
 *    to the member whose key sorts first (code-unit order);
 * 3. each member's cash part = their allocation × cash rate, rounded up (so it is never less than
 *    the rate), and the rest is credited to their capital account.
 *
 * Nothing is lost or created: reserve + Σ allocations = surplus, cash + capital = allocation.
 * Computed with BigInt, so exact for any amounts the books allow. See docs/ledger.md.
 */

/** One member's patronage in the period, in integer units of the basis (e.g. minutes, cents). */
export interface PatronageUnits {
	readonly member: string;
	readonly units: number;
}

export interface PatronageRules {
	/** The surplus from member work to split, in minor units (> 0). */
	readonly surplus: number;
	/** Basis points of the surplus kept in the reserve. */
	readonly reserveRate: number;
	/** Basis points of each allocation paid in cash. */
	readonly cashRate: number;
}

/** One member's line of the split. */
export interface PatronageShare extends PatronageUnits {
	/** Their allocation, in minor units. */
	readonly amount: number;
	/** The part paid in cash (owed to them, payable). */
	readonly cash: number;
	/** The part credited to their capital account. */
	readonly capital: number;
}

export interface PatronageSplit {
	readonly reserve: number;
	/** surplus − reserve: what the members share. */
	readonly allocated: number;
	readonly totalUnits: number;
	/** Ascending by member key. */
	readonly shares: readonly PatronageShare[];
}

/** The split could not be made. */
export type PatronageProblem = 'no-units' | 'duplicate-member' | 'bad-units' | 'bad-rules';

const BP = 10_000n;

/**
 * The split of `rules.surplus` among `units` (any order; the result is ascending by member).
 * Members with no units get nothing.
 */
export function splitSurplus(
	rules: PatronageRules,
	units: readonly PatronageUnits[]
):
	| { readonly ok: true; readonly split: PatronageSplit }
	| { readonly ok: false; readonly problem: PatronageProblem } {
	const { surplus, reserveRate, cashRate } = rules;
	const rate = (value: number) => Number.isSafeInteger(value) && value >= 0 && value <= 10_000;
	if (!Number.isSafeInteger(surplus) || surplus <= 0 || !rate(reserveRate) || !rate(cashRate)) {
		return { ok: false, problem: 'bad-rules' };
	}
	const sorted = [...units].sort((a, b) =>
		a.member < b.member ? -1 : a.member > b.member ? 1 : 0
	);
	let total = 0n;
	for (let index = 0; index < sorted.length; index++) {
		const { member, units: count } = sorted[index]!;
		if (!Number.isSafeInteger(count) || count < 0) return { ok: false, problem: 'bad-units' };
		if (index > 0 && sorted[index - 1]!.member === member) {
			return { ok: false, problem: 'duplicate-member' };
		}
		total += BigInt(count);
	}
	if (total === 0n) return { ok: false, problem: 'no-units' };
	const reserve = (BigInt(surplus) * BigInt(reserveRate)) / BP;
	const allocated = BigInt(surplus) - reserve;
	const quotas = sorted.map(({ units: count }) => {
		const exact = allocated * BigInt(count);
		return { whole: exact / total, remainder: exact % total };
	});
	let left = allocated - quotas.reduce((sum, quota) => sum + quota.whole, 0n);
	// Largest remainders first; on a tie, the member who sorts first (the sort is stable and the
	// list is ascending by member).
	const order = quotas
		.map((quota, index) => ({ index, remainder: quota.remainder }))
		.sort((a, b) => (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1));
	const amounts = quotas.map((quota) => quota.whole);
	for (const { index } of order) {
		if (left === 0n) break;
		amounts[index]! += 1n;
		left--;
	}
	const shares = sorted.map(({ member, units: count }, index) => {
		const amount = amounts[index]!;
		const cash = (amount * BigInt(cashRate) + BP - 1n) / BP;
		return {
			member,
			units: count,
			amount: Number(amount),
			cash: Number(cash),
			capital: Number(amount - cash)
		};
	});
	return {
		ok: true,
		split: {
			reserve: Number(reserve),
			allocated: Number(allocated),
			totalUnits: Number(total),
			shares
		}
	};
}

import { describe, expect, it } from 'vitest';
import {
	basisPointsOf,
	MAX_AMOUNT,
	minorDigits,
	parseAmount,
	toMajor
} from '$lib/domain/ledger/money';
import { splitSurplus, type PatronageUnits } from '$lib/domain/ledger/patronage';
import { isAccount, parseAccount } from '$lib/domain/ledger/accounts';
import { isIsoDate } from '$lib/domain/ledger/dates';
import { prng, shuffle } from './fixtures';

/**
 * The arithmetic of the books, as pure functions: reading typed amounts into minor units,
 * writing them for an accountant, the co-op's share, and the patronage split to the cent.
 */

const KEY = (letter: string) => `${letter}${'x'.repeat(41)}A`;

describe('amounts typed by members', () => {
	it.each([
		['12.50', 'EUR', 1250],
		['12,5', 'EUR', 1250],
		['1 234,56', 'EUR', 123456],
		['1\u202f234.56', 'EUR', 123456],
		['12.340', 'EUR', 1234],
		['7', 'EUR', 700],
		['1500', 'JPY', 1500],
		['1.234', 'KWD', 1234]
	])('reads %s %s as %i minor units', (text, currency, minor) => {
		expect(parseAmount(text, currency)).toEqual({ ok: true, amount: minor });
	});

	it.each([
		['12.345', 'EUR', 'too_precise'],
		['12.5', 'JPY', 'too_precise'],
		['-5', 'EUR', 'negative'],
		['0', 'EUR', 'zero'],
		['0.00', 'EUR', 'zero'],
		['10000000000000.01', 'EUR', 'too_large'],
		['99999999999999999999999', 'EUR', 'too_large'],
		['1,234.56', 'EUR', 'bad_format'],
		['12e3', 'EUR', 'bad_format'],
		['', 'EUR', 'bad_format'],
		['1.2.3', 'EUR', 'bad_format']
	])('refuses %s %s (%s)', (text, currency, problem) => {
		expect(parseAmount(text, currency)).toEqual({ ok: false, problem });
	});

	it('reads a negative or nil balance only when asked to', () => {
		expect(parseAmount('-12.30', 'EUR', { signed: true })).toEqual({ ok: true, amount: -1230 });
		expect(parseAmount('0', 'EUR', { zero: true })).toEqual({ ok: true, amount: 0 });
		expect(parseAmount('-0', 'EUR', { signed: true, zero: true })).toEqual({ ok: true, amount: 0 });
	});

	it('takes minor digits from ISO 4217, two unless listed', () => {
		expect([
			minorDigits('EUR'),
			minorDigits('JPY'),
			minorDigits('BHD'),
			minorDigits('XYZ')
		]).toEqual([2, 0, 3, 2]);
	});

	it('agrees with the ICU data of this runtime for the currencies it lists', () => {
		for (const currency of ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'KRW', 'BHD', 'KWD', 'TND']) {
			const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
				.maximumFractionDigits;
			expect(minorDigits(currency), currency).toBe(digits);
		}
	});
});

describe('amounts written for an accountant', () => {
	it.each([
		[123456, 2, '1234.56'],
		[-5, 2, '-0.05'],
		[100, 2, '1.00'],
		[7, 0, '7'],
		[-1234, 3, '-1.234'],
		[Number.MAX_SAFE_INTEGER, 2, '90071992547409.91']
	])('writes %i with %i digits as %s', (amount, digits, text) => {
		expect(toMajor(amount, digits)).toBe(text);
	});

	it('reads back what it writes, for any amount', () => {
		const random = prng(7);
		for (let run = 0; run < 500; run++) {
			const amount = Math.floor(random() * MAX_AMOUNT) + 1;
			expect(parseAmount(toMajor(amount, 2), 'EUR')).toEqual({ ok: true, amount });
		}
	});
});

describe("the co-op's share", () => {
	it('is the rate of the whole, rounded half away from zero, exactly for large amounts', () => {
		expect(basisPointsOf(10_000, 1500)).toBe(1500);
		expect(basisPointsOf(333, 1500)).toBe(50); // 49.95
		expect(basisPointsOf(10, 250)).toBe(0); // 0.25
		expect(basisPointsOf(30, 5000)).toBe(15);
		expect(basisPointsOf(-333, 1500)).toBe(-50);
		expect(basisPointsOf(MAX_AMOUNT - 1, 3333)).toBe(333_300_000_000_000);
	});
});

describe('the chart of accounts', () => {
	it('knows its accounts and no others', () => {
		const key = KEY('A');
		for (const name of ['bank', 'cash', 'income:jobs', 'coop-share', 'expense:office-rent']) {
			expect(isAccount(name), name).toBe(true);
		}
		expect(parseAccount(`member:${key}:payable`)).toEqual({ class: 'payable', member: key });
		expect(parseAccount(`member:${key}:capital`)).toEqual({ class: 'capital', member: key });
		for (const name of [
			'Bank',
			'expense:',
			'expense:Rent',
			'expense:a--b',
			'member:x:payable',
			`member:${key}:loan`,
			'income:gifts'
		]) {
			expect(isAccount(name), name).toBe(false);
		}
	});

	it('takes real calendar dates only', () => {
		expect(['2026-06-30', '2024-02-29', '1970-01-01'].map(isIsoDate)).toEqual([true, true, true]);
		expect(
			['2025-02-29', '2026-13-01', '2026-6-30', '1969-12-31', '2026-06-31'].map(isIsoDate)
		).toEqual([false, false, false, false, false]);
	});
});

describe('the patronage split', () => {
	const example: PatronageUnits[] = [
		{ member: KEY('A'), units: 1800 },
		{ member: KEY('B'), units: 1200 },
		{ member: KEY('C'), units: 600 },
		{ member: KEY('D'), units: 400 }
	];

	it('splits the worked example to the cent: 15,750 / 10,500 / 5,250 / 3,500, cash 3,150', () => {
		const result = splitSurplus({ surplus: 5_000_000, reserveRate: 3000, cashRate: 2000 }, example);
		if (!result.ok) throw new Error(result.problem);
		expect(result.split.reserve).toBe(1_500_000);
		expect(result.split.allocated).toBe(3_500_000);
		expect(result.split.totalUnits).toBe(4000);
		expect(result.split.shares.map((share) => share.amount)).toEqual([
			1_575_000, 1_050_000, 525_000, 350_000
		]);
		expect(result.split.shares[0]).toMatchObject({ cash: 315_000, capital: 1_260_000 });
	});

	it('gives the cents left to the largest remainders, ties to the member who sorts first', () => {
		// 1.00 among three equal members: 0.34, 0.33, 0.33, the cent to the first key.
		const three = [KEY('C'), KEY('A'), KEY('B')].map((member) => ({ member, units: 1 }));
		const even = splitSurplus({ surplus: 100, reserveRate: 0, cashRate: 2000 }, three);
		if (!even.ok) throw new Error(even.problem);
		expect(even.split.shares.map((s) => [s.member[0], s.amount])).toEqual([
			['A', 34],
			['B', 33],
			['C', 33]
		]);
		// 0.10 by 1 : 2 : 3 -> 1.67, 3.33, 5: the largest remainder (0.67) wins the cent over B's.
		const uneven = splitSurplus({ surplus: 10, reserveRate: 0, cashRate: 10_000 }, [
			{ member: KEY('A'), units: 1 },
			{ member: KEY('B'), units: 2 },
			{ member: KEY('C'), units: 3 }
		]);
		if (!uneven.ok) throw new Error(uneven.problem);
		expect(uneven.split.shares.map((s) => s.amount)).toEqual([2, 3, 5]);
		expect(uneven.split.shares.map((s) => s.capital)).toEqual([0, 0, 0]);
	});

	it('refuses what cannot be split', () => {
		const rules = { surplus: 100, reserveRate: 0, cashRate: 2000 };
		expect(splitSurplus(rules, [{ member: KEY('A'), units: 0 }])).toEqual({
			ok: false,
			problem: 'no-units'
		});
		expect(splitSurplus(rules, [{ member: KEY('A'), units: -1 }])).toEqual({
			ok: false,
			problem: 'bad-units'
		});
		expect(
			splitSurplus(rules, [
				{ member: KEY('A'), units: 1 },
				{ member: KEY('A'), units: 2 }
			])
		).toEqual({ ok: false, problem: 'duplicate-member' });
		expect(splitSurplus({ ...rules, reserveRate: 10_001 }, example)).toEqual({
			ok: false,
			problem: 'bad-rules'
		});
		expect(splitSurplus({ ...rules, surplus: 0.5 }, example)).toEqual({
			ok: false,
			problem: 'bad-rules'
		});
	});

	it('never loses or creates a cent, and no member is off their exact quota by a cent (seeded)', () => {
		const random = prng(2026);
		for (let run = 0; run < 2000; run++) {
			const size = 1 + Math.floor(random() * 40);
			const units = Array.from({ length: size }, (_, index) => ({
				member: `m${String(index).padStart(3, '0')}`,
				// Many small counts (ties), some zeros, now and then a huge one.
				units:
					random() < 0.1
						? 0
						: random() < 0.05
							? Math.floor(random() * 1e12)
							: Math.floor(random() * 50)
			}));
			if (units.every((line) => line.units === 0)) units[0] = { ...units[0]!, units: 1 };
			const surplus =
				random() < 0.3 ? Math.floor(random() * 1000) + 1 : Math.floor(random() * 1e15) + 1;
			const rules = {
				surplus,
				reserveRate: Math.floor(random() * 10_001),
				cashRate: 2000 + Math.floor(random() * 8001)
			};
			const result = splitSurplus(rules, shuffle(random, units));
			if (!result.ok) throw new Error(result.problem);
			const { split } = result;
			const total = BigInt(split.totalUnits);
			let sum = BigInt(split.reserve);
			for (const share of split.shares) {
				sum += BigInt(share.amount);
				// |amount − allocated × units / total| < 1, in integers.
				const gap = BigInt(share.amount) * total - BigInt(split.allocated) * BigInt(share.units);
				expect(gap < total && -gap < total).toBe(true);
				if (share.units === 0) expect(share.amount).toBe(0);
				expect(share.cash + share.capital).toBe(share.amount);
				// Cash is at least the rate of the allocation, and less than a cent more.
				const cash = BigInt(share.cash) * 10_000n;
				const owed = BigInt(share.amount) * BigInt(rules.cashRate);
				expect(cash >= owed && cash - owed < 10_000n).toBe(true);
			}
			expect(sum).toBe(BigInt(surplus));
			expect(split.reserve).toBe(Number((BigInt(surplus) * BigInt(rules.reserveRate)) / 10_000n));
			// The same whatever order the units come in.
			const again = splitSurplus(rules, shuffle(random, units));
			expect(again).toEqual(result);
		}
	});
});

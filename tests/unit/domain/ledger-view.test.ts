import { describe, expect, it } from 'vitest';
import { CoopProjector, projectCoop } from '$lib/domain/coop-state';
import { parseAccount } from '$lib/domain/ledger/accounts';
import {
	assertDraft,
	booksContext,
	capitalDraft,
	expenseDraft,
	incomeDraft,
	patronageDraft,
	payoutDraft,
	reverseDraft,
	transferDraft
} from '$lib/domain/ledger/commands';
import { monthOf } from '$lib/domain/ledger/dates';
import type { Assertion, LedgerFold, Transaction } from '$lib/domain/ledger/fold';
import { ledgerArea } from '$lib/domain/ledger/module';
import { minorDigits } from '$lib/domain/ledger/money';
import {
	prepareLedgerView,
	type AccountBalance,
	type LedgerView,
	type TransactionView
} from '$lib/domain/ledger/view';
import type { DraftResult, RecordType, VerifiedRecord } from '$lib/domain/registry';
import {
	DAY,
	foundCoop,
	MINUTE,
	pick,
	prng,
	shuffle,
	verified,
	type Device,
	type World
} from './fixtures';
import { decideSetting } from './work-fixtures';

/**
 * The ledger's view is kept up to date from what each new version of the fold adds (running
 * balances, a merge of the transactions by date). These tests hold it to the view as it was first
 * written, rebuilt from every transaction each time (`rebuilt` below): seeded books with every
 * kind of entry, reversals (of entries dated earlier, of reversals, twice), assertions and a
 * patronage allocation, reversed and allocated again, arriving one by one, in batches and out of
 * order, must give exactly that view after every batch.
 */

describe('the ledger view, kept up to date', () => {
	it('equals the view rebuilt from every transaction, after each record', async () => {
		const { projector, records } = await books(1);
		const fresh = new CoopProjector(projector.fold.coopId);
		for (const record of records) {
			fresh.add([record]);
			expect(fresh.snapshot().ledger).toEqual(rebuilt(fresh.fold.of(ledgerArea)));
		}
		expect(fresh.snapshot().integrity.rejected).toBeGreaterThan(0);
		expect(fresh.snapshot().ledger.allocations.length).toBe(2);
	});

	it('equals it when made over many steps, assertions and allocations one at a time', async () => {
		const { projector, records } = await books(5);
		const opened = new CoopProjector(projector.fold.coopId);
		const add = opened.addInSteps(records);
		while (add(0));
		const fold = opened.fold.of(ledgerArea);
		expect(fold.assertions.length).toBeGreaterThan(1);
		expect(fold.allocations.length).toBe(2);
		let steps = 1;
		while (!prepareLedgerView(fold, 0, 1)) steps++;
		// A step per transaction, then one per assertion and allocation (the first taken in the
		// step of the last transaction).
		const { transactions, assertions, allocations } = fold;
		expect(steps).toBe(transactions.length + assertions.length + allocations.length - 1);
		expect(opened.snapshot().ledger).toEqual(rebuilt(fold));
		expect(opened.snapshot().ledger).toEqual(projectCoop(projector.fold.coopId, records).ledger);
	});

	for (const seed of [2, 3, 4]) {
		it(`equals it with records arriving in batches, out of order (seed ${seed})`, async () => {
			const { projector, records } = await books(seed);
			const random = prng(seed * 31);
			const late = new CoopProjector(projector.fold.coopId, { checkpointEvery: 5 });
			const order = shuffle(random, records);
			while (order.length > 0) {
				late.add(order.splice(0, 1 + Math.floor(random() * 12)));
				expect(late.snapshot().ledger).toEqual(rebuilt(late.fold.of(ledgerArea)));
			}
			expect(late.refolds).toBeGreaterThan(0);
			expect(late.snapshot().ledger).toEqual(projectCoop(projector.fold.coopId, records).ledger);
		});
	}
});

/**
 * Seeded books of three members (a 15% share): about 150 records of every kind, dated at random
 * in the first quarter of 2025, with reversals, assertions and a patronage allocation of January.
 */
async function books(
	seed: number
): Promise<{ projector: CoopProjector; records: VerifiedRecord[] }> {
	const random = prng(seed);
	const { world, people } = await foundCoop(3);
	const [ada, bo] = people as [Device, Device, Device];
	await decideSetting(world, ada, bo, 'jobShare', '1500');
	const projector = new CoopProjector(world.coop);
	const records: VerifiedRecord[] = [];
	const add = async (entry: { id: string; record: unknown }) => {
		const record = await verified(entry as never, world.coop);
		records.push(record);
		projector.add([record]);
	};
	for (const entry of world.entries) await add(entry);
	const ids = people.map((person) => person.id);
	const context = booksContext(ids, 1500);
	const date = () =>
		`2025-0${1 + Math.floor(random() * 3)}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
	const amount = () =>
		`${1 + Math.floor(random() * 500)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`;
	const write = async <T extends RecordType>(
		device: Device,
		draft: (world: World) => DraftResult<T>
	) => {
		world.advance(MINUTE);
		await add(await world.write(device, draft(world)));
	};
	const common = () => ({ date: date(), memo: 'Seeded', amount: amount(), currency: 'EUR' });
	for (let index = 0; index < 150; index++) {
		const device = pick(random, people);
		const member = pick(random, ids);
		const roll = random();
		if (roll < 0.3) {
			const other = random() < 0.2;
			await write(device, (w) =>
				incomeDraft(
					w.context(device),
					{
						...common(),
						into: pick(random, ['bank', 'cash'] as const),
						client: 'Client',
						ref: '',
						member: other ? '' : member,
						source: other ? 'other' : 'jobs'
					},
					context
				)
			);
		} else if (roll < 0.5) {
			const paidBy = pick(random, ['bank', 'cash', member]);
			await write(device, (w) =>
				expenseDraft(
					w.context(device),
					{ ...common(), category: pick(random, ['rent', 'fuel']), paidBy, counterparty: '' },
					context
				)
			);
		} else if (roll < 0.6) {
			await write(device, (w) =>
				payoutDraft(w.context(device), { ...common(), member, from: 'bank' }, context)
			);
		} else if (roll < 0.65) {
			await write(device, (w) =>
				transferDraft(w.context(device), { ...common(), from: 'bank', to: 'cash' }, context)
			);
		} else if (roll < 0.7) {
			const direction = pick(random, ['in', 'out'] as const);
			await write(device, (w) =>
				capitalDraft(
					w.context(device),
					{ ...common(), member, account: 'bank', direction },
					context
				)
			);
		} else if (roll < 0.85) {
			// A reversal of any transaction, sometimes of one reversed already or of a reversal:
			// the commands would refuse those, so the view is given what peers reject, too.
			const { transactions } = projector.snapshot().ledger;
			if (transactions.length === 0) continue;
			const original = pick(random, transactions);
			const view = {
				...projector.snapshot().ledger,
				transactions: [{ ...original, source: 'entry' as const, reversedBy: null }]
			};
			await write(device, (w) =>
				reverseDraft(w.context(device), { entry: original.id, date: date(), reason: 'Wrong' }, view)
			);
		} else {
			const account = pick(random, ['bank', 'cash', `member:${member}:payable`]);
			await write(device, (w) =>
				assertDraft(w.context(device), {
					account,
					date: date(),
					balance: `${random() < 0.3 ? '-' : ''}${amount()}`,
					currency: 'EUR'
				})
			);
		}
	}
	// January is over: its surplus is allocated, reversed, and allocated again.
	world.now = Date.UTC(2025, 3, 1);
	const allocation = (surplus: string) => (w: World) =>
		patronageDraft(w.context(ada), {
			from: '2025-01-01',
			to: '2025-01-31',
			date: '2025-01-31',
			surplus,
			currency: 'EUR',
			basis: 'hours',
			reserveRate: 0,
			cashRate: 2000,
			units: ids.map((member, index) => ({ member, units: 10 * (index + 1) }))
		});
	await write(ada, allocation('900'));
	const first = records.at(-1)!.id;
	const { ledger } = projector.snapshot();
	await write(bo, (w) =>
		reverseDraft(w.context(bo), { entry: first, date: '2025-02-01', reason: 'Too much' }, ledger)
	);
	await write(ada, allocation('800'));
	world.advance(DAY);
	return { projector, records };
}

/** The ledger's view as it was first written: everything rebuilt from the fold's lists. */
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

/**
 * Each transaction's view, kept while it is not reversed: a new record rebuilds the lists, not
 * every transaction in them (the state freezes only what is new).
 */

function transactionView(transaction: Transaction, reversedBy: string | null): TransactionView {
	return { ...transaction, reversedBy };
}

/** The books as the pages show them; built once per version of the fold. */
function rebuilt(fold: LedgerFold): LedgerView {
	const currency = fold.currency();
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
	return view;
}

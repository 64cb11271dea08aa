import { describe, expect, it } from 'vitest';
import type { ProposalInput } from '$lib/domain/governance/commands';
import { capitalAccount, payableAccount } from '$lib/domain/ledger/accounts';
import {
	assertDraft,
	booksContext,
	capitalDraft,
	entryDraft,
	expenseDraft,
	incomeDraft,
	patronageDraft,
	payoutDraft,
	reverseDraft,
	transferDraft
} from '$lib/domain/ledger/commands';
import { ledgerCsv } from '$lib/domain/ledger/csv';
import { MAX_AMOUNT } from '$lib/domain/ledger/money';
import { MAX_UNITS } from '$lib/domain/ledger/records';
import { encodeBase64url } from '$lib/crypto/base64url';
import type { LedgerView } from '$lib/domain/ledger/view';
import { patronageNotice } from '$lib/domain/ledger/view';
import { RECORD_VERSION } from '$lib/domain/kernel/envelope';
import { formatHlc, wallOf } from '$lib/domain/kernel/hlc';
import { CoopProjector, type CoopState } from '$lib/domain/coop-state';
import type { RecordDraft } from '$lib/domain/registry';
import {
	DAY,
	Device,
	foundCoop,
	MINUTE,
	prng,
	projectWorld,
	proposalOf,
	expectRejected,
	recordOutcome,
	seededBytes,
	signAs,
	verified,
	verifiedAll,
	World,
	type Entry
} from './fixtures';

/**
 * The books as the fold keeps them: what each kind of entry posts, the co-op's share at the
 * decided rate, reversals that point at what they cancel, assertions met or off, who may record,
 * the patronage allocation checked against its recomputation, and every way a hostile record is
 * rejected with a named reason.
 */

const AGREE = [0];

/** A passed setting decision: proposed by `author`, agreed by `voter`, confirmed. */
async function decideSetting(
	world: World,
	author: Device,
	voter: Device,
	subject: string,
	value: string
): Promise<void> {
	const input: Partial<ProposalInput> = { kind: 'consent', action: 'setting', subject, value };
	const proposal = await world.propose(author, input);
	world.advance(MINUTE);
	await world.vote(voter, proposal.id, AGREE);
	world.advance(MINUTE);
	const { basis } = proposalOf(await projectWorld(world), proposal);
	await world.closeConfirmed(author, proposal.id, { ...basis, after: proposal.id });
	world.advance(MINUTE);
	const state = await projectWorld(world);
	expect(proposalOf(state, proposal).applied).toBe(true);
}

const common = { date: '2025-03-10', memo: '', currency: 'EUR' };

function books(state: CoopState) {
	return booksContext(
		state.members.map((member) => member.id),
		state.governance.settings.jobShare
	);
}

/** Writes a record of any body, as a hostile (or careless) device could. */
async function raw(
	world: World,
	device: Device,
	type: string,
	body: Record<string, unknown>,
	at?: string,
	keep = true
): Promise<Entry> {
	const draft = {
		v: RECORD_VERSION,
		type,
		coop: world.coop,
		author: device.id,
		at: at ?? device.stamp(world.now),
		...body
	} as unknown as RecordDraft;
	const entry = await signAs(draft, device.key);
	if (keep) world.entries.push(entry);
	return entry;
}

function balance(ledger: LedgerView, account: string): number {
	return ledger.balances.find((line) => line.account === account)?.balance ?? 0;
}

async function coopOf(size: number) {
	const { world, people } = await foundCoop(size);
	return { world, people: people as [Device, Device, Device, Device] };
}

describe('recording money', () => {
	it('posts a job payment with the decided share on its own line, and pays the member out', async () => {
		const { world, people } = await coopOf(3);
		const [ada, bo] = people;
		await decideSetting(world, ada, bo, 'jobShare', '1500');
		let state = await projectWorld(world);
		const income = await world.write(
			ada,
			incomeDraft(
				world.context(ada),
				{
					...common,
					memo: 'Deliveries, week 10',
					amount: '100.00',
					into: 'bank',
					client: 'Boulangerie Durand',
					ref: '',
					member: bo.id,
					source: 'jobs'
				},
				books(state)
			)
		);
		expect(income.record).toMatchObject({
			postings: [
				{ account: 'bank', amount: 10_000, counterparty: 'Boulangerie Durand' },
				{ account: payableAccount(bo.id), amount: -8500, counterparty: bo.id },
				{ account: 'coop-share', amount: -1500, counterparty: '' }
			]
		});
		world.advance(MINUTE);
		state = await projectWorld(world);
		expect(recordOutcome(state, income)).toBe('accepted');
		expect(state.ledger.members).toEqual([{ member: bo.id, owed: 8500, capital: 0 }]);
		expect(state.ledger.months).toEqual([
			{ month: '2025-03', income: 1500, expenses: 0, surplus: 1500 }
		]);
		await world.write(
			bo,
			payoutDraft(
				world.context(bo),
				{ ...common, amount: '85', member: bo.id, from: 'bank' },
				books(state)
			)
		);
		state = await projectWorld(world);
		expect(state.ledger.members).toEqual([{ member: bo.id, owed: 0, capital: 0 }]);
		expect(balance(state.ledger, 'bank')).toBe(1500);
		expect(state.ledger.total).toBe(0);
	});

	it('records expenses, capital and transfers, and keeps every balance derived', async () => {
		const { world, people } = await coopOf(2);
		const [ada, bo] = people;
		const state = await projectWorld(world);
		const write = async (result: Parameters<World['write']>[1]) => {
			world.advance(MINUTE);
			return world.write(ada, result);
		};
		const context = () => world.context(ada);
		await write(
			capitalDraft(
				context(),
				{ ...common, amount: '500', member: bo.id, account: 'bank', direction: 'in' },
				books(state)
			)
		);
		await write(
			expenseDraft(
				context(),
				{ ...common, amount: '42,10', category: 'Fuel ', paidBy: bo.id, counterparty: 'Total' },
				books(state)
			)
		);
		await write(
			expenseDraft(
				context(),
				{ ...common, amount: '300', category: 'Office rent', paidBy: 'bank', counterparty: '' },
				books(state)
			)
		);
		await write(
			transferDraft(context(), { ...common, amount: '50', from: 'bank', to: 'cash' }, books(state))
		);
		const after = await projectWorld(world);
		expect(after.ledger.balances.map(({ account, balance }) => [account, balance])).toEqual(
			[
				['bank', 50_000 - 30_000 - 5000],
				['cash', 5000],
				['expense:fuel', 4210],
				['expense:office-rent', 30_000],
				[capitalAccount(bo.id), -50_000],
				[payableAccount(bo.id), -4210]
			].sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1))
		);
		expect(after.ledger.members).toEqual([{ member: bo.id, owed: 4210, capital: 50_000 }]);
		expect(after.ledger.months).toEqual([
			{ month: '2025-03', income: 0, expenses: 34_210, surplus: -34_210 }
		]);
		expect(after.ledger.total).toBe(0);
	});

	it('refuses bad input in forms with a clear message', async () => {
		const { world, people } = await coopOf(2);
		const [ada, bo] = people;
		const state = await projectWorld(world);
		const context = world.context(ada);
		const income = (amount: string, member = bo.id) =>
			incomeDraft(
				context,
				{ ...common, amount, into: 'bank', client: 'X', ref: '', member, source: 'jobs' },
				books(state)
			);
		expect(income('-10')).toMatchObject({ ok: false, messageKey: 'ledger_amount_negative' });
		expect(income('10.005')).toMatchObject({ ok: false, messageKey: 'ledger_amount_too_precise' });
		expect(income('1e3')).toMatchObject({ ok: false, messageKey: 'ledger_amount_bad_format' });
		expect(income('99999999999999999')).toMatchObject({
			ok: false,
			messageKey: 'ledger_amount_too_large'
		});
		const stranger = await Device.create();
		expect(income('10', stranger.id)).toMatchObject({
			ok: false,
			field: 'member',
			messageKey: 'ledger_member_unknown'
		});
		const entry = (postings: { account: string; amount: number }[]) =>
			entryDraft(
				context,
				{
					...common,
					kind: 'transfer',
					ref: '',
					postings: postings.map((p) => ({ ...p, counterparty: '' }))
				},
				books(state)
			);
		expect(
			entry([
				{ account: 'bank', amount: 100 },
				{ account: 'cash', amount: -99 }
			])
		).toMatchObject({ ok: false, messageKey: 'ledger_unbalanced' });
		expect(
			entry([
				{ account: 'bank', amount: 0.5 },
				{ account: 'cash', amount: -0.5 }
			])
		).toMatchObject({ ok: false, messageKey: 'ledger_amount_not_money' });
		expect(
			entry([
				{ account: 'bank', amount: 100 },
				{ account: 'income:other', amount: -100 }
			])
		).toMatchObject({ ok: false, messageKey: 'ledger_account_bad' });
		expect(
			transferDraft(context, { ...common, amount: '5', from: 'cash', to: 'cash' }, books(state))
		).toMatchObject({ ok: false, messageKey: 'ledger_transfer_same' });
		expect(
			assertDraft(context, { account: 'bank', date: '2025-02-30', balance: '1', currency: 'EUR' })
		).toMatchObject({ ok: false, messageKey: 'ledger_date_bad' });
	});
});

describe('hostile entries', () => {
	async function judged(postings: readonly object[], extra: Record<string, unknown> = {}) {
		const { world, people } = await coopOf(2);
		const [ada, bo] = people;
		await decideSetting(world, ada, bo, 'jobShare', '1000');
		const entry = await raw(world, ada, 'ledger.entry', {
			date: '2025-01-05',
			kind: 'income',
			memo: '',
			currency: 'EUR',
			ref: '',
			postings,
			...extra
		});
		const state = await projectWorld(world);
		return { outcome: recordOutcome(state, entry), state, bo };
	}
	const line = (account: string, amount: number) => ({ account, amount, counterparty: '' });

	it.each([
		['a fraction of a cent', 'not-money', [line('bank', 10.5), line('income:other', -10.5)]],
		[
			'a sum past safe integers',
			'not-money',
			[line('bank', 2 ** 53), line('income:other', -(2 ** 53))]
		],
		[
			'a sum past the largest',
			'not-money',
			[line('bank', MAX_AMOUNT + 1), line('income:other', -MAX_AMOUNT - 1)]
		],
		['a zero line', 'not-money', [line('bank', 0), line('income:other', 0)]],
		[
			'postings that do not balance',
			'unbalanced',
			[line('bank', 1000), line('income:other', -999)]
		],
		[
			'an income that debits income',
			'bad-account',
			[line('bank', -1000), line('income:other', 1000)]
		],
		[
			'an expense account in an income',
			'bad-account',
			[line('bank', 1000), line('expense:fuel', -1000)]
		]
	])('rejects %s (%s)', async (_name, reason, postings) => {
		expect((await judged(postings)).outcome).toBe(reason);
	});

	it('rejects a payable of someone who is not a member, and a share that is not the rate', async () => {
		const stranger = await Device.create();
		expect(
			(await judged([line('bank', 1000), line(payableAccount(stranger.id), -1000)])).outcome
		).toBe('bad-account');
		const { world, people } = await coopOf(2);
		const [ada, bo] = people;
		await decideSetting(world, ada, bo, 'jobShare', '1000');
		const share = (coop: number) =>
			raw(world, ada, 'ledger.entry', {
				date: '2025-01-05',
				kind: 'income',
				memo: '',
				currency: 'EUR',
				ref: '',
				postings: [
					line('bank', 1000),
					line(payableAccount(bo.id), coop - 1000),
					...(coop > 0 ? [line('coop-share', -coop)] : [])
				]
			});
		const none = await share(0);
		const less = await share(50);
		const right = await share(100);
		const state = await projectWorld(world);
		expect([none, less, right].map((entry) => recordOutcome(state, entry))).toEqual([
			'bad-share',
			'bad-share',
			'accepted'
		]);
	});

	it("rejects an amount in another currency than the co-op's", async () => {
		const { outcome } = await judged([line('bank', 1000), line('income:other', -1000)], {
			currency: 'USD'
		});
		expect(outcome).toBe('wrong-currency');
	});

	it('refuses a record that is not an entry at all: one posting, text amounts, patronage kind', async () => {
		const { world, people } = await coopOf(2);
		const [ada] = people;
		const body = { date: '2025-01-05', kind: 'income', memo: '', currency: 'EUR', ref: '' };
		const write = (extra: Record<string, unknown>) =>
			raw(world, ada, 'ledger.entry', { ...body, ...extra }, undefined, false);
		const one = await write({ postings: [line('bank', 5)] });
		const text = await write({
			postings: [{ ...line('bank', 5), amount: '5' }, line('income:other', -5)]
		});
		const patronageKind = await write({
			kind: 'patronage',
			postings: [line('surplus', 5), line('reserve', -5)]
		});
		const tooMany = await write({
			postings: Array.from({ length: 21 }, (_, index) => line('bank', index === 0 ? -20 : 1))
		});
		for (const entry of [one, text, patronageKind, tooMany]) {
			await expectRejected(entry, world.coop, 'invalid-shape');
		}
	});

	it('stops the books before their sums could lose a cent (overflow)', async () => {
		const { world, people } = await coopOf(2);
		const [ada] = people;
		const entries: Entry[] = [];
		for (let index = 0; index < 6; index++) {
			world.advance(MINUTE);
			entries.push(
				await raw(world, ada, 'ledger.entry', {
					date: '2025-01-05',
					kind: 'transfer',
					memo: '',
					currency: 'EUR',
					ref: '',
					postings: [line('bank', MAX_AMOUNT), line('cash', -MAX_AMOUNT)]
				})
			);
		}
		const state = await projectWorld(world);
		expect(entries.map((entry) => recordOutcome(state, entry))).toEqual([
			'accepted',
			'accepted',
			'accepted',
			'accepted',
			'overflow',
			'overflow'
		]);
		expect(Number.isSafeInteger(balance(state.ledger, 'bank'))).toBe(true);
		expect(state.ledger.total).toBe(0);
	});
});

describe('reversals', () => {
	async function withEntry() {
		const { world, people } = await coopOf(3);
		const [ada, bo] = people;
		const state = await projectWorld(world);
		const entry = await world.write(
			ada,
			expenseDraft(
				world.context(ada),
				{ ...common, amount: '80', category: 'tools', paidBy: 'bank', counterparty: 'Shop' },
				books(state)
			)
		);
		world.advance(MINUTE);
		return { world, ada, bo, entry };
	}

	it('cancels an entry with its opposite, pointing at it; the original stays', async () => {
		const { world, bo, entry } = await withEntry();
		let state = await projectWorld(world);
		const reversal = await world.write(
			bo,
			reverseDraft(
				world.context(bo),
				{ entry: entry.id, date: '2025-03-11', reason: 'Typed twice' },
				state.ledger
			)
		);
		state = await projectWorld(world);
		expect(recordOutcome(state, reversal)).toBe('accepted');
		const [original, opposite] = state.ledger.transactions;
		expect(original).toMatchObject({ id: entry.id, reversedBy: reversal.id });
		expect(opposite).toMatchObject({
			id: reversal.id,
			source: 'reverse',
			kind: 'expense',
			reverses: entry.id,
			reason: 'Typed twice',
			postings: [
				{ account: 'expense:tools', amount: -8000, counterparty: 'Shop' },
				{ account: 'bank', amount: 8000, counterparty: '' }
			]
		});
		expect(state.ledger.balances.every((line) => line.balance === 0)).toBe(true);
		// The form refuses to reverse it again, or to reverse the reversal.
		const again = { entry: entry.id, date: '2025-03-12', reason: 'Again' };
		expect(reverseDraft(world.context(bo), again, state.ledger)).toMatchObject({
			ok: false,
			messageKey: 'ledger_reverse_reversed'
		});
		expect(
			reverseDraft(world.context(bo), { ...again, entry: reversal.id }, state.ledger)
		).toMatchObject({ ok: false, messageKey: 'ledger_reverse_reversal' });
		expect(
			reverseDraft(world.context(bo), { ...again, entry: world.genesis.id }, state.ledger)
		).toMatchObject({ ok: false, messageKey: 'ledger_reverse_unknown' });
	});

	it('rejects reversals of reversals, second reversals and of records outside the books', async () => {
		const { world, ada, bo, entry } = await withEntry();
		const reverse = (id: string, at?: string) =>
			raw(world, bo, 'ledger.reverse', { entry: id, date: '2025-03-12', reason: 'No' }, at);
		const first = await reverse(entry.id);
		world.advance(MINUTE);
		const second = await reverse(entry.id);
		const ofReversal = await reverse(first.id);
		const ofGenesis = await reverse(world.genesis.id);
		const unknown = await reverse('A'.repeat(43));
		// Stamped before the entry it names: it cannot have seen it.
		const early = await raw(
			world,
			ada,
			'ledger.reverse',
			{ entry: entry.id, date: '2025-03-12', reason: 'No' },
			formatHlc({ wall: wallOf(entry.record.at) - 1, counter: 0 })
		);
		// A rejected entry is not in the books either.
		const unbalanced = await raw(world, ada, 'ledger.entry', {
			...common,
			kind: 'transfer',
			ref: '',
			postings: [
				{ account: 'bank', amount: 5, counterparty: '' },
				{ account: 'cash', amount: -4, counterparty: '' }
			]
		});
		world.advance(MINUTE);
		const ofRejected = await reverse(unbalanced.id);
		const state = await projectWorld(world);
		expect(
			[first, second, ofReversal, ofGenesis, unknown, early, ofRejected].map((e) =>
				recordOutcome(state, e)
			)
		).toEqual([
			'accepted',
			'duplicate',
			'bad-reversal',
			'bad-reversal',
			'pending:missing-record',
			'back-dated',
			'bad-reversal'
		]);
	});

	it("never counts a reversal of another co-op's entry", async () => {
		const { world: other, people } = await coopOf(2);
		const [olga] = people;
		const state = await projectWorld(other);
		const theirs = await other.write(
			olga,
			transferDraft(
				other.context(olga),
				{ ...common, amount: '5', from: 'bank', to: 'cash' },
				books(state)
			)
		);
		const { world, ada } = await withEntry();
		const reversal = await raw(world, ada, 'ledger.reverse', {
			entry: theirs.id,
			date: '2025-03-12',
			reason: 'Not ours'
		});
		const ours = await projectWorld(world);
		// Its entry is never among this co-op's records: it waits for it, and never counts.
		expect(recordOutcome(ours, reversal)).toBe('pending:missing-record');
		expect(ours.ledger.transactions.map((t) => t.id)).not.toContain(reversal.id);
	});
});

describe('balance assertions', () => {
	it('shows each assertion met, or off by how much, against the books at the end of its date', async () => {
		const { world, people } = await coopOf(2);
		const [ada, bo] = people;
		const state = await projectWorld(world);
		const capital = (date: string, amount: string) =>
			world.write(
				ada,
				capitalDraft(
					world.context(ada),
					{ ...common, date, amount, member: bo.id, account: 'bank', direction: 'in' },
					books(state)
				)
			);
		await capital('2025-06-01', '1000');
		await capital('2025-06-30', '234.56');
		await capital('2025-07-01', '99');
		const assert = (date: string, value: string) =>
			world.write(
				bo,
				assertDraft(world.context(bo), { account: 'bank', date, balance: value, currency: 'EUR' })
			);
		const met = await assert('2025-06-30', '1234.56');
		const off = await assert('2025-06-15', '1100');
		const after = await projectWorld(world);
		expect(
			after.ledger.assertions.map(({ id, met, off, actual }) => ({ id, met, off, actual }))
		).toEqual([
			{ id: off.id, met: false, off: -10_000, actual: 100_000 },
			{ id: met.id, met: true, off: 0, actual: 123_456 }
		]);
	});

	it('rejects an assertion that is not money or of a stranger’s account', async () => {
		const { world, people } = await coopOf(2);
		const [ada] = people;
		const stranger = await Device.create();
		const body = { account: 'bank', date: '2025-06-30', currency: 'EUR' };
		const half = await raw(world, ada, 'ledger.assert', { ...body, balance: 0.5 });
		const huge = await raw(world, ada, 'ledger.assert', { ...body, balance: 2 ** 60 });
		const strangers = await raw(world, ada, 'ledger.assert', {
			...body,
			account: capitalAccount(stranger.id),
			balance: 0
		});
		const state = await projectWorld(world);
		expect([half, huge, strangers].map((entry) => recordOutcome(state, entry))).toEqual([
			'not-money',
			'not-money',
			'bad-account'
		]);
	});
});

describe('who keeps the books', () => {
	it('is any member by default; once decided, only the treasurers', async () => {
		const { world, people } = await coopOf(3);
		const [ada, bo, cy] = people;
		const transfer = async (device: Device) => {
			world.advance(MINUTE);
			const state = await projectWorld(world);
			return world.write(
				device,
				transferDraft(
					world.context(device),
					{ ...common, amount: '1', from: 'bank', to: 'cash' },
					books(state)
				)
			);
		};
		const before = await transfer(cy);
		await decideSetting(world, ada, bo, 'treasurers', `${bo.id}, ${cy.id}`);
		await decideSetting(world, ada, bo, 'bookkeeping', 'treasurers');
		const byAda = await transfer(ada);
		const byBo = await transfer(bo);
		const state = await projectWorld(world);
		expect(state.governance.settings.treasurers).toEqual([bo.id, cy.id].sort());
		expect([before, byAda, byBo].map((entry) => recordOutcome(state, entry))).toEqual([
			'accepted',
			'not-bookkeeper',
			'accepted'
		]);
	});
});

describe('patronage', () => {
	/** A co-op of four with a 30% reserve decided, a period of January 2025, and its hours. */
	async function yearEnd() {
		const { world, people } = await coopOf(4);
		const [ada, bo] = people;
		await decideSetting(world, ada, bo, 'patronageReserve', '3000');
		const hours = [1800, 1200, 600, 400];
		const units = people.map((person, index) => ({ member: person.id, units: hours[index]! }));
		world.advance(31 * DAY);
		const input = {
			from: '2025-01-01',
			to: '2025-01-31',
			date: '2025-01-31',
			surplus: '50000',
			currency: 'EUR',
			basis: 'hours' as const,
			reserveRate: 3000,
			cashRate: 2000,
			units
		};
		return { world, people, input };
	}

	it('records the worked example: 15,750 / 10,500 / 5,250 / 3,500, cash 3,150, the rest capital', async () => {
		const { world, people, input } = await yearEnd();
		const [ada, bo, cy, di] = people;
		const allocation = await world.write(ada, patronageDraft(world.context(ada), input));
		const state = await projectWorld(world);
		expect(recordOutcome(state, allocation)).toBe('accepted');
		const amounts = Object.fromEntries(
			state.ledger.allocations[0]!.shares.map((share) => [share.member, share.amount])
		);
		expect([ada, bo, cy, di].map((person) => amounts[person.id])).toEqual([
			1_575_000, 1_050_000, 525_000, 350_000
		]);
		expect(balance(state.ledger, 'reserve')).toBe(-1_500_000);
		expect(balance(state.ledger, 'surplus')).toBe(5_000_000);
		expect(balance(state.ledger, payableAccount(ada.id))).toBe(-315_000);
		expect(balance(state.ledger, capitalAccount(ada.id))).toBe(-1_260_000);
		expect(state.ledger.total).toBe(0);
		expect(patronageNotice(state.ledger, allocation.id, ada.id)).toMatchObject({
			from: '2025-01-01',
			to: '2025-01-31',
			units: 1800,
			totalUnits: 4000,
			amount: 1_575_000,
			cash: 315_000,
			capital: 1_260_000,
			reserve: 1_500_000,
			reversed: false
		});
		const stranger = await Device.create();
		expect(patronageNotice(state.ledger, allocation.id, stranger.id)).toBeUndefined();
	});

	it('rejects an allocation that differs from its recomputation, or from the decided rules', async () => {
		const { world, people, input } = await yearEnd();
		const [ada] = people;
		const honest = patronageDraft(world.context(ada), input);
		if (!honest.ok) throw new Error(honest.messageKey);
		const { v, type, coop, author, at, ...body } = honest.draft;
		void [v, type, coop, author, at];
		const shares = body.shares.map((share) => ({ ...share }));
		// Ada takes a cent from the second member.
		const mine = shares.findIndex((share) => share.member === ada.id);
		const other = mine === 0 ? 1 : 0;
		shares[mine]!.amount += 1;
		shares[other]!.amount -= 1;
		const greedy = await raw(world, ada, 'ledger.patronage', { ...body, shares });
		const noReserve = await raw(world, ada, 'ledger.patronage', { ...body, reserveRate: 0 });
		const lessCash = await raw(world, ada, 'ledger.patronage', {
			...body,
			cashRate: 2000,
			shares: body.shares.map((share) => ({ ...share, cash: share.cash - 1 }))
		});
		const pay = await raw(world, ada, 'ledger.patronage', { ...body, basis: 'pay' });
		const early = await raw(
			world,
			ada,
			'ledger.patronage',
			body,
			formatHlc({ wall: Date.UTC(2025, 0, 31, 23, 0), counter: 0 })
		);
		const state = await projectWorld(world);
		expect([greedy, noReserve, lessCash, pay, early].map((e) => recordOutcome(state, e))).toEqual([
			'bad-allocation',
			'bad-allocation',
			'bad-allocation',
			'bad-allocation',
			'too-early'
		]);
		expect(state.ledger.transactions).toEqual([]);
	});

	it('allocates a period once; a reversal frees it for a corrected allocation', async () => {
		const { world, people, input } = await yearEnd();
		const [ada, bo] = people;
		const first = await world.write(ada, patronageDraft(world.context(ada), input));
		world.advance(MINUTE);
		const twice = await world.write(
			bo,
			patronageDraft(world.context(bo), { ...input, from: '2025-01-15', surplus: '100' })
		);
		world.advance(MINUTE);
		let state = await projectWorld(world);
		const reversal = await world.write(
			bo,
			reverseDraft(
				world.context(bo),
				{ entry: first.id, date: '2025-02-02', reason: 'Hours were wrong' },
				state.ledger
			)
		);
		world.advance(MINUTE);
		const corrected = await world.write(
			ada,
			patronageDraft(world.context(ada), {
				...input,
				units: input.units.map((line) => ({ ...line, units: line.units + 1 }))
			})
		);
		state = await projectWorld(world);
		expect([first, twice, reversal, corrected].map((e) => recordOutcome(state, e))).toEqual([
			'accepted',
			'duplicate',
			'accepted',
			'accepted'
		]);
		expect(state.ledger.allocations.map((a) => a.reversedBy)).toEqual([reversal.id, null]);
		expect(patronageNotice(state.ledger, first.id, ada.id)?.reversed).toBe(true);
		expect(balance(state.ledger, 'reserve')).toBe(-1_500_000);
		expect(state.ledger.total).toBe(0);
	});

	it('uses the basis adopted before the period, not one decided during it', async () => {
		const { world, people, input } = await yearEnd();
		const [ada, bo] = people;
		// Decided now (February): it applies to periods that start after it, not to January.
		await decideSetting(world, ada, bo, 'patronageBasis', 'pay');
		const hours = await world.write(ada, patronageDraft(world.context(ada), input));
		world.advance(MINUTE);
		const pay = await world.write(
			bo,
			patronageDraft(world.context(bo), { ...input, basis: 'pay' })
		);
		const state = await projectWorld(world);
		expect(recordOutcome(state, hours)).toBe('accepted');
		expect(state.governance.settings.patronageBasis).toBe('pay');
		expect(recordOutcome(state, pay)).toBe('bad-allocation');
		expect(state.ledger.allocations.map((allocation) => allocation.id)).toEqual([hours.id]);
	});
});

describe('record sizes', () => {
	it('fits the largest honest entry and the largest allocation within their limits', async () => {
		const { world, people } = await coopOf(2);
		const [ada] = people;
		const name = '𝔄'.repeat(80);
		const postings = Array.from({ length: 20 }, (_, index) => ({
			account: index === 0 ? 'bank' : 'expense:abcdefghijklmnopqrstuvwxyz0123',
			amount: index === 0 ? -19 * 52_631_578_947_368 : 52_631_578_947_368,
			counterparty: name
		}));
		const entry = await world.write(
			ada,
			entryDraft(
				world.context(ada),
				{ ...common, kind: 'expense', memo: '𝔄'.repeat(200), ref: '', postings },
				books(await projectWorld(world))
			)
		);
		await verified(entry, world.coop);
		const random = prng(5);
		const units = Array.from({ length: 500 }, () => ({
			member: encodeBase64url(seededBytes(random, 32)),
			units: MAX_UNITS
		}));
		const allocation = patronageDraft(world.context(ada), {
			from: '2025-01-01',
			to: '2025-12-31',
			date: '2025-12-31',
			surplus: '10000000000000',
			currency: 'EUR',
			basis: 'hours',
			reserveRate: 0,
			cashRate: 2000,
			units
		});
		const signed = await world.write(ada, allocation);
		await verified(signed, world.coop);
	});
});

describe('the view', () => {
	it("shows the co-op's currency once its genesis arrives, and stays the same object until the books move", async () => {
		const { world, people } = await coopOf(2);
		const [ada] = people;
		const [genesis, ...rest] = await world.verifiedEntries();
		const projector = new CoopProjector(world.coop, { now: () => world.now });
		expect(projector.snapshot().ledger).toMatchObject({ currency: null, transactions: [] });
		projector.add([genesis!]);
		expect(projector.snapshot().ledger).toMatchObject({ currency: 'EUR', digits: 2 });
		projector.add(rest);
		const before = projector.snapshot().ledger;
		await world.profile(ada, 'Ada');
		const profile = await world.verifiedEntries();
		projector.add(profile.slice(-1));
		expect(projector.snapshot().ledger).toBe(before);
		const state = projector.snapshot();
		const transfer = await world.write(
			ada,
			transferDraft(
				world.context(ada),
				{ ...common, amount: '2', from: 'bank', to: 'cash' },
				books(state)
			)
		);
		projector.add(await verifiedAll([transfer], world.coop));
		expect(projector.snapshot().ledger).not.toBe(before);
		expect(projector.snapshot().ledger.transactions).toHaveLength(1);
	});
});

describe('export', () => {
	it('writes one CSV row per posting, ISO dates, major units with a dot, account, counterparty, record id', async () => {
		const { world, people } = await coopOf(2);
		const [ada, bo] = people;
		const state = await projectWorld(world);
		const income = await world.write(
			ada,
			incomeDraft(
				world.context(ada),
				{
					...common,
					memo: '=HYPERLINK("x"), "quoted"',
					amount: '1234,5',
					into: 'bank',
					client: 'Durand, père & fils',
					ref: '',
					member: '',
					source: 'other'
				},
				books(state)
			)
		);
		world.advance(MINUTE);
		const reversal = await world.write(
			bo,
			reverseDraft(
				world.context(bo),
				{ entry: income.id, date: '2025-03-31', reason: 'Bounced' },
				(await projectWorld(world)).ledger
			)
		);
		const csv = ledgerCsv((await projectWorld(world)).ledger);
		expect(csv.split('\r\n')).toEqual([
			'date,record,kind,account,counterparty,amount,currency,memo,reverses',
			`2025-03-10,${income.id},income,bank,"Durand, père & fils",1234.50,EUR,"'=HYPERLINK(""x""), ""quoted""",`,
			`2025-03-10,${income.id},income,income:other,,-1234.50,EUR,"'=HYPERLINK(""x""), ""quoted""",`,
			`2025-03-31,${reversal.id},income-reversal,bank,"Durand, père & fils",-1234.50,EUR,"'=HYPERLINK(""x""), ""quoted""",${income.id}`,
			`2025-03-31,${reversal.id},income-reversal,income:other,,1234.50,EUR,"'=HYPERLINK(""x""), ""quoted""",${income.id}`,
			''
		]);
	});
});

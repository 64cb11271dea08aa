import { describe, expect, it } from 'vitest';
import { CoopProjector, type CoopState } from '$lib/domain/coop-state';
import { booksContext, incomeDraft, reverseDraft } from '$lib/domain/ledger/commands';
import {
	hourlyRate,
	lastMonths,
	memberDashboard,
	periodsOf,
	unbookedWork,
	type Earnings,
	type MemberDashboard,
	type UnbookedWork
} from '$lib/domain/ledger/dashboard';
import { basisPointsOf } from '$lib/domain/ledger/money';
import { ledgerArea } from '$lib/domain/ledger/module';
import { prepareLedgerView, type LedgerView } from '$lib/domain/ledger/view';
import { workArea } from '$lib/domain/work/module';
import { prepareWorkView } from '$lib/domain/work/view';
import { cancelDraft, releaseDraft } from '$lib/domain/work/commands';
import {
	DAY,
	foundCoop,
	MINUTE,
	pick,
	prng,
	projectWorld,
	shuffle,
	signAs,
	unwrap,
	verifiedAll,
	type Device,
	type Entry,
	type World
} from './fixtures';
import {
	claim,
	complete,
	decideSetting,
	HOUR,
	MONDAY,
	postJob,
	postShift,
	signup
} from './work-fixtures';

/**
 * The dashboard reads per-member indexes the ledger and work views keep as records arrive, and
 * the list of work not yet in the books is kept from their logs of completions and bookings. Here
 * random co-ops (jobs claimed, handed back, cancelled and completed; shifts signed up for and
 * done; payments for one or two members, reversed or not) reach a projector in random batches
 * and random orders, so records arrive late and the fold starts again from checkpoints; after
 * every batch each member's dashboard and the unbooked list must equal a straightforward
 * recomputation over the whole state: every transaction, every job, every sign-up.
 */

const SHARE = 1500;

/** The dashboard computed the plain way, scanning the whole state (as it was first written). */
function recomputed(state: CoopState, member: string, today: string): MemberDashboard {
	const periods = periodsOf(today);
	const months = lastMonths(periods.month);
	type Sum = { jobs: number; minutes: number; net: number; share: number };
	const zero = (): Sum => ({ jobs: 0, minutes: 0, net: 0, share: 0 });
	const byMonth = new Map(months.map((month) => [month, zero()]));
	const week = zero();
	const month = zero();
	const year = zero();
	const into = (date: string): Sum[] => {
		if (date > today) return [];
		const sums: Sum[] = [];
		if (date >= periods.week) sums.push(week);
		if (date.startsWith(periods.month)) sums.push(month);
		if (date.startsWith(periods.year)) sums.push(year);
		const monthly = byMonth.get(date.slice(0, 7));
		if (monthly !== undefined) sums.push(monthly);
		return sums;
	};
	const day = (time: number) => new Date(time).toISOString().slice(0, 10);
	const work = (minutes: number, endedAt: number) => {
		for (const sum of into(day(endedAt))) {
			sum.jobs++;
			sum.minutes += minutes;
		}
	};
	for (const job of state.work.jobs) {
		for (const assignee of job.assignees) {
			if (assignee.member === member && assignee.done !== null) {
				work(assignee.done.minutes, assignee.done.endedAt);
			}
		}
	}
	for (const signup of state.work.signups) {
		if (signup.member === member && signup.done !== null) {
			work(signup.done.minutes, signup.done.endedAt);
		}
	}
	for (const paid of paidScan(state.ledger, member)) {
		for (const sum of into(paid.date)) {
			sum.net += paid.net;
			sum.share += paid.share;
		}
	}
	const done = ({ jobs, minutes, net, share }: Sum): Earnings => ({
		jobs,
		minutes,
		gross: net + share,
		share,
		net,
		hourly: hourlyRate(net, minutes)
	});
	const items: MemberDashboard['expected']['items'][number][] = [];
	for (const job of state.work.jobs) {
		if (job.status === 'cancelled' || job.status === 'completed') continue;
		if (!job.assignees.some((a) => a.member === member && a.done === null)) continue;
		const { id, title, startsAt, minutes, pay } = job;
		items.push({ kind: 'job', id, title, startsAt, minutes, pay });
	}
	for (const signup of state.work.signups) {
		if (signup.member !== member || signup.status !== 'signed-up') continue;
		items.push({
			kind: 'shift',
			id: signup.id,
			title: state.work.shifts.find((shift) => shift.id === signup.shift)?.title ?? '',
			startsAt: signup.startsAt,
			minutes: Math.round((signup.endsAt - signup.startsAt) / MINUTE),
			pay: signup.pay
		});
	}
	items.sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1));
	const gross = items.reduce((sum, item) => sum + item.pay, 0);
	const share = items.reduce((sum, item) => sum + basisPointsOf(item.pay, SHARE), 0);
	return {
		week: done(week),
		month: done(month),
		year: done(year),
		months: months.map((name) => ({ month: name, ...done(byMonth.get(name)!) })),
		expected: {
			items,
			minutes: items.reduce((sum, item) => sum + item.minutes, 0),
			gross,
			share,
			net: gross - share
		}
	};
}

/** Every income transaction crediting the member's payable, with their part of the share. */
function paidScan(ledger: LedgerView, member: string) {
	const account = `member:${member}:payable`;
	const out: { date: string; net: number; share: number }[] = [];
	for (const transaction of ledger.transactions) {
		if (transaction.kind !== 'income') continue;
		const payees = new Map<string, number>();
		let share = 0;
		for (const { account: name, amount } of transaction.postings) {
			if (name === 'coop-share') share -= amount;
			else if (name.endsWith(':payable')) payees.set(name, (payees.get(name) ?? 0) - amount);
		}
		const mine = payees.get(account) ?? 0;
		if (mine === 0) continue;
		const pay = [...payees.values()].reduce((sum, value) => sum + value, 0);
		let part = share;
		if (payees.size > 1 && pay !== 0) {
			const parts = [...payees.values()].map((theirs) =>
				Number((BigInt(share) * BigInt(theirs)) / BigInt(pay))
			);
			const left = share - parts.reduce((sum, value) => sum + value, 0);
			part =
				parts[[...payees.keys()].indexOf(account)]! +
				([...payees.keys()][0] === account ? left : 0);
		}
		out.push({ date: transaction.date, net: mine, share: part });
	}
	return out;
}

/**
 * The parts of completed paid jobs no income in force pays, scanning every transaction and job:
 * latest first, then by job id, then by member.
 */
function unbookedScan(state: CoopState): UnbookedWork[] {
	const booked = new Set<string>();
	for (const transaction of state.ledger.transactions) {
		if (transaction.source !== 'entry' || transaction.kind !== 'income') continue;
		if (transaction.ref === '' || transaction.reversedBy !== null) continue;
		for (const { account } of transaction.postings) {
			const match = /^member:(.+):payable$/.exec(account);
			if (match !== null) booked.add(`${transaction.ref} ${match[1]}`);
		}
	}
	const out: UnbookedWork[] = [];
	for (const job of state.work.jobs) {
		for (const { member, done } of job.assignees) {
			if (job.pay === 0 || done === null || booked.has(`${job.id} ${member}`)) continue;
			out.push({ job, member, minutes: done.minutes, endedAt: done.endedAt });
		}
	}
	return out.sort(
		(a, b) =>
			b.endedAt - a.endedAt ||
			(a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0) ||
			(a.member < b.member ? -1 : 1)
	);
}

/** A small co-op's year, as records: the founder and three members. */
async function randomCoop(seed: number): Promise<{ world: World; people: Device[] }> {
	const random = prng(seed);
	const { world, people } = await foundCoop(4);
	const [ada, bo] = people as [Device, Device];
	await decideSetting(world, ada, bo, 'jobShare', String(SHARE));
	const jobs: Entry[] = [];
	for (let index = 0; index < 14; index++) {
		const startsAt = MONDAY + Math.floor(random() * 70) * DAY + 9 * HOUR;
		const job = await postJob(world, pick(random, people), {
			title: `Job ${index}`,
			startsAt,
			endsAt: startsAt + 2 * HOUR,
			pay: 1000 + Math.floor(random() * 9000),
			people: random() < 0.3 ? 2 : 1
		});
		jobs.push(job);
		for (const member of shuffle(random, people).slice(0, 1 + Math.floor(random() * 3))) {
			await claim(world, member, job.id);
		}
	}
	const shift = await postShift(world, ada, { title: 'Market', slots: 2 });
	for (const date of ['2025-01-07', '2025-01-08', '2025-02-04', '2025-03-11']) {
		for (const member of shuffle(random, people).slice(0, 2)) {
			await signup(world, member, shift.id, date);
		}
	}
	let state = await projectWorld(world);
	// Some hand back or cancel before the work, then the rest is done (or left undone).
	for (const job of state.work.jobs) {
		const roll = random();
		if (roll < 0.15 && job.assignees.length > 0) {
			const member = people.find((device) => device.id === job.assignees[0]!.member)!;
			await world.write(
				member,
				releaseDraft(world.advance(1000).context(member), state.work, {
					target: job.id,
					member: member.id,
					reason: 'Ill'
				})
			);
		} else if (roll < 0.25) {
			const poster = people.find((device) => device.id === job.poster)!;
			await world.write(
				poster,
				cancelDraft(world.advance(1000).context(poster), state.work, {
					target: job.id,
					reason: 'Client left'
				})
			);
		}
	}
	world.now = MONDAY + 80 * DAY;
	state = await projectWorld(world);
	for (const job of state.work.jobs) {
		if (job.status === 'cancelled') continue;
		for (const assignee of job.assignees) {
			if (random() < 0.25) continue;
			const member = people.find((device) => device.id === assignee.member)!;
			await complete(world, member, state, job.id, 60 + Math.floor(random() * 60), job.endsAt);
		}
	}
	for (const held of state.work.signups) {
		if (held.status !== 'signed-up' || random() < 0.3) continue;
		const member = people.find((device) => device.id === held.member)!;
		await complete(world, member, state, held.id, 120, held.endsAt);
	}
	state = await projectWorld(world);
	const books = booksContext(
		people.map((device) => device.id),
		SHARE
	);
	const incomes: Entry[] = [];
	for (const job of state.work.jobs) {
		for (const assignee of job.assignees) {
			if (assignee.done === null || random() < 0.2) continue;
			const date = new Date(assignee.done.endedAt + Math.floor(random() * 20) * DAY)
				.toISOString()
				.slice(0, 10);
			const result = incomeDraft(
				world.advance(MINUTE).context(ada),
				{
					date,
					memo: job.title,
					amount: (job.pay / 100).toFixed(2),
					currency: 'EUR',
					into: 'bank',
					client: job.client,
					ref: job.id,
					member: assignee.member,
					source: 'jobs'
				},
				books
			);
			incomes.push(await world.write(ada, result));
		}
	}
	// One payment for the work of two members, the share split between them.
	const [first, second] = [people[1]!, people[2]!];
	const joint = unwrap(
		incomeDraft(
			world.advance(MINUTE).context(ada),
			{
				date: '2025-02-14',
				memo: 'Joint job',
				amount: '100.01',
				currency: 'EUR',
				into: 'bank',
				client: 'Town hall',
				ref: '',
				member: first.id,
				source: 'jobs'
			},
			books
		)
	);
	const grosses = [7001, 3000];
	const total = grosses[0]! + grosses[1]!;
	const share = basisPointsOf(total, SHARE);
	const jointEntry = await signAs(
		{
			...joint,
			postings: [
				{ account: 'bank', amount: total, counterparty: 'Town hall' },
				{ account: `member:${first.id}:payable`, amount: -6000, counterparty: first.id },
				{
					account: `member:${second.id}:payable`,
					amount: share + 6000 - total,
					counterparty: second.id
				},
				{ account: 'coop-share', amount: -share, counterparty: '' }
			]
		},
		ada.key
	);
	world.entries.push(jointEntry);
	state = await projectWorld(world);
	for (const income of [...shuffle(random, incomes).slice(0, 4), jointEntry]) {
		await world.write(
			ada,
			reverseDraft(
				world.advance(MINUTE).context(ada),
				{ entry: income.id, date: '2025-03-03', reason: 'Recorded twice' },
				state.ledger
			)
		);
	}
	return { world, people };
}

describe('the dashboard and the unbooked work from the indexes', () => {
	it.each([1, 2, 3])(
		'equals a recomputation over the whole state, records arriving in random batches (seed %i)',
		async (seed) => {
			const { world, people } = await randomCoop(seed);
			const random = prng(seed * 31);
			const verified = await verifiedAll(world.entries, world.coop);
			const reference = await projectWorld(world);
			// Everything was accepted: the dashboards compare real figures, not empty ones.
			expect(reference.integrity.rejections.map((r) => JSON.stringify(r).slice(0, 200))).toEqual(
				[]
			);
			const days = ['2025-01-08', '2025-02-20', '2025-03-31', '2025-12-31'];
			const check = (state: CoopState) => {
				expect(unbookedWork(state.work, state.ledger)).toEqual(unbookedScan(state));
				for (const member of people) {
					for (const today of days) {
						const input = { ledger: state.ledger, work: state.work, member: member.id, today };
						expect(memberDashboard({ ...input, jobShare: SHARE })).toEqual(
							recomputed(state, member.id, today)
						);
					}
				}
			};
			check(reference);
			const paidSomeone = people.some(
				(member) =>
					memberDashboard({
						ledger: reference.ledger,
						work: reference.work,
						member: member.id,
						today: '2025-12-31',
						jobShare: SHARE
					}).year.net !== 0
			);
			expect(paidSomeone).toBe(true);
			// Some completed parts are in the books, some are not, some are back after a reversal.
			const parts = reference.work.jobs.flatMap((job) =>
				job.pay === 0 ? [] : job.assignees.filter((assignee) => assignee.done !== null)
			);
			const unbooked = unbookedWork(reference.work, reference.ledger);
			expect(unbooked.length).toBeGreaterThan(0);
			expect(unbooked.length).toBeLessThan(parts.length);
			const reversedRefs = reference.ledger.transactions.filter(
				(t) => t.source === 'reverse' && t.ref !== ''
			);
			expect(reversedRefs.length).toBeGreaterThan(0);

			// In the order written (each batch folded on top, the indexes taking in what is new),
			// then the genesis first and the rest in a random order (records arriving late, the
			// fold starting again from checkpoints).
			const orders = [verified, [verified[0]!, ...shuffle(random, verified.slice(1))]];
			let refolds = 0;
			for (const order of orders) {
				const projector = new CoopProjector(world.coop, {
					checkpointEvery: 8,
					now: () => world.now
				});
				const seen: {
					state: CoopState;
					figures: MemberDashboard[];
					unbooked: readonly UnbookedWork[];
				}[] = [];
				const figuresOf = (state: CoopState) =>
					people.map((member) =>
						memberDashboard({
							ledger: state.ledger,
							work: state.work,
							member: member.id,
							today: '2025-03-31',
							jobShare: SHARE
						})
					);
				for (let at = 0; at < order.length;) {
					const size = 1 + Math.floor(random() * 6);
					projector.add(order.slice(at, at + size));
					at += size;
					const state = projector.snapshot();
					check(state);
					const unbooked = [...unbookedWork(state.work, state.ledger)];
					seen.push({ state, figures: figuresOf(state), unbooked });
				}
				refolds += projector.refolds;
				expect(projector.snapshot().ledger).toEqual(reference.ledger);
				// A state read again after later records keeps its own figures.
				for (const { state, figures, unbooked } of seen) {
					expect(figuresOf(state)).toEqual(figures);
					expect(unbookedWork(state.work, state.ledger)).toEqual(unbooked);
					expect(unbooked).toEqual(unbookedScan(state));
				}
			}
			expect(refolds).toBeGreaterThan(0);

			// Opening: the records added a step at a time and the views made ready over several
			// steps give the same state, dashboards and indexes.
			const opened = new CoopProjector(world.coop, { now: () => world.now });
			const add = opened.addInSteps(shuffle(random, verified));
			while (add(0));
			let steps = 0;
			const fold = opened.fold;
			while (!prepareLedgerView(fold.of(ledgerArea), 0, 1)) steps++;
			while (!prepareWorkView(fold.of(workArea), 0)) steps++;
			expect(steps).toBeGreaterThan(3);
			const state = opened.snapshot();
			expect(state).toEqual(reference);
			check(state);
		},
		120_000
	);
});

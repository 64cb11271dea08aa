import { rotationContext } from '$lib/domain/work/eligibility';
import { describe, expect, it } from 'vitest';
import { projectCoop, type CoopState } from '$lib/domain/coop-state';
import { verifyRecord, type VerifiedRecord } from '$lib/domain/registry';
import type { AssignmentRule } from '$lib/domain/settings/values';
import {
	assignDraft,
	availabilityDraft,
	claimDraft,
	completeDraft,
	jobDraft,
	releaseAllDraft,
	releaseDraft,
	signupDraft,
	startDraft
} from '$lib/domain/work/commands';
import { inTurn, openJobs, shiftOccurrences, type Candidate } from '$lib/domain/work/view';
import {
	catchUp,
	foundCoop,
	MINUTE,
	pick,
	prng,
	randomExchange,
	syncPeers,
	syncEveryone,
	wander,
	writeAs,
	type Device,
	type SimulatedPeer,
	simulatedPeer
} from './fixtures';
import { decideSetting, HOUR, jobInput, postShift } from './work-fixtures';

/**
 * N members, each on their own device with its own Y.Doc, post jobs, claim them, are assigned
 * by the co-op's rule, start, complete, hand back and sign up for shifts while offline, and
 * exchange Yjs updates in random pairs and orders. Each device acts on its own partial view,
 * as the app would. After a full exchange every device must show the same jobs, the same
 * assignments and the same figures as a projection from scratch; no job holds more people than
 * it takes; and every rotation assignment is the documented ranking's top.
 */

interface Peer extends SimulatedPeer {
	readonly index: number;
}

function makePeer(index: number, device: Device, coop: string, random: () => number): Peer {
	return {
		...simulatedPeer(index, device, coop, random, { checkpointEvery: 7, skewRange: 2 * MINUTE }),
		index
	};
}

async function act(peer: Peer, coop: string, now: number, random: () => number): Promise<void> {
	const state = await catchUp(peer, coop, now);
	const me = peer.device.id;
	const context = () => ({ coop, author: me, at: peer.device.stamp(now + peer.skew) });
	const { work } = state;
	const roll = random();
	const open = openJobs(work);
	const mine = work.jobs.filter(
		(job) =>
			(job.status === 'assigned' || job.status === 'open' || job.status === 'started') &&
			job.assignees.some((a) => a.member === me && a.done === null)
	);
	if (roll < 0.2) {
		const startsAt = now + Math.floor(1 + random() * 96) * HOUR;
		await writeAs(
			peer,
			jobDraft(
				context(),
				jobInput({
					title: `Job ${Math.floor(random() * 1000)}`,
					startsAt,
					endsAt: startsAt + pick(random, [1, 2, 3]) * HOUR,
					people: pick(random, [1, 1, 2]),
					skills: random() < 0.2 ? ['baking'] : [],
					pay: Math.floor(random() * 5000)
				})
			)
		);
	} else if (roll < 0.5 && open.length > 0) {
		const job = pick(random, open);
		const result = claimDraft(context(), work, { job: job.id, member: me });
		if (result.ok) await writeAs(peer, result);
	} else if (roll < 0.6 && open.length > 0) {
		const job = pick(random, open);
		const members =
			job.rule === 'rotation'
				? inTurn(work, { ...rotationContext(state), maxWeeklyHours: 0 }, job.id)
						.filter((c) => c.chosen)
						.map((c) => c.member)
				: job.offers.map((offer) => offer.member).slice(0, job.freePlaces);
		if (members.length > 0) {
			const result = assignDraft(context(), work, { job: job.id, members });
			if (result.ok) await writeAs(peer, result);
		}
	} else if (roll < 0.75 && mine.length > 0) {
		const job = pick(random, mine);
		if (random() < 0.3) {
			const result = startDraft(context(), work, { job: job.id, member: me });
			if (result.ok) await writeAs(peer, result);
		} else {
			const minutes = Math.max(1, Math.floor(((job.endsAt - job.startsAt) / MINUTE) * random()));
			const result = completeDraft(context(), work, {
				target: job.id,
				member: me,
				minutes,
				endedAt: job.startsAt + minutes * MINUTE
			});
			// The work ends in the future of `now` here: stamp it at its end, as the device would.
			if (result.ok && job.startsAt + minutes * MINUTE <= now + peer.skew) {
				await writeAs(peer, result);
			}
		}
	} else if (roll < 0.8 && mine.length > 0) {
		const job = pick(random, mine);
		await writeAs(
			peer,
			releaseDraft(context(), work, { target: job.id, member: me, reason: 'Cannot make it' })
		);
	} else if (roll < 0.9) {
		const occurrences = shiftOccurrences(work, now, 14).filter(
			(o) => o.free > 0 && !o.members.includes(me)
		);
		if (occurrences.length > 0) {
			const occurrence = pick(random, occurrences);
			await writeAs(
				peer,
				signupDraft(context(), { shift: occurrence.shift.id, date: occurrence.date })
			);
		}
	} else if (roll < 0.95) {
		await writeAs(
			peer,
			availabilityDraft(context(), {
				timeZone: pick(random, ['Europe/Paris', 'UTC', 'America/Montreal']),
				weekly: [{ day: pick(random, [1, 2, 3, 4, 5]), start: '08:00', end: '20:00' }],
				off: []
			})
		);
	} else if (roll > 0.985) {
		await writeAs(peer, releaseAllDraft(context(), { from: now, reason: 'Ill' }));
	}
}

async function simulate(seed: number, rule: AssignmentRule) {
	const random = prng(seed);
	const { world, people } = await foundCoop(5);
	if (rule !== 'claim') {
		await decideSetting(world, people[0]!, people[1]!, 'assignmentRule', rule);
	}
	for (const [index, person] of people.entries()) {
		await world.profile(person, `Member ${index}`);
	}
	await postShift(world, people[0]!, { slots: 2 });
	const coop = world.coop;
	const peers = people.map((device, index) => makePeer(index, device, coop, random));
	for (const entry of world.entries) peers[0]!.records.set(entry.id, entry.record);
	for (const peer of peers.slice(1)) syncPeers(peers[0]!, peer);
	const now = await wander(
		random,
		peers,
		world.now,
		{ steps: 220, maxStep: 40 * MINUTE, meet: 0.4 },
		(peer, at) => act(peer, coop, at, random)
	);
	syncEveryone(peers, 2);
	const states: CoopState[] = [];
	for (const peer of peers) states.push(await catchUp(peer, coop, now));
	return { peers, coop, states, now };
}

async function fromScratch(peer: Peer, coop: string, now: number): Promise<CoopState> {
	const verified: VerifiedRecord[] = [];
	for (const [key, value] of peer.records.entries()) {
		const result = await verifyRecord(key, value, coop);
		if (result.ok) verified.push(result.verified);
	}
	return projectCoop(coop, verified, [], now);
}

/** The documented order: fewest minutes, then earliest offer (an offer before none), then id. */
function documentedOrder(candidates: readonly Candidate[]): boolean {
	const eligible = candidates.filter((c) => c.rank > 0);
	for (let index = 1; index < eligible.length; index++) {
		const [a, b] = [eligible[index - 1]!, eligible[index]!];
		if (a.minutes !== b.minutes) {
			if (a.minutes > b.minutes) return false;
			continue;
		}
		if ((a.offeredAt === null) !== (b.offeredAt === null)) {
			if (a.offeredAt === null) return false;
			continue;
		}
		if (a.offeredAt !== null && b.offeredAt !== null && a.offeredAt !== b.offeredAt) {
			if (a.offeredAt > b.offeredAt) return false;
			continue;
		}
		if (a.offeredAt === null && a.member > b.member) return false;
	}
	return true;
}

describe('convergence of jobs and assignments across devices (Yjs, seeded)', () => {
	const cases: [number, AssignmentRule][] = [
		[1, 'claim'],
		[2, 'claim'],
		[3, 'rotation'],
		[5, 'rotation'],
		[8, 'claim'],
		[13, 'rotation']
	];
	const totals = { assigned: 0, completed: 0, lostClaims: 0, rotations: 0, handedBack: 0 };

	it.each(cases)(
		'gives every device the same jobs and assignments (seed %i, rule %s)',
		async (seed, rule) => {
			const { peers, coop, states, now } = await simulate(seed, rule);
			const reference = await fromScratch(peers[0]!, coop, now);
			for (const state of states) {
				expect(state.work).toEqual(reference.work);
				expect(state.integrity).toEqual(reference.integrity);
			}
			for (const job of reference.work.jobs) {
				expect(job.assignees.length).toBeLessThanOrEqual(job.people);
				expect(new Set(job.assignees.map((a) => a.member)).size).toBe(job.assignees.length);
				expect(job.rule).toBe(rule);
				for (const why of job.whys) {
					if (why.rule === 'rotation') {
						totals.rotations++;
						expect(documentedOrder(why.candidates)).toBe(true);
						const top = why.candidates.filter((c) => c.rank > 0).slice(0, why.chosen.length);
						expect(top.map((c) => c.member).sort()).toEqual([...why.chosen].sort());
					}
				}
				totals.assigned += job.assignees.length;
				totals.completed += job.assignees.filter((a) => a.done !== null).length;
				totals.lostClaims += job.offers.filter((offer) => !offer.assigned).length;
				totals.handedBack += job.released.length;
			}
		}
	);

	it('exercised assignments, completions, lost claims, rotations and hand-backs', () => {
		expect(totals.assigned).toBeGreaterThan(10);
		expect(totals.completed).toBeGreaterThan(0);
		expect(totals.lostClaims).toBeGreaterThan(0);
		expect(totals.rotations).toBeGreaterThan(0);
		expect(totals.handedBack).toBeGreaterThan(0);
	});

	it('gives two members claiming one job offline one winner on every device', async () => {
		for (const seed of [1, 2, 3, 4, 5, 6]) {
			const random = prng(seed);
			const { world, people } = await foundCoop(3);
			const [ada, bo, cy] = people as [Device, Device, Device];
			const coop = world.coop;
			const peers = people.map((device, index) => makePeer(index, device, coop, random));
			for (const entry of world.entries) peers[0]!.records.set(entry.id, entry.record);
			const now = world.now + MINUTE;
			const job = await writeAs(
				peers[0]!,
				jobDraft({ coop, author: ada.id, at: ada.stamp(now) }, jobInput({ people: 1 }))
			);
			for (const peer of peers.slice(1)) syncPeers(peers[0]!, peer);
			// Bo and Cy each claim offline, then meet everyone in a random order.
			for (const [peer, device] of [
				[peers[1]!, bo],
				[peers[2]!, cy]
			] as const) {
				const state = await catchUp(peer, coop, now);
				const at = device.stamp(now + Math.floor(random() * 1000));
				await writeAs(
					peer,
					claimDraft({ coop, author: device.id, at }, state.work, { job, member: device.id })
				);
			}
			for (let step = 0; step < 10; step++) randomExchange(random, peers);
			for (const from of peers) for (const to of peers) if (from !== to) syncPeers(from, to);
			const winners = new Set<string>();
			for (const peer of peers) {
				const state = await catchUp(peer, coop, now + HOUR);
				const view = state.work.jobs.find((candidate) => candidate.id === job)!;
				expect(view.assignees).toHaveLength(1);
				winners.add(view.assignees[0]!.member);
				expect(view.offers.filter((offer) => !offer.assigned)).toHaveLength(1);
			}
			expect(winners.size).toBe(1);
		}
	});
});

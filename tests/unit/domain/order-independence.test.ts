import { beforeAll, describe, expect, it } from 'vitest';
import { inviteDraft, joinDraft } from '$lib/domain/membership/commands';
import { newInviteSecret, proveInvite } from '$lib/domain/membership/proofs';
import type { Rejection } from '$lib/domain/kernel/reasons';
import type { VerifiedRecord } from '$lib/domain/registry';
import { compareRecords } from '$lib/domain/kernel/envelope';
import { projectCoop, CoopProjector, type CoopState } from '$lib/domain/coop-state';
import { Device, MINUTE, prng, shuffle, verified, World, type Entry } from './fixtures';

/**
 * One scenario with every kind of dependency and conflict, labelled record by record. Whatever
 * order the records arrive in, and however they are batched, the roster and the integrity report
 * must come out the same.
 */

interface Scenario {
	readonly coop: string;
	readonly labelled: ReadonlyMap<string, VerifiedRecord>;
	readonly records: readonly VerifiedRecord[];
	readonly junk: readonly Rejection[];
}

async function buildScenario(): Promise<Scenario> {
	const world = await World.found();
	const founder = world.founder;
	const labels = new Map<string, Entry>();
	const [bob, carol, dan, erin, fay, gus, hal, phone, mallory] = await Promise.all(
		Array.from({ length: 9 }, () => Device.create())
	);
	if (!bob || !carol || !dan || !erin || !fay || !gus || !hal || !phone || !mallory) {
		throw new Error('devices');
	}
	labels.set('genesis', world.genesis);
	world.advance(MINUTE);
	const first = await world.invite(founder, { maxUses: 2 });
	labels.set('invite-1', first.entry);
	world.advance(MINUTE);
	// Bob, Carol and Dan join with the same two-use invite, stamped in the same millisecond.
	const sameTime = `${world.now}-0000`;
	const joins = await Promise.all([
		world.join(bob, first.secret, sameTime),
		world.join(carol, first.secret, sameTime),
		world.join(dan, first.secret, sameTime)
	]);
	const [winner1, winner2, loser] = [...joins].sort((a, b) => (a.id < b.id ? -1 : 1));
	const byId = new Map([
		[joins[0].id, bob],
		[joins[1].id, carol],
		[joins[2].id, dan]
	]);
	labels.set('join-won-1', winner1!);
	labels.set('join-won-2', winner2!);
	labels.set('join-used-up', loser!);
	const member1 = byId.get(winner1!.id)!;
	const member2 = byId.get(winner2!.id)!;
	world.advance(MINUTE);
	labels.set('profile-1', await world.profile(member1, 'First'));
	const short = await world.invite(member1, { lifetime: 60 * MINUTE });
	labels.set('invite-short', short.entry);
	world.advance(2 * 60 * MINUTE);
	labels.set('join-expired', await world.join(erin, short.secret));
	labels.set('revoke-1', await world.revoke(founder, first.inviteId));
	world.advance(MINUTE);
	labels.set('join-revoked', await world.join(fay, first.secret));
	labels.set('link-phone', await world.link(member1, member1.id, phone));
	world.advance(MINUTE);
	labels.set('phone-profile', await world.profile(phone, 'First (phone)'));
	labels.set('leave-2', await world.leave(member2));
	world.advance(MINUTE);
	labels.set('after-leave', await world.profile(member2, 'Gone'));
	labels.set('stranger-profile', await world.profile(mallory, 'Stranger'));
	// Gus joins through an invite that was never published.
	const { secret: unpublished } = await newInviteSecret();
	labels.set('join-missing-invite', await world.join(gus, unpublished));
	// Hal's join is stamped before the invite it answers (a clock far behind).
	const late = await world.invite(member1, { maxUses: 3 });
	labels.set('invite-late', late.entry);
	const proof = await proveInvite(late.secret, world.coop, hal.id);
	labels.set(
		'join-before-invite',
		await world.write(hal, joinDraft(world.context(hal, `${world.now - 30 * MINUTE}-0000`), proof))
	);
	labels.set('founder-profile', await world.profile(founder, 'Founder'));
	const duplicateInvite = inviteDraft(world.context(founder), {
		inviteId: late.inviteId,
		expiresAt: world.now + 60 * MINUTE,
		maxUses: 1
	});
	labels.set('invite-duplicate', await world.write(founder, duplicateInvite));

	const labelled = new Map<string, VerifiedRecord>();
	for (const [label, entry] of labels) labelled.set(label, await verified(entry, world.coop));
	const junk: Rejection[] = [
		{ id: 'junk-1', reason: 'hash-mismatch', type: null, author: null, at: null, detail: null },
		{
			id: 'junk-2',
			reason: 'invalid-shape',
			type: 'x',
			author: null,
			at: null,
			detail: 'type: out-of-range'
		}
	];
	return { coop: world.coop, labelled, records: [...labelled.values()], junk };
}

function outcome(state: CoopState, id: string): string {
	const rejected = state.integrity.rejections.find((rejection) => rejection.id === id);
	if (rejected) return rejected.reason;
	const waiting = state.integrity.waiting.find((rejection) => rejection.id === id);
	return waiting ? `pending:${waiting.reason}` : 'accepted';
}

/** Feeds `records` in the given order, in batches of random sizes, with the junk in between. */
function feed(
	scenario: Scenario,
	records: readonly VerifiedRecord[],
	random: () => number
): CoopProjector {
	// A checkpoint every other record, so that late records refold from one.
	const projector = new CoopProjector(scenario.coop, { checkpointEvery: 2 });
	let index = 0;
	let junkGiven = false;
	while (index < records.length) {
		const size = 1 + Math.floor(random() * 4);
		projector.add(records.slice(index, index + size));
		index += size;
		if (!junkGiven && random() < 0.3) {
			projector.reject(scenario.junk);
			junkGiven = true;
		}
		// Snapshots in between must not disturb later results.
		if (random() < 0.3) projector.snapshot();
	}
	if (!junkGiven) projector.reject(scenario.junk);
	return projector;
}

function* permutations<T>(items: readonly T[]): Generator<T[]> {
	// Heap's algorithm, iterative.
	const current = [...items];
	const counters = new Array<number>(current.length).fill(0);
	yield [...current];
	let index = 1;
	while (index < current.length) {
		if (counters[index]! < index) {
			const swap = index % 2 === 0 ? 0 : counters[index]!;
			[current[swap], current[index]] = [current[index]!, current[swap]!];
			yield [...current];
			counters[index]!++;
			index = 1;
		} else {
			counters[index] = 0;
			index++;
		}
	}
}

describe('order independence of the roster', () => {
	let scenario: Scenario;
	let reference: CoopState;

	beforeAll(async () => {
		scenario = await buildScenario();
		reference = projectCoop(scenario.coop, scenario.records, scenario.junk);
	});

	it('judges each labelled record as the rules say (the reference is what we think it is)', () => {
		const expected: Record<string, string> = {
			genesis: 'accepted',
			'invite-1': 'accepted',
			'join-won-1': 'accepted',
			'join-won-2': 'accepted',
			'join-used-up': 'invite-used-up',
			'profile-1': 'accepted',
			'invite-short': 'accepted',
			'join-expired': 'invite-expired',
			'revoke-1': 'accepted',
			'join-revoked': 'invite-revoked',
			'link-phone': 'accepted',
			'phone-profile': 'accepted',
			'leave-2': 'accepted',
			'after-leave': 'not-a-member',
			'stranger-profile': 'pending:unknown-author',
			'join-missing-invite': 'pending:missing-invite',
			'invite-late': 'accepted',
			'join-before-invite': 'out-of-order',
			'founder-profile': 'accepted',
			'invite-duplicate': 'duplicate'
		};
		const actual = Object.fromEntries(
			[...scenario.labelled].map(([label, entry]) => [label, outcome(reference, entry.id)])
		);
		expect(actual).toEqual(expected);
		expect(reference.integrity).toMatchObject({
			checked: 22,
			accepted: 12,
			rejected: 8,
			pending: 2
		});
		expect(reference.members.map((member) => member.displayName)).toEqual([
			'Founder',
			'First (phone)',
			''
		]);
	});

	it('gives the same roster for all 5,040 orders of seven interdependent records', () => {
		const subset = [
			'genesis',
			'invite-1',
			'join-won-1',
			'join-won-2',
			'join-used-up',
			'revoke-1',
			'link-phone'
		].map((label) => scenario.labelled.get(label)!);
		const expected = projectCoop(scenario.coop, subset);
		expect(expected.members).toHaveLength(3);
		let count = 0;
		for (const order of permutations(subset)) {
			const projector = new CoopProjector(scenario.coop);
			for (const entry of order) projector.add([entry]);
			expect(projector.snapshot()).toEqual(expected);
			count++;
		}
		expect(count).toBe(5040);
	});

	it('gives the same roster and report for 300 random orders in random batches', () => {
		const random = prng(7);
		for (let round = 0; round < 300; round++) {
			const projector = feed(scenario, shuffle(random, scenario.records), random);
			expect(projector.snapshot()).toEqual(reference);
		}
	});

	it('ignores records it already has', () => {
		const projector = new CoopProjector(scenario.coop);
		projector.add(scenario.records);
		projector.add(shuffle(prng(3), scenario.records));
		projector.reject(scenario.junk);
		expect(projector.size).toBe(scenario.records.length);
		expect(projector.snapshot()).toEqual(reference);
	});

	it('applies records that arrive in (at, id) order without refolding', () => {
		const sorted = [...scenario.records].sort(compareRecords);
		const projector = new CoopProjector(scenario.coop);
		for (const entry of sorted) projector.add([entry]);
		projector.reject(scenario.junk);
		expect(projector.refolds).toBe(0);
		expect(projector.snapshot()).toEqual(reference);
	});

	it('refolds once when an earlier record arrives, and ends where a fresh projection does', () => {
		const sorted = [...scenario.records].sort(compareRecords);
		const early = sorted.splice(3, 1);
		const projector = new CoopProjector(scenario.coop);
		projector.add(sorted);
		projector.reject(scenario.junk);
		expect(projector.add(early).refolded).toBe(true);
		expect(projector.refolds).toBe(1);
		expect(projector.snapshot()).toEqual(reference);
	});

	it('keeps records whose dependency is missing as pending, and counts them once it arrives', () => {
		const invite = scenario.labelled.get('invite-1')!;
		const without = scenario.records.filter((entry) => entry !== invite);
		const projector = new CoopProjector(scenario.coop);
		projector.add(without);
		const waiting = projector.snapshot();
		for (const label of ['join-won-1', 'join-won-2', 'join-used-up', 'join-revoked', 'revoke-1']) {
			expect(outcome(waiting, scenario.labelled.get(label)!.id)).toBe('pending:missing-invite');
		}
		// Records by members who joined through it wait for their author.
		expect(outcome(waiting, scenario.labelled.get('profile-1')!.id)).toBe('pending:unknown-author');
		expect(waiting.members).toHaveLength(1);
		projector.add([invite]);
		projector.reject(scenario.junk);
		expect(projector.snapshot()).toEqual(reference);
	});

	it('keeps everything pending when the genesis is missing', () => {
		const genesis = scenario.labelled.get('genesis')!;
		const state = projectCoop(
			scenario.coop,
			scenario.records.filter((entry) => entry !== genesis)
		);
		expect(state.coop).toBeNull();
		expect(state.members).toEqual([]);
		expect(state.integrity.accepted).toBe(0);
		expect(state.integrity.waiting.every((entry) => entry.reason === 'missing-genesis')).toBe(true);
		expect(state.integrity.pending).toBe(scenario.records.length - 1);
	});

	it('returns frozen snapshots that later records do not change', () => {
		const projector = new CoopProjector(scenario.coop);
		projector.add(scenario.records.slice(0, 3));
		const before = projector.snapshot();
		const copy = structuredClone(before);
		projector.add(scenario.records.slice(3));
		expect(Object.isFrozen(before)).toBe(true);
		expect(Object.isFrozen(before.members[0])).toBe(true);
		expect(before).toEqual(copy);
		expect(projector.snapshot()).not.toBe(before);
	});
});

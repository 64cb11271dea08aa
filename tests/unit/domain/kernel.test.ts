import { describe, expect, it } from 'vitest';
import { CoopProjector, projectCoop, type CoopState } from '$lib/domain/coop-state';
import { compareRecords } from '$lib/domain/kernel/envelope';
import { RECORD_VERSION } from '$lib/domain/kernel/envelope';
import { defineArea, type AreaFold } from '$lib/domain/kernel/module';
import { MAX_CHECKPOINTS, thin } from '$lib/domain/kernel/projector';
import { Registry, RegistryConflictError } from '$lib/domain/kernel/registry';
import { MEMBERSHIP_RECORDS } from '$lib/domain/membership/records';
import {
	RECORD_TYPES,
	REGISTRY,
	trustVaultRecord,
	type VerifiedRecord
} from '$lib/domain/registry';
import { Device, foundCoop, MINUTE, prng, shuffle, World, type Entry } from './fixtures';

/**
 * The kernel: every record type belongs to exactly one area, every record handed to the fold is
 * accounted for, a late record refolds from a checkpoint, and an area's part of the state is
 * rebuilt only when that area changed.
 */

/** A record of a type no area of this version declares, as a vault written by a later one keeps it. */
function unknownRecord(world: World, device: Device, at: string, id: string): VerifiedRecord {
	return trustVaultRecord(id, {
		v: RECORD_VERSION,
		type: 'job.post',
		coop: world.coop,
		author: device.id,
		at,
		title: 'Paint the shop',
		sig: 'A'.repeat(86)
	});
}

function accounts(state: CoopState) {
	const { checked, accepted, rejected, pending, rejections, waiting } = state.integrity;
	return {
		checked,
		sum: accepted + rejected + pending,
		listed: rejections.length + waiting.length
	};
}

describe('registry', () => {
	it('gives every record type exactly one area, and keeps the types of the records', () => {
		for (const type of RECORD_TYPES) {
			const owners = REGISTRY.areas.filter((area) => Object.hasOwn(area.records, type));
			expect(owners.map((area) => area.name)).toHaveLength(1);
		}
		const declared = REGISTRY.areas.flatMap((area) => Object.keys(area.records));
		expect(new Set(declared).size).toBe(declared.length);
		// The types the areas declare, and no others.
		expect([...RECORD_TYPES].sort()).toEqual(
			[
				'coop.genesis',
				'member.invite',
				'member.invite-revoked',
				'member.join',
				'member.device-link',
				'member.profile',
				'member.leave',
				'member.delegate',
				'proposal.open',
				'proposal.vote',
				'proposal.comment',
				'proposal.close',
				'proposal.confirm',
				'ledger.entry',
				'ledger.reverse',
				'ledger.assert',
				'ledger.patronage',
				'work.job',
				'work.claim',
				'work.assign',
				'work.start',
				'work.complete',
				'work.cancel',
				'work.release',
				'work.shift',
				'work.signup',
				'work.availability',
				'credential.request',
				'credential.sign',
				'credential.decline',
				'credential.present',
				'rep.skill',
				'rep.endorse',
				'rep.unendorse',
				'rep.goal',
				'rep.pair',
				'rep.pair-accept',
				'rep.session',
				'rep.feedback',
				'rep.round',
				'rep.answer'
			].sort()
		);
	});

	it('refuses two areas that declare the same record type or apply the same effect', () => {
		const area = (name: string, effects: readonly string[]) =>
			defineArea({
				name,
				records: { 'member.leave': MEMBERSHIP_RECORDS['member.leave'] },
				effects,
				provides: [],
				create: (): AreaFold => {
					throw new Error('not folded');
				}
			});
		expect(() => new Registry([area('one', []), area('two', [])])).toThrow(RegistryConflictError);
		const other = defineArea({
			name: 'other',
			records: {},
			effects: ['x.do'],
			provides: [],
			create: (): AreaFold => {
				throw new Error('not folded');
			}
		});
		expect(() => new Registry([area('one', ['x.do']), other])).toThrow(RegistryConflictError);
	});

	it('rejects a record of an unknown type with a named reason, never counting it silently', async () => {
		const { world, people } = await foundCoop(2);
		await world.profile(people[1]!, 'Bea');
		const verified = await world.verifiedEntries();
		const unknown = unknownRecord(world, people[1]!, people[1]!.stamp(world.now), 'U'.repeat(43));
		const state = projectCoop(world.coop, [...verified, unknown]);
		const rejection = state.integrity.rejections.find((entry) => entry.id === unknown.id);
		expect(rejection?.reason).toBe('unknown-type');
		expect(rejection?.type).toBe('job.post');
		expect(state.integrity.accepted).toBe(verified.length);
		expect(state.integrity.checked).toBe(verified.length + 1);
		expect(accounts(state).sum).toBe(state.integrity.checked);
	});

	it('accounts for every record: checked = accepted + rejected + pending = records given', async () => {
		const { world, people } = await foundCoop(3);
		const [founder, bea, carl] = people as [Device, Device, Device];
		const proposal = await world.propose(bea, { title: 'Paint the shop' });
		world.advance(MINUTE);
		await world.vote(carl, proposal.id, [0]);
		await world.vote(founder, proposal.id, [9]); // does not fit: rejected
		await world.leave(carl);
		world.advance(MINUTE);
		await world.profile(carl, 'Carl, gone'); // after leaving: rejected
		const { entry: invite } = await world.invite(founder);
		const stranger = await Device.create();
		await world.profile(stranger, 'Nobody'); // unknown author: pending
		const all = await world.verifiedEntries();
		// The invite is held back: nothing waits on it, but the records after it do not change.
		const given = all.filter((entry) => entry.id !== invite.id);
		const unknown = unknownRecord(world, bea, bea.stamp(world.now), 'V'.repeat(43));
		const junk = [
			{
				id: 'J'.repeat(43),
				reason: 'bad-signature' as const,
				type: null,
				author: null,
				at: null,
				detail: null
			}
		];
		const state = projectCoop(world.coop, [...given, unknown], junk);
		expect(state.integrity.checked).toBe(given.length + 2);
		expect(accounts(state)).toEqual({
			checked: given.length + 2,
			sum: given.length + 2,
			listed: state.integrity.rejected + state.integrity.pending
		});
		expect(state.integrity.rejected).toBe(4);
		expect(state.integrity.pending).toBe(1);
	});
});

describe('checkpoints', () => {
	/** A founder and `count` profile edits, one a minute. */
	async function edits(count: number): Promise<{ world: World; sorted: VerifiedRecord[] }> {
		const world = await World.found();
		for (let index = 0; index < count; index++) {
			world.advance(MINUTE);
			await world.profile(world.founder, `Founder ${index}`);
		}
		const sorted = (await world.verifiedEntries()).sort(compareRecords);
		return { world, sorted };
	}

	it('refolds a late record from the last checkpoint before it, not from the start', async () => {
		const { world, sorted } = await edits(40);
		const late = sorted.splice(30, 1);
		const projector = new CoopProjector(world.coop, { checkpointEvery: 4 });
		projector.add(sorted);
		projector.snapshot();
		expect(projector.add(late).refolded).toBe(true);
		// Checkpoints sit every 4 records (at most 8, thinned to every 8 past 32): the last one
		// before record 30 is at 24.
		expect(projector.lastRefold).toEqual({ from: 24, replayed: 41 - 24 });
		expect(projector.snapshot()).toEqual(projectCoop(world.coop, [...sorted, ...late]));
	});

	it('leaves its checkpoints as they were: later late records refold from them again', async () => {
		const { world, sorted } = await edits(30);
		const [first] = sorted.splice(20, 1);
		const [second] = sorted.splice(18, 1);
		const projector = new CoopProjector(world.coop, { checkpointEvery: 4 });
		projector.add(sorted);
		projector.add([first!]);
		const from = projector.lastRefold!.from;
		projector.add([second!]);
		expect(projector.lastRefold!.from).toBeLessThanOrEqual(from);
		expect(projector.refolds).toBe(2);
		expect(projector.snapshot()).toEqual(projectCoop(world.coop, [...sorted, first!, second!]));
	});

	it('takes in one batch the checkpoints it takes one record at a time', async () => {
		const { world, sorted } = await edits(70);
		// Late records at every place: each refolds from the last checkpoint before it.
		for (const place of [3, 17, 33, 40, 51, 64, 69]) {
			const rest = [...sorted];
			const late = rest.splice(place, 1);
			const batch = new CoopProjector(world.coop, { checkpointEvery: 3 });
			batch.add(rest.slice(0, 20));
			batch.add(rest.slice(20));
			const single = new CoopProjector(world.coop, { checkpointEvery: 3 });
			for (const entry of rest) single.add([entry]);
			batch.add(late);
			single.add(late);
			expect(batch.lastRefold).toEqual(single.lastRefold);
			expect(batch.snapshot()).toEqual(single.snapshot());
		}
	});

	it('adds a large batch a step at a time, ending where one add does, checkpoints included', async () => {
		const { world, sorted } = await edits(150);
		const late = sorted.splice(100, 1);
		const stepped = new CoopProjector(world.coop, { checkpointEvery: 3 });
		// Unsorted, as a vault gives them back.
		const step = stepped.addInSteps(shuffle(prng(5), sorted));
		let steps = 1;
		while (step(0)) steps++;
		// Each step sorts a run, merges a few thousand records or applies at least 64 records
		// before it looks at the time.
		expect(steps).toBeGreaterThanOrEqual(3);
		const whole = new CoopProjector(world.coop, { checkpointEvery: 3 });
		whole.add(sorted);
		expect(stepped.snapshot()).toEqual(whole.snapshot());
		stepped.add(late);
		whole.add(late);
		expect(stepped.lastRefold).toEqual(whole.lastRefold);
		expect(stepped.snapshot()).toEqual(whole.snapshot());
	});

	it('answers as if the whole batch were in while it is added a step at a time', async () => {
		const { world, sorted } = await edits(150);
		const last = sorted.pop()!;
		const all = projectCoop(world.coop, [...sorted, last]);
		// A record written while the batch is still being applied goes after it, not amid it.
		const writing = new CoopProjector(world.coop);
		const step = writing.addInSteps(sorted);
		expect(step(0)).toBe(true);
		expect(writing.add([last])).toEqual({ added: 1, refolded: false });
		expect(step(0)).toBe(false);
		expect(writing.snapshot()).toEqual(all);
		// Read meanwhile: the state of the whole batch.
		const reading = new CoopProjector(world.coop);
		reading.addInSteps([...sorted, last])(0);
		expect(reading.size).toBe(sorted.length + 1);
		expect(reading.snapshot()).toEqual(all);
		// A batch that sorts before what is applied is folded at once, once sorted.
		const early = new CoopProjector(world.coop);
		early.add([last]);
		const late = early.addInSteps(shuffle(prng(9), sorted));
		while (late(0));
		expect(early.refolds).toBe(1);
		expect(early.snapshot()).toEqual(all);
	});

	it('thins checkpoints of a batch as it would one record at a time', () => {
		// What `#checkpoint` did after each record, on numbers: the reference.
		const oneByOne = (positions: number[], interval: number, start: number, end: number) => {
			let kept = [...positions];
			let every = interval;
			for (let length = start + 1; length <= end; length++) {
				if (length % every !== 0) continue;
				kept.push(length);
				if (kept.length <= MAX_CHECKPOINTS) continue;
				every *= 2;
				kept = kept.filter((at) => at % every === 0);
			}
			return { positions: kept, interval: every };
		};
		for (const interval of [1, 3, 4, 1024]) {
			for (const [start, end] of [
				[0, 0],
				[0, 5],
				[0, 100],
				[7, 300],
				[0, 106_000],
				[50_000, 106_000]
			] as const) {
				const before = oneByOne([], interval, 0, start);
				expect(thin(before.positions, before.interval, start, end)).toEqual(
					oneByOne(before.positions, before.interval, start, end)
				);
			}
		}
	});

	it('refolds from the start when the late record sorts before every checkpoint', async () => {
		const { world, sorted } = await edits(12);
		const late = sorted.splice(2, 1);
		const projector = new CoopProjector(world.coop, { checkpointEvery: 4 });
		projector.add(sorted);
		projector.add(late);
		expect(projector.lastRefold).toEqual({ from: 0, replayed: 13 });
		expect(projector.snapshot()).toEqual(projectCoop(world.coop, [...sorted, ...late]));
	});
});

describe('read models', () => {
	async function withProposal(): Promise<{ world: World; people: Device[]; proposal: Entry }> {
		const { world, people } = await foundCoop(3);
		const proposal = await world.propose(people[0]!, { title: 'New oven' });
		world.advance(MINUTE);
		return { world, people, proposal };
	}

	it('keeps membership and settings the same objects when only governance changed', async () => {
		const { world, people, proposal } = await withProposal();
		const projector = new CoopProjector(world.coop);
		projector.add(await world.verifiedEntries());
		const before = projector.snapshot();
		const vote = await world.vote(people[1]!, proposal.id, [0]);
		projector.add(await world.verifiedEntries());
		const after = projector.snapshot();
		expect(after).not.toBe(before);
		expect(after.governance.proposals[0]!.votes.map((entry) => entry.id)).toEqual([vote.id]);
		expect(after.members).toBe(before.members);
		expect(after.invites).toBe(before.invites);
		expect(after.coop).toBe(before.coop);
		expect(after.governance.settings).toBe(before.governance.settings);
	});

	it('keeps governance the same object when only membership changed', async () => {
		const { world, people } = await withProposal();
		const projector = new CoopProjector(world.coop);
		projector.add(await world.verifiedEntries());
		const before = projector.snapshot();
		await world.profile(people[2]!, 'Carla');
		projector.add(await world.verifiedEntries());
		const after = projector.snapshot();
		expect(after.members).not.toBe(before.members);
		expect(after.members.find((member) => member.id === people[2]!.id)?.displayName).toBe('Carla');
		expect(after.governance).toBe(before.governance);
		expect(after.coop).toBe(before.coop);
	});
});

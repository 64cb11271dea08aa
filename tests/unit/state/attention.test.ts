import { describe, expect, it } from 'vitest';
import { CONSENT_POSITIONS } from '$lib/domain/governance/vocabulary';
import { projectCoop, type CoopState } from '$lib/domain/coop-state';
import { memberOfDevice } from '$lib/domain/membership/view';
import {
	cosignsDue,
	decisionsUnread,
	linkAsksDue,
	newestStamp,
	newSince,
	votesDue,
	workDue,
	type AttentionInput
} from '$lib/state/attention';
import {
	DAY,
	foundCoop,
	MINUTE,
	prng,
	projectWorld,
	proposalOf,
	shuffle,
	verifiedAll,
	type Device,
	type World
} from '../domain/fixtures';
import { claim, complete, postJob } from '../domain/work-fixtures';

/**
 * What waits for a member and what is new to them, worked out from a real projection of signed
 * records, as a member's device sees it.
 */

const AGREE = [CONSENT_POSITIONS.indexOf('agree')];

function inputFor(state: CoopState, device: Device, now: number): AttentionInput {
	return {
		me: memberOfDevice(state, device.id)?.id ?? null,
		proposals: state.governance.proposals,
		members: state.members,
		lateCloses: () => [],
		now
	};
}

async function seenBy(world: World, device: Device) {
	return inputFor(await projectWorld(world), device, world.now);
}

describe('votes waiting for a member', () => {
	it('lists the open proposals the member has not voted on, soonest deadline first, until they vote', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bea, cyd] = people as [Device, Device, Device];
		const later = await world.propose(ada, { title: 'Later', closesAt: world.now + 3 * DAY });
		world.advance(MINUTE);
		const sooner = await world.propose(bea, { title: 'Sooner', closesAt: world.now + DAY });
		world.advance(MINUTE);

		const titles = async (device: Device) =>
			votesDue(await seenBy(world, device)).map(({ proposal }) => proposal.title);
		expect(await titles(cyd)).toEqual(['Sooner', 'Later']);
		// The author votes too: their own proposal waits for their vote.
		expect(await titles(ada)).toEqual(['Sooner', 'Later']);

		await world.vote(cyd, sooner.id, AGREE);
		world.advance(MINUTE);
		expect(await titles(cyd)).toEqual(['Later']);
		expect(await titles(bea)).toEqual(['Sooner', 'Later']);

		// Once the time has passed, nothing can be cast: it no longer waits.
		world.advance(2 * DAY);
		expect(await titles(bea)).toEqual(['Later']);
		const state = await projectWorld(world);
		await world.close(ada, later.id, proposalOf(state, later).basis);
		world.advance(MINUTE);
		expect(await titles(bea)).toEqual(['Later']);
	});

	it('lists nothing for a device that is not an active member, and marks an admission vote', async () => {
		const { world, people } = await foundCoop(2);
		const [ada] = people as [Device, Device];
		await world.propose(ada, { title: 'Plain' });
		world.advance(MINUTE);
		const state = await projectWorld(world);
		const outsider = { ...inputFor(state, ada, world.now), me: null };
		expect(votesDue(outsider)).toEqual([]);
		expect(cosignsDue({ ...outsider, lateCloses: () => ['close'] })).toEqual([]);
		expect(votesDue(inputFor(state, ada, world.now)).map((due) => due.applicant)).toEqual([false]);
	});

	it('lists the closes another member wrote that wait for the member to confirm', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bea] = people as [Device, Device];
		const proposal = await world.propose(ada, { title: 'Count me' });
		world.advance(MINUTE);
		const state = await projectWorld(world);
		const input = {
			...inputFor(state, bea, world.now),
			lateCloses: (view: { id: string }) => (view.id === proposal.id ? ['close-1'] : [])
		};
		expect(cosignsDue(input).map(({ proposal, close }) => [proposal.title, close])).toEqual([
			['Count me', 'close-1']
		]);
	});
});

describe('device-link requests waiting for a member', () => {
	it('lists the devices that asked to be linked to the member and are nobody’s device yet', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bea] = people as [Device, Device];
		const state = await projectWorld(world);
		const stranger = 'x'.repeat(43);
		const linkAsks = [
			{ device: stranger, member: ada.id },
			// Already a member's device (linked, or another member's own key): nothing to do.
			{ device: bea.id, member: ada.id },
			{ device: 'y'.repeat(43), member: bea.id }
		];
		const forAda = { ...inputFor(state, ada, world.now), linkAsks };
		expect(linkAsksDue(forAda)).toEqual([{ device: stranger, member: ada.id }]);
		expect(linkAsksDue({ ...forAda, me: null })).toEqual([]);
		expect(linkAsksDue(inputFor(state, ada, world.now))).toEqual([]);
		const forBea = { ...inputFor(state, bea, world.now), linkAsks };
		expect(linkAsksDue(forBea).map((ask) => ask.member)).toEqual([bea.id]);
	});
});

describe('what is new since a marker', () => {
	it('lists proposals, decisions and members after the marker, never the member’s own doing', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bea] = people as [Device, Device];
		const before = newestStamp(await seenBy(world, ada));
		expect(before).not.toBeNull();
		expect(decisionsUnread(await seenBy(world, ada), before)).toBe(0);

		const mine = await world.propose(ada, { title: 'Mine' });
		world.advance(MINUTE);
		const theirs = await world.propose(bea, { title: 'Theirs' });
		world.advance(MINUTE);
		const cyd = await world.newMember(bea);
		world.advance(MINUTE);

		const forAda = newSince(await seenBy(world, ada), before);
		expect(forAda.proposals.map((proposal) => proposal.title)).toEqual(['Theirs']);
		expect(forAda.members.map((member) => member.id)).toEqual([cyd.id]);
		const forBea = newSince(await seenBy(world, bea), before);
		expect(forBea.proposals.map((proposal) => proposal.title)).toEqual(['Mine']);
		expect(decisionsUnread(await seenBy(world, ada), before)).toBe(1);

		// A decision is new to everyone but the member who closed it.
		const state = await projectWorld(world);
		await world.decide(bea, ada, theirs.id, proposalOf(state, theirs).basis);
		world.advance(MINUTE);
		expect(newSince(await seenBy(world, ada), before).decisions.map((p) => p.title)).toEqual([
			'Theirs'
		]);
		expect(newSince(await seenBy(world, bea), before).decisions).toEqual([]);

		// Moving the marker to the newest stamp leaves nothing new.
		const seen = newestStamp(await seenBy(world, ada));
		const after = newSince(await seenBy(world, ada), seen);
		expect([after.proposals, after.decisions, after.members]).toEqual([[], [], []]);
		expect(decisionsUnread(await seenBy(world, ada), seen)).toBe(0);
		// With no marker (a device's first visit), everything by others is new.
		expect(newSince(await seenBy(world, ada), null).proposals.map((p) => p.id)).toEqual([
			theirs.id
		]);
		expect(mine.id).not.toBe(theirs.id);
	});

	it('gives the same lists whatever order the records arrived in (seeded)', async () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const random = prng(seed);
			const { world, people } = await foundCoop(3);
			for (let round = 0; round < 6; round++) {
				const author = people[Math.floor(random() * people.length)]!;
				const proposal = await world.propose(author, {
					title: `P${round}`,
					closesAt: world.now + (1 + Math.floor(random() * 5)) * DAY
				});
				world.advance(MINUTE);
				for (const voter of people) {
					if (random() < 0.5) await world.vote(voter, proposal.id, AGREE);
				}
				world.advance(MINUTE);
			}
			const marker = world.entries[Math.floor(random() * world.entries.length)]!.record.at;
			const reference = await projectWorld(world);
			const [genesis, ...rest] = world.entries;
			const shuffled = projectCoop(
				world.coop,
				await verifiedAll([genesis!, ...shuffle(random, rest)], world.coop)
			);
			for (const device of people) {
				const expected = inputFor(reference, device, world.now);
				const actual = inputFor(shuffled, device, world.now);
				const ids = (input: AttentionInput) => ({
					votes: votesDue(input).map(({ proposal }) => proposal.id),
					fresh: newSince(input, marker).proposals.map((proposal) => proposal.id),
					unread: decisionsUnread(input, marker),
					newest: newestStamp(input)
				});
				expect(ids(actual), `seed ${seed}`).toEqual(ids(expected));
			}
		}
	});
});

describe('work that needs the member', () => {
	it('lists their jobs coming within the week, under way, and ended without their hours', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const HOUR = 60 * MINUTE;
		const monday = Date.UTC(2025, 0, 6);
		world.now = monday;
		const job = await postJob(world, ada);
		const later = await postJob(world, ada, {
			title: 'Next month',
			startsAt: monday + 30 * DAY,
			endsAt: monday + 30 * DAY + 2 * HOUR
		});
		await claim(world, bo, job.id);
		await claim(world, bo, later.id);
		let state = await projectWorld(world);
		const states = (now: number) =>
			workDue(state.work, bo.id, now).map(({ item, state }) => [item.title, state]);

		expect(states(monday + 8 * HOUR)).toEqual([['Deliver bread', 'coming']]);
		expect(states(monday + 10 * HOUR)).toEqual([['Deliver bread', 'under-way']]);
		expect(states(monday + 12 * HOUR)).toEqual([['Deliver bread', 'to-complete']]);
		// A week later it no longer waits; the job a month away does not yet.
		expect(states(monday + 8 * DAY)).toEqual([]);
		expect(workDue(state.work, ada.id, monday + 8 * HOUR)).toEqual([]);
		expect(workDue(state.work, null, monday + 8 * HOUR)).toEqual([]);

		world.now = monday + 11 * HOUR;
		await complete(world, bo, state, job.id, 120, monday + 11 * HOUR);
		state = await projectWorld(world);
		expect(states(monday + 12 * HOUR)).toEqual([]);
	});
});

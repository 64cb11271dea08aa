import { describe, expect, it } from 'vitest';
import { CONSENT_POSITIONS } from '$lib/domain/governance/vocabulary';
import { formatHlc, wallOf } from '$lib/domain/kernel/hlc';
import { unsignedPart } from '$lib/domain/registry';
import { CoopProjector, projectCoop } from '$lib/domain/coop-state';
import {
	DAY,
	Device,
	expectRejected,
	foundCoop,
	MINUTE,
	prng,
	projectWorld,
	proposalOf,
	recordOutcome,
	shuffle,
	signAs,
	verifiedAll,
	type Entry
} from './fixtures';

/**
 * A member who holds a valid key trying to decide a proposal alone: with a close that names its
 * own electorate, a back-dated proposal, a close stamped days ahead, or a close that leaves out
 * the votes against. None of them decides; see docs/governance.md and docs/threat-model.md.
 */

const AGREE = [CONSENT_POSITIONS.indexOf('agree')];
const BLOCK = [CONSENT_POSITIONS.indexOf('block')];

const memberOf = (state: Awaited<ReturnType<typeof projectWorld>>, id: string) =>
	state.members.find((member) => member.id === id);

/** Ada proposes to remove Cy; Bo and Cy block, Ada agrees. */
async function removalOverBlocks() {
	const { world, people } = await foundCoop(3);
	const [ada, bo, cy] = people as [Device, Device, Device];
	const proposal = await world.propose(ada, { action: 'remove', subject: cy.id });
	world.advance(MINUTE);
	const mine = await world.vote(ada, proposal.id, AGREE);
	const blocks = [
		await world.vote(bo, proposal.id, BLOCK),
		await world.vote(cy, proposal.id, BLOCK)
	];
	world.advance(MINUTE);
	return { world, ada, bo, cy, proposal, mine, blocks };
}

describe('one member cannot decide alone', () => {
	it('refuses a close that names its own electorate (the field no longer exists)', async () => {
		const { world, ada, proposal, mine } = await removalOverBlocks();
		const honest = await world.close(ada, proposal.id, { votes: [mine.id], delegations: [] });
		const forged = await signAs(
			{ ...unsignedPart(honest.record), eligible: [ada.id] } as never,
			ada.key
		);
		await expectRejected(forged, world.coop, 'invalid-shape');
	});

	it('does not remove a member with a close listing only its author’s vote, over two blocks', async () => {
		const { world, ada, cy, proposal, mine } = await removalOverBlocks();
		// The author may close early; she lists her own vote only.
		const close = await world.close(ada, proposal.id, { votes: [mine.id], delegations: [] });
		const state = await projectWorld(world);
		expect(recordOutcome(state, close)).toBe('accepted');
		const view = proposalOf(state, proposal);
		expect(view.close).toBeNull();
		expect(view.applied).toBe(false);
		expect(memberOf(state, cy.id)?.status).toBe('active');
		// The electorate is the roster, and a device holding the blocks does not agree with it.
		expect(view.eligible).toHaveLength(3);
		expect(view.candidates).toEqual([
			expect.objectContaining({ id: close.id, agrees: false, leftOutVotes: 2 })
		]);
	});

	it('counts the quorum over the roster, whatever a close would have claimed', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const proposal = await world.propose(ada, {
			quorum: 100,
			action: 'setting',
			subject: 'name',
			value: 'Ours'
		});
		world.advance(MINUTE);
		const votes = [
			await world.vote(ada, proposal.id, AGREE),
			await world.vote(bo, proposal.id, AGREE),
			await world.vote(cy, proposal.id, AGREE)
		];
		world.advance(MINUTE);
		const { close } = await world.decide(ada, bo, proposal.id, {
			votes: votes.map((vote) => vote.id),
			delegations: []
		});
		// Invented electors would have failed the quorum; they cannot be written any more.
		const invented = await signAs(
			{ ...unsignedPart(close.record), eligible: [...Array(9).keys()].map(() => ada.id) } as never,
			ada.key
		);
		await expectRejected(invented, world.coop, 'invalid-shape');
		const state = await projectWorld(world);
		expect(proposalOf(state, proposal).result).toMatchObject({
			quorumMet: true,
			outcome: 'passed'
		});
		expect(state.coop?.name).toBe('Ours');
	});

	it('does not let a back-dated proposal with its author as only elector decide', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo] = people as [Device, Device, Device];
		// Stamped just after the founding, naming the genesis as the newest record seen: allowed
		// (the record cannot prove what its device held), and its electorate is Ada alone.
		const at = formatHlc({ wall: wallOf(world.genesis.record.at) + 1, counter: 0 });
		const proposal = await world.propose(
			ada,
			{ action: 'setting', subject: 'name', value: 'Ada’s', closesAt: wallOf(at) + MINUTE },
			at,
			world.genesis.id
		);
		const vote = await world.vote(
			ada,
			proposal.id,
			AGREE,
			formatHlc({ wall: wallOf(at) + 2, counter: 0 })
		);
		const close = await world.close(ada, proposal.id, { votes: [vote.id], delegations: [] });
		const state = await projectWorld(world);
		expect(recordOutcome(state, proposal)).toBe('accepted');
		expect(proposalOf(state, proposal).eligible).toEqual([ada.id]);
		expect(recordOutcome(state, close)).toBe('accepted');
		// Other members are active at the close's place: it needs one of them to confirm.
		expect(proposalOf(state, proposal).close).toBeNull();
		expect(state.coop?.name).toBe('Bakery co-op');
		expect(bo.id).not.toBe(ada.id);
	});

	it('rejects a proposal stamped before the record it names as seen (back-dated)', async () => {
		const { world, ada, bo } = await (async () => {
			const { world, people } = await foundCoop(2);
			return { world, ada: people[0]!, bo: people[1]! };
		})();
		const seen = await world.profile(bo, 'Bo');
		world.advance(MINUTE);
		const at = formatHlc({ wall: wallOf(seen.record.at) - 1, counter: 0 });
		const backDated = await world.propose(ada, {}, at, seen.id);
		const state = await projectWorld(world);
		expect(recordOutcome(state, backDated)).toBe('back-dated');
		expect(state.governance.proposals).toEqual([]);
		// Without the record it names, it waits for it.
		const without = await projectWorld(world, [seen]);
		expect(recordOutcome(without, backDated)).toBe('pending:missing-record');
	});

	it('keeps a close stamped days ahead by a non-author waiting, and later votes count', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const proposal = await world.propose(ada, { closesAt: world.now + 3 * DAY });
		world.advance(MINUTE);
		const early = [await world.vote(ada, proposal.id, AGREE)];
		// Bo writes now a close stamped at the closing time, listing what he holds now.
		const closesAt = proposalOf(await projectWorld(world), proposal).closesAt;
		const close = await world.close(
			bo,
			proposal.id,
			{ votes: early.map((vote) => vote.id), delegations: [] },
			formatHlc({ wall: closesAt, counter: 0 })
		);
		world.advance(DAY);
		const block = await world.vote(cy, proposal.id, BLOCK);
		const records = await world.verifiedEntries();
		const now = world.now;
		const today = projectCoop(world.coop, records, [], now);
		expect(recordOutcome(today, close)).toBe('pending:future');
		expect(proposalOf(today, proposal).close).toBeNull();
		expect(proposalOf(today, proposal).candidates).toEqual([]);
		expect(proposalOf(today, proposal).basis.votes).toContain(block.id);

		// Once its time comes it counts, as a close waiting for a confirmation that no device
		// holding Cy's block gives.
		const later = projectCoop(world.coop, records, [], closesAt + MINUTE);
		expect(recordOutcome(later, close)).toBe('accepted');
		const view = proposalOf(later, proposal);
		expect(view.close).toBeNull();
		expect(view.candidates).toEqual([
			expect.objectContaining({ id: close.id, agrees: false, leftOutVotes: 1 })
		]);
	});

	it('lets a complete close win over one that omits the blocks', async () => {
		const { world, ada, bo, cy, proposal, mine, blocks } = await removalOverBlocks();
		const partial = await world.close(ada, proposal.id, { votes: [mine.id], delegations: [] });
		world.advance(DAY);
		const all = [mine, ...blocks].map((vote) => vote.id);
		const { close: complete, confirm } = await world.decide(bo, cy, proposal.id, {
			votes: all,
			delegations: []
		});
		const state = await projectWorld(world);
		const view = proposalOf(state, proposal);
		expect(view.close).toMatchObject({
			id: complete.id,
			confirmedBy: cy.id,
			decidedAt: confirm.record.at
		});
		expect(view.result.outcome).toBe('blocked');
		expect(memberOf(state, cy.id)?.status).toBe('active');
		// Confirming the partial close now comes too late.
		world.advance(MINUTE);
		const late = await world.confirm(bo, partial.id);
		expect(recordOutcome(await projectWorld(world), late)).toBe('superseded');
	});
});

describe('confirmations', () => {
	async function twoCloses() {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const proposal = await world.propose(ada, {
			action: 'setting',
			subject: 'jobShare',
			value: '700'
		});
		world.advance(MINUTE);
		const votes = [
			await world.vote(ada, proposal.id, AGREE),
			await world.vote(bo, proposal.id, AGREE)
		];
		world.advance(DAY);
		const basis = { votes: votes.map((vote) => vote.id), delegations: [] };
		const first = await world.close(ada, proposal.id, basis);
		const second = await world.close(bo, proposal.id, basis);
		return { world, ada, bo, cy, proposal, first, second };
	}

	it('refuses a confirmation by the closer’s own member, from another device too', async () => {
		const { world, ada, proposal, first } = await twoCloses();
		const tablet = await Device.create();
		await world.link(ada, ada.id, tablet);
		world.advance(MINUTE);
		const own = await world.confirm(tablet, first.id);
		const state = await projectWorld(world);
		expect(recordOutcome(state, own)).toBe('own-close');
		expect(proposalOf(state, proposal).close).toBeNull();
		expect(state.governance.settings.jobShare).not.toBe(700);
	});

	it('decides a one-member co-op’s proposal without a confirmation', async () => {
		const { world, people } = await foundCoop(1);
		const [ada] = people as [Device];
		const proposal = await world.propose(ada, {
			action: 'setting',
			subject: 'jobShare',
			value: '700'
		});
		world.advance(MINUTE);
		const vote = await world.vote(ada, proposal.id, AGREE);
		world.advance(MINUTE);
		const close = await world.close(ada, proposal.id, { votes: [vote.id], delegations: [] });
		const state = await projectWorld(world);
		expect(proposalOf(state, proposal).close).toMatchObject({
			id: close.id,
			confirmedBy: null,
			decidedAt: close.record.at
		});
		expect(state.governance.settings.jobShare).toBe(700);
	});

	it('lets the first close confirmed decide, whatever order the records arrive in', async () => {
		const { world, ada, bo, cy, proposal, first, second } = await twoCloses();
		world.advance(MINUTE);
		// The second close is confirmed first.
		const forSecond = await world.confirm(cy, second.id);
		world.advance(MINUTE);
		const forFirst = await world.confirm(bo, first.id);
		const records = await world.verifiedEntries();
		const reference = projectCoop(world.coop, records);
		const view = proposalOf(reference, proposal);
		expect(view.close).toMatchObject({ id: second.id, member: bo.id, confirmedBy: cy.id });
		expect(recordOutcome(reference, forSecond)).toBe('accepted');
		expect(recordOutcome(reference, forFirst)).toBe('superseded');
		expect(reference.governance.settingChanges).toEqual([
			expect.objectContaining({ key: 'jobShare', at: forSecond.record.at })
		]);
		expect(ada.id).not.toBe(cy.id);
		for (const seed of [1, 2, 3, 4]) {
			const projector = new CoopProjector(world.coop, { checkpointEvery: 2 });
			for (const entry of shuffle(prng(seed), records)) projector.add([entry]);
			expect(projector.snapshot()).toEqual(reference);
		}
	});

	it('keeps a confirmation of a close not here yet waiting, and refuses one stamped before it', async () => {
		const { world, bo, cy, proposal, first } = await twoCloses();
		world.advance(MINUTE);
		const confirm = await world.confirm(cy, first.id);
		const waiting = await projectWorld(world, [first]);
		expect(recordOutcome(waiting, confirm)).toBe('pending:missing-close');
		expect(proposalOf(waiting, proposal).close).toBeNull();
		const state = await projectWorld(world);
		expect(recordOutcome(state, confirm)).toBe('accepted');
		expect(proposalOf(state, proposal).close?.id).toBe(first.id);

		const before = await world.confirm(
			bo,
			first.id,
			formatHlc({ wall: wallOf(first.record.at) - 1, counter: 0 })
		);
		expect(recordOutcome(await projectWorld(world), before)).toBe('out-of-order');
	});
});

describe('records stamped ahead of the device’s clock', () => {
	async function aheadBy(ms: number): Promise<{
		coop: string;
		profile: Entry;
		at: number;
		records: Awaited<ReturnType<typeof verifiedAll>>;
	}> {
		const { world, people } = await foundCoop(2);
		const at = world.now + ms;
		const profile = await world.profile(
			people[1]!,
			'Bo from the future',
			formatHlc({ wall: at, counter: 0 })
		);
		return { coop: world.coop, profile, at: world.now, records: await world.verifiedEntries() };
	}

	it('takes a record more than 5 minutes ahead into account only once its time comes', async () => {
		const { coop, profile, at: now, records } = await aheadBy(10 * MINUTE);
		let clock = now;
		const projector = new CoopProjector(coop, { now: () => clock });
		projector.add(records);
		expect(recordOutcome(projector.snapshot(), profile)).toBe('pending:future');
		expect(projector.snapshot().integrity.pending).toBe(1);
		expect(projector.nextDue()).toBe(now + 5 * MINUTE);
		clock = now + 5 * MINUTE - 1;
		expect(projector.advance()).toBe(false);
		clock = now + 5 * MINUTE;
		expect(projector.advance()).toBe(true);
		expect(recordOutcome(projector.snapshot(), profile)).toBe('accepted');
		expect(projector.nextDue()).toBeNull();
		expect(projector.snapshot()).toEqual(projectCoop(coop, records, [], clock));
	});

	it('accepts a record ahead by less than the tolerance at once', async () => {
		const { coop, profile, at: now, records } = await aheadBy(4 * MINUTE);
		expect(recordOutcome(projectCoop(coop, records, [], now), profile)).toBe('accepted');
	});
});

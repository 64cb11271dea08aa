import { describe, expect, it } from 'vitest';
import { CONSENT_POSITIONS } from '$lib/domain/governance/vocabulary';
import { projectCoop } from '$lib/domain/coop-state';
import { memberOfDevice } from '$lib/domain/membership/view';
import { signRecord } from '$lib/domain/registry';
import { Governance, type GovernanceHost } from '$lib/state/governance';
import {
	DAY,
	Device,
	foundCoop,
	MINUTE,
	projectWorld,
	proposalOf,
	unwrap,
	verifiedAll,
	type Entry,
	type World
} from '../domain/fixtures';

/**
 * What a member's device does with the closes other members write: it confirms those it agrees
 * with, writes its own complete close instead of confirming one that left out votes it holds,
 * and leaves a close of a proposal that reached it late to the member. The host is a real
 * projection of the world's records, on `device`, writing into the world.
 */

const AGREE = [CONSENT_POSITIONS.indexOf('agree')];
const BLOCK = [CONSENT_POSITIONS.indexOf('block')];

async function deviceOf(
	world: World,
	device: Device,
	options: { without?: readonly Entry[]; arrivedAt?: number } = {}
) {
	const held = () => world.entries.filter((entry) => !(options.without ?? []).includes(entry));
	let roster = projectCoop(world.coop, await verifiedAll(held(), world.coop));
	const host: GovernanceHost = {
		coopId: world.coop,
		roster: () => roster,
		me: () => memberOfDevice(roster, device.id) ?? null,
		write: async (...builders) => {
			const ids: string[] = [];
			for (const build of builders) {
				// As the session's clock: past every record the device holds.
				const latest = held()
					.map((entry) => entry.record.at)
					.sort()
					.at(-1)!;
				const draft = unwrap(build(world.context(device, device.after(latest, world.now))));
				const { id, record } = await signRecord(draft, device.key);
				world.entries.push({ id, record });
				ids.push(id);
			}
			roster = projectCoop(world.coop, await verifiedAll(held(), world.coop));
			return { ok: true, ids };
		},
		lookup: () => undefined,
		nameOf: (member) => member,
		newestBefore: (at) => world.newestBefore(at),
		arrivedAt: () => options.arrivedAt ?? 0
	};
	return new Governance(host);
}

async function proposalWithVotes() {
	const { world, people } = await foundCoop(3);
	const [ada, bo, cy] = people as [Device, Device, Device];
	const proposal = await world.propose(ada, { closesAt: world.now + DAY });
	world.advance(MINUTE);
	const votes = [
		await world.vote(ada, proposal.id, AGREE),
		await world.vote(bo, proposal.id, BLOCK)
	];
	world.advance(MINUTE);
	return { world, ada, bo, cy, proposal, votes };
}

describe('a device answering other members’ closes', () => {
	it('confirms a close listing what it holds', async () => {
		const { world, ada, bo, proposal, votes } = await proposalWithVotes();
		const close = await world.close(ada, proposal.id, {
			votes: votes.map((vote) => vote.id).sort(),
			delegations: []
		});
		const governance = await deviceOf(world, bo);
		expect(governance.reviews(governance.proposal(proposal.id)!)).toMatchObject([
			{ close: { id: close.id }, review: 'agrees' }
		]);
		await governance.closeDue(world.now);
		const view = proposalOf(await projectWorld(world), proposal);
		expect(view.close).toMatchObject({ id: close.id, confirmedBy: bo.id });
		expect(view.result.outcome).toBe('blocked');
	});

	it('does not confirm a close that left out a vote it holds, and writes its own once allowed', async () => {
		const { world, ada, bo, proposal, votes } = await proposalWithVotes();
		const partial = await world.close(ada, proposal.id, { votes: [votes[0]!.id], delegations: [] });
		const governance = await deviceOf(world, bo);
		const before = governance.proposal(proposal.id)!;
		expect(governance.reviews(before)).toMatchObject([
			{ close: { id: partial.id, leftOutVotes: 1 }, review: 'left-out' }
		]);
		// Before the closing time Bo may not close: nothing is written.
		const count = world.entries.length;
		await governance.closeDue(world.now);
		expect(world.entries.length).toBe(count);
		// After it, his device writes a complete close rather than confirming.
		world.advance(DAY);
		await governance.closeDue(world.now);
		const written = world.entries.slice(count);
		expect(written.map((entry) => entry.record.type)).toEqual(['proposal.close']);
		const view = proposalOf(await projectWorld(world), proposal);
		expect(view.close).toBeNull();
		expect(view.candidates.map((candidate) => candidate.member).sort()).toEqual(
			[ada.id, bo.id].sort()
		);
	});

	it('leaves a close of a proposal that reached it after its closing time to the member', async () => {
		const { world, ada, cy, proposal, votes } = await proposalWithVotes();
		world.advance(DAY);
		const close = await world.close(ada, proposal.id, {
			votes: votes.map((vote) => vote.id).sort(),
			delegations: []
		});
		const closesAt = proposalOf(await projectWorld(world), proposal).closesAt;
		const governance = await deviceOf(world, cy, { arrivedAt: closesAt + MINUTE });
		const view = governance.proposal(proposal.id)!;
		expect(governance.reviews(view)).toMatchObject([{ close: { id: close.id }, review: 'late' }]);
		const count = world.entries.length;
		await governance.closeDue(world.now);
		expect(world.entries.length).toBe(count);
		// The member confirms by hand.
		expect((await governance.confirm(proposal.id, close.id)).ok).toBe(true);
		expect(proposalOf(await projectWorld(world), proposal).close).toMatchObject({
			id: close.id,
			confirmedBy: cy.id
		});
	});
});

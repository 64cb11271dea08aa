import { describe, expect, it } from 'vitest';
import type { ProposalInput } from '$lib/domain/governance/commands';
import type { SettingKey } from '$lib/domain/settings/values';
import { formatHlc, wallOf } from '$lib/domain/kernel/hlc';
import { CoopProjector, type CoopState } from '$lib/domain/coop-state';
import {
	Device,
	foundCoop,
	MINUTE,
	prng,
	projectWorld,
	proposalOf,
	recordOutcome,
	shuffle,
	verified,
	verifiedAll,
	World,
	type Entry
} from './fixtures';

/**
 * What passed consent proposals do to the co-op: remove a member, admit one, change a setting,
 * adopt a charter. Each takes effect at its close's place in the (at, id) order, and only when
 * the close's votes and delegations are all here and the outcome is 'passed'.
 */

const AGREE = [0];
const ABSTAIN = [1];
const DISAGREE = [2];
const BLOCK = [3];

/** Opens an action proposal by `author`, has `voters` vote, and has the author close it. */
async function decide(
	world: World,
	author: Device,
	input: Partial<ProposalInput>,
	voters: readonly (readonly [Device, readonly number[]])[]
): Promise<{ proposal: Entry; votes: Entry[]; close: Entry & { readonly confirm: Entry } }> {
	const proposal = await world.propose(author, { kind: 'consent', ...input });
	world.advance(MINUTE);
	const votes: Entry[] = [];
	for (const [voter, choice] of voters) votes.push(await world.vote(voter, proposal.id, choice));
	world.advance(MINUTE);
	const { basis } = proposalOf(await projectWorld(world), proposal);
	// The close names the proposal as the newest record seen (an older one than the votes it
	// lists, which is allowed), so that it can count while one of the votes is missing.
	const close = await world.closeConfirmed(author, proposal.id, { ...basis, after: proposal.id });
	world.advance(MINUTE);
	return { proposal, votes, close };
}

const memberOf = (state: CoopState, id: string) => state.members.find((m) => m.id === id);

const before = (stamp: string, ms = 1) => formatHlc({ wall: wallOf(stamp) - ms, counter: 0 });

describe('remove', () => {
	async function removal(choices: { di?: readonly number[] } = {}) {
		const { world, people } = await foundCoop(4);
		const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
		const diInvite = await world.invite(di);
		const diPhone = await Device.create();
		await world.link(di, di.id, diPhone);
		world.advance(MINUTE);
		const decision = await decide(
			world,
			ada,
			{ action: 'remove', subject: di.id, threshold: 'majority' },
			[
				[ada, AGREE],
				[bo, AGREE],
				[cy, ABSTAIN],
				[di, choices.di ?? DISAGREE]
			]
		);
		return { world, ada, bo, cy, di, diPhone, diInvite, ...decision };
	}

	it('removes the member at the confirmation of the close and rejects their later records', async () => {
		const { world, ada, bo, di, diPhone, diInvite, proposal, close } = await removal();
		const earlier = await world.profile(di, 'Di (written offline)', before(close.record.at));
		const profile = await world.profile(di, 'Di again');
		const fromPhone = await world.profile(diPhone, 'Di phone');
		const delegation = await world.delegate(di, bo.id);
		const next = await world.propose(bo);
		world.advance(MINUTE);
		const vote = await world.vote(di, next.id, AGREE);
		const newcomer = await Device.create();
		const join = await world.join(newcomer, diInvite.secret);

		const state = await projectWorld(world);
		const view = proposalOf(state, proposal);
		expect(view.result).toMatchObject({ counts: [2, 1, 1, 0], outcome: 'passed' });
		expect(view.close).toMatchObject({ id: close.id, missing: 0 });
		expect(view.applied).toBe(true);
		expect(memberOf(state, di.id)).toMatchObject({
			status: 'removed',
			leftAt: close.confirm.record.at,
			displayName: 'Di (written offline)'
		});
		expect(memberOf(state, ada.id)?.status).toBe('active');
		for (const entry of [profile, fromPhone, delegation, vote]) {
			expect(recordOutcome(state, entry)).toBe('not-a-member');
		}
		expect(state.integrity.rejections.find((r) => r.id === profile.id)?.detail).toBe(
			'stamped after its member was removed'
		);
		expect(recordOutcome(state, earlier)).toBe('accepted');
		// The removed member's invites stop admitting anyone.
		const invite = state.invites.find((entry) => entry.inviteId === diInvite.inviteId);
		expect(invite).toMatchObject({ revoked: true, revokedAt: close.confirm.record.at });
		expect(recordOutcome(state, join)).toBe('invite-revoked');
		// Proposals opened afterwards no longer count them.
		expect(proposalOf(state, next).eligible).not.toContain(di.id);
		expect(proposalOf(state, next).votes).toEqual([]);
		expect(state.governance.delegations).toEqual([]);
	});

	it('takes effect on every device, whatever order and batches the records arrive in', async () => {
		const { world, di, close } = await removal();
		await world.profile(di, 'Still here?');
		const records = await world.verifiedEntries();
		const reference = await projectWorld(world);
		expect(memberOf(reference, di.id)?.status).toBe('removed');
		const random = prng(11);
		for (let device = 0; device < 25; device++) {
			const projector = new CoopProjector(world.coop);
			const order = shuffle(random, records);
			while (order.length > 0) projector.add(order.splice(0, 1 + Math.floor(random() * 4)));
			const state = projector.snapshot();
			expect(state).toEqual(reference);
			expect(memberOf(state, di.id)?.leftAt).toBe(close.confirm.record.at);
		}
	});

	it('waits for a listed vote it lacks before removing, then removes', async () => {
		const { world, di, votes, proposal } = await removal();
		// Cy's abstention: without it the votes here still pass the proposal.
		const lacking = votes[2]!;
		const projector = new CoopProjector(world.coop);
		projector.add(
			await verifiedAll(
				world.entries.filter((e) => e !== lacking),
				world.coop
			)
		);
		let state = projector.snapshot();
		expect(proposalOf(state, proposal).close?.missing).toBe(1);
		expect(proposalOf(state, proposal).result.outcome).toBe('passed');
		expect(proposalOf(state, proposal).applied).toBe(false);
		expect(memberOf(state, di.id)?.status).toBe('active');
		projector.add([await verified(lacking, world.coop)]);
		state = projector.snapshot();
		expect(proposalOf(state, proposal).applied).toBe(true);
		expect(memberOf(state, di.id)?.status).toBe('removed');
	});

	it('does not remove when the proposal is blocked (by anyone, the subject included)', async () => {
		const { world, di, proposal } = await removal({ di: BLOCK });
		const state = await projectWorld(world);
		expect(proposalOf(state, proposal).result.outcome).toBe('blocked');
		expect(proposalOf(state, proposal).applied).toBe(false);
		expect(memberOf(state, di.id)?.status).toBe('active');
	});

	it('does not remove when the proposal fails or lacks its quorum', async () => {
		const { world, people } = await foundCoop(4);
		const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
		const failed = await decide(
			world,
			ada,
			{ action: 'remove', subject: di.id, threshold: 'majority' },
			[
				[ada, AGREE],
				[bo, DISAGREE],
				[cy, DISAGREE]
			]
		);
		const noQuorum = await decide(world, ada, { action: 'remove', subject: di.id, quorum: 75 }, [
			[ada, AGREE],
			[bo, AGREE]
		]);
		const state = await projectWorld(world);
		expect(proposalOf(state, failed.proposal).result.outcome).toBe('failed');
		expect(proposalOf(state, noQuorum.proposal).result.outcome).toBe('no-quorum');
		expect(proposalOf(state, failed.proposal).applied).toBe(false);
		expect(proposalOf(state, noQuorum.proposal).applied).toBe(false);
		expect(memberOf(state, di.id)?.status).toBe('active');
	});

	it('rejects a removal of someone who is not an active member (bad-action)', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const phone = await Device.create();
		await world.link(bo, bo.id, phone);
		await world.leave(cy);
		world.advance(MINUTE);
		const leaver = await world.propose(ada, { action: 'remove', subject: cy.id });
		const stranger = await world.propose(ada, {
			action: 'remove',
			subject: (await Device.create()).id
		});
		const device = await world.propose(ada, { action: 'remove', subject: phone.id });
		const state = await projectWorld(world);
		for (const entry of [leaver, stranger, device]) {
			expect(recordOutcome(state, entry)).toBe('bad-action');
		}
		expect(state.governance.proposals).toEqual([]);
	});

	it('applies only the first of two removals of the same member', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const first = await world.propose(ada, { action: 'remove', subject: cy.id });
		const second = await world.propose(bo, { action: 'remove', subject: cy.id });
		world.advance(MINUTE);
		const votes = [await world.vote(ada, first.id, AGREE), await world.vote(ada, second.id, AGREE)];
		world.advance(MINUTE);
		const firstClose = await world.closeConfirmed(ada, first.id, {
			votes: [votes[0]!.id],
			delegations: []
		});
		world.advance(MINUTE);
		await world.closeConfirmed(bo, second.id, { votes: [votes[1]!.id], delegations: [] });
		const state = await projectWorld(world);
		expect(proposalOf(state, first).applied).toBe(true);
		expect(proposalOf(state, second).result.outcome).toBe('passed');
		expect(proposalOf(state, second).applied).toBe(false);
		expect(memberOf(state, cy.id)?.leftAt).toBe(firstClose.confirm.record.at);
	});

	it('leaves a member who left before the close as left', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const proposal = await world.propose(ada, { action: 'remove', subject: cy.id });
		world.advance(MINUTE);
		const vote = await world.vote(bo, proposal.id, AGREE);
		const leave = await world.leave(cy);
		world.advance(MINUTE);
		await world.closeConfirmed(ada, proposal.id, { votes: [vote.id], delegations: [] });
		const state = await projectWorld(world);
		expect(proposalOf(state, proposal).result.outcome).toBe('passed');
		expect(proposalOf(state, proposal).applied).toBe(false);
		expect(memberOf(state, cy.id)).toMatchObject({ status: 'left', leftAt: leave.record.at });
	});
});

describe('admit', () => {
	it('makes the applicant’s device a member at the decision, invited by the proposal’s author', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const zoe = await Device.create();
		const early = await world.profile(zoe, 'Zoe (too early)');
		world.advance(MINUTE);
		const { proposal, close } = await decide(
			world,
			bo,
			{ action: 'admit', subject: zoe.id, value: '  Zoe  Baker ' },
			[
				[ada, AGREE],
				[cy, ABSTAIN]
			]
		);
		const comment = await world.comment(zoe, proposal.id, 'Thank you!');
		const next = await world.propose(ada);
		world.advance(MINUTE);
		const vote = await world.vote(zoe, next.id, AGREE);
		const { secret } = await world.invite(ada);
		const join = await world.join(zoe, secret);

		const state = await projectWorld(world);
		expect(proposalOf(state, proposal).value).toBe('Zoe Baker');
		expect(proposalOf(state, proposal).applied).toBe(true);
		expect(memberOf(state, zoe.id)).toEqual({
			id: zoe.id,
			displayName: 'Zoe Baker',
			bio: '',
			skills: [],
			contact: '',
			joinedAt: close.confirm.record.at,
			invitedBy: bo.id,
			inviteId: null,
			devices: [zoe.id],
			status: 'active',
			leftAt: null,
			profileAt: null
		});
		expect(state.members.map((member) => member.id)).toEqual([ada.id, bo.id, cy.id, zoe.id]);
		expect(recordOutcome(state, early)).toBe('not-a-member');
		expect(recordOutcome(state, comment)).toBe('accepted');
		expect(proposalOf(state, next).eligible).toContain(zoe.id);
		expect(proposalOf(state, next).votes.find((v) => v.id === vote.id)?.status).toBe('counted');
		expect(recordOutcome(state, join)).toBe('already-member');
	});

	it('rejects admitting a device that already belongs to a member (bad-action)', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const phone = await Device.create();
		await world.link(bo, bo.id, phone);
		world.advance(MINUTE);
		const member = await world.propose(ada, { action: 'admit', subject: bo.id, value: 'Bo' });
		const device = await world.propose(ada, { action: 'admit', subject: phone.id, value: 'P' });
		const state = await projectWorld(world);
		expect(recordOutcome(state, member)).toBe('bad-action');
		expect(recordOutcome(state, device)).toBe('bad-action');
	});

	it('does nothing if the applicant joined by invite before the close', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const zoe = await Device.create();
		const proposal = await world.propose(ada, { action: 'admit', subject: zoe.id, value: 'Zoe' });
		world.advance(MINUTE);
		const vote = await world.vote(bo, proposal.id, AGREE);
		const { secret } = await world.invite(bo);
		world.advance(MINUTE);
		const join = await world.join(zoe, secret);
		world.advance(MINUTE);
		await world.closeConfirmed(ada, proposal.id, { votes: [vote.id], delegations: [] });
		const state = await projectWorld(world);
		expect(recordOutcome(state, join)).toBe('accepted');
		expect(proposalOf(state, proposal).applied).toBe(false);
		expect(memberOf(state, zoe.id)).toMatchObject({ invitedBy: bo.id, displayName: '' });
	});
});

describe('settings', () => {
	it('starts from the genesis and the defaults', async () => {
		const { world } = await foundCoop(1);
		const state = await projectWorld(world);
		expect(state.governance.settings).toEqual({
			name: 'Bakery co-op',
			inviteDays: 7,
			inviteMaxUses: 1,
			jobShare: 0,
			assignmentRule: 'claim',
			bookkeeping: 'any',
			treasurers: [],
			patronageBasis: 'hours',
			patronageReserve: 0,
			patronageCash: 2000,
			dispatchers: [],
			maxWeeklyHours: 0,
			endorsementsToQualify: 0,
			mentoringCountsAsWork: false,
			coSignersRequired: 2
		});
		expect(state.governance.settingChanges).toEqual([]);
		expect(state.governance.charter).toEqual([]);
	});

	it.each([
		['name', 'Bread & Roses', 'Bread & Roses', { name: 'Bread & Roses' }],
		['inviteDays', '30', 30, { settings: { inviteDays: 30, inviteMaxUses: 1 } }],
		['inviteMaxUses', '5', 5, { settings: { inviteDays: 7, inviteMaxUses: 5 } }],
		['jobShare', '250', 250, { name: 'Bakery co-op' }],
		['assignmentRule', 'rotation', 'rotation', { name: 'Bakery co-op' }],
		['bookkeeping', 'treasurers', 'treasurers', { name: 'Bakery co-op' }],
		['patronageBasis', 'weighted', 'weighted', { name: 'Bakery co-op' }],
		['patronageReserve', '3000', 3000, { name: 'Bakery co-op' }],
		['patronageCash', '2500', 2500, { name: 'Bakery co-op' }]
	] as [SettingKey, string, string | number, object][])(
		'changes %s when a proposal passes',
		async (key, value, parsed, coop) => {
			const { world, people } = await foundCoop(3);
			const [ada, bo] = people as [Device, Device, Device];
			const { proposal, close } = await decide(
				world,
				ada,
				{ action: 'setting', subject: key, value },
				[[bo, AGREE]]
			);
			const state = await projectWorld(world);
			expect(proposalOf(state, proposal).applied).toBe(true);
			expect(state.governance.settings[key]).toBe(parsed);
			expect(state.governance.settingChanges).toEqual([
				{ key, value: parsed, at: close.confirm.record.at, proposal: proposal.id }
			]);
			expect(state.coop).toMatchObject(coop);
			expect(state.coop?.settings).toMatchObject({ currency: 'EUR', locale: 'en' });
		}
	);

	it('keeps the latest passed change, and ignores a failed one', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const setting = (value: string) => ({ action: 'setting' as const, subject: 'jobShare', value });
		await decide(world, ada, setting('100'), [[bo, AGREE]]);
		const second = await decide(world, bo, setting('300'), [[cy, AGREE]]);
		const failed = await decide(world, cy, { ...setting('900'), threshold: 'majority' }, [
			[ada, DISAGREE]
		]);
		const state = await projectWorld(world);
		expect(proposalOf(state, failed.proposal).result.outcome).toBe('failed');
		expect(state.governance.settings.jobShare).toBe(300);
		expect(state.governance.settingChanges.map((change) => change.value)).toEqual([100, 300]);
		expect(state.governance.settingChanges.at(-1)?.proposal).toBe(second.proposal.id);
	});
});

describe('charter', () => {
	it('adopts versions in order, the last one in force', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const first = await decide(
			world,
			ada,
			{ action: 'charter', value: 'We bake.\r\n\r\nWe share.' },
			[[bo, AGREE]]
		);
		const blocked = await decide(world, cy, { action: 'charter', value: 'Cy rules.' }, [
			[ada, BLOCK]
		]);
		const second = await decide(world, bo, { action: 'charter', value: 'We bake together.' }, [
			[cy, AGREE]
		]);
		const state = await projectWorld(world);
		expect(proposalOf(state, blocked.proposal).applied).toBe(false);
		expect(state.governance.charter).toEqual([
			{
				text: 'We bake.\n\nWe share.',
				at: first.close.confirm.record.at,
				proposal: first.proposal.id
			},
			{
				text: 'We bake together.',
				at: second.close.confirm.record.at,
				proposal: second.proposal.id
			}
		]);
	});

	it('does nothing for a passed plain decision', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const { proposal } = await decide(world, ada, {}, [[bo, AGREE]]);
		const state = await projectWorld(world);
		expect(proposalOf(state, proposal).result.outcome).toBe('passed');
		expect(proposalOf(state, proposal).applied).toBe(false);
		expect(state.governance.charter).toEqual([]);
		expect(state.governance.settingChanges).toEqual([]);
		expect(state.members.every((member) => member.status === 'active')).toBe(true);
	});
});

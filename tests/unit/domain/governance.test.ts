import { describe, expect, it } from 'vitest';
import type { ProposalInput } from '$lib/domain/governance/commands';
import {
	hasOptions,
	PROPOSAL_KINDS,
	type Choice,
	type ProposalKind
} from '$lib/domain/governance/vocabulary';
import type { ProposalView } from '$lib/domain/governance/view';
import { formatHlc, wallOf } from '$lib/domain/kernel/hlc';
import { CoopProjector } from '$lib/domain/coop-state';
import type { TallyResult } from '$lib/domain/governance/tally';
import {
	DAY,
	Device,
	foundCoop,
	MINUTE,
	pick,
	prng,
	projectWorld,
	proposalOf,
	randomChoice,
	recordOutcome,
	shuffle,
	verified,
	verifiedAll,
	type Entry
} from './fixtures';

/**
 * The governance part of the roster projection: proposals, votes, closes and delegations as
 * records, judged in (at, id) order. The counting rules themselves are tested in tally.test.ts
 * and delegation.test.ts; here the expected results are worked out by hand from the records.
 */

function statusOf(view: ProposalView, entry: { readonly id: string }): string | undefined {
	return view.votes.find((vote) => vote.id === entry.id)?.status;
}

const sorted = (ids: readonly string[]) => [...ids].sort();

/** A stamp `ms` after (or before) another one's wall time. */
const stampNear = (stamp: string, ms: number) =>
	formatHlc({ wall: wallOf(stamp) + ms, counter: 0 });

interface KindCase {
	readonly name: string;
	readonly input: Partial<ProposalInput>;
	/** people[i] votes choices[i]; null: does not vote. */
	readonly choices: readonly (Choice | null)[];
	readonly expected: Partial<TallyResult>;
}

const ABC = ['A', 'B', 'C'];

const KIND_CASES: readonly KindCase[] = [
	{
		name: 'consent passes with agreement, abstentions and a disagreement',
		input: { kind: 'consent', threshold: 'consent', quorum: 60 },
		choices: [[0], [0], [1], [2], null],
		expected: { ballots: 4, quorumMet: true, counts: [2, 1, 1, 0], winners: [], outcome: 'passed' }
	},
	{
		name: 'consent is blocked by one block',
		input: { kind: 'consent', threshold: 'majority' },
		choices: [[0], [0], [0], [3], null],
		expected: { ballots: 4, counts: [3, 0, 0, 1], outcome: 'blocked' }
	},
	{
		name: 'consent by majority fails when disagreement outweighs agreement',
		input: { kind: 'consent', threshold: 'majority' },
		choices: [[0], [2], [2], [1], [1]],
		expected: { ballots: 5, counts: [1, 2, 2, 0], outcome: 'failed' }
	},
	{
		name: 'consent without quorum',
		input: { kind: 'consent', threshold: 'consent', quorum: 80 },
		choices: [[0], [0], [0], null, null],
		expected: { ballots: 3, quorumMet: false, counts: [3, 0, 0, 0], outcome: 'no-quorum' }
	},
	{
		name: 'consent without votes',
		input: { kind: 'consent' },
		choices: [null, null, null, null, null],
		expected: { ballots: 0, counts: [0, 0, 0, 0], outcome: 'no-votes' }
	},
	{
		name: 'single choice by majority',
		input: { kind: 'single', options: ABC, threshold: 'majority' },
		choices: [[1], [1], [1], [0], null],
		expected: { ballots: 4, counts: [1, 3, 0], winners: [1], outcome: 'passed' }
	},
	{
		name: 'single choice tie',
		input: { kind: 'single', options: ABC, threshold: 'plurality' },
		choices: [[0], [2], [0], [2], null],
		expected: { counts: [2, 0, 2], winners: [0, 2], outcome: 'tie' }
	},
	{
		name: 'multiple choice by two thirds',
		input: { kind: 'multiple', options: ABC, threshold: 'two-thirds' },
		choices: [[0, 1], [1], [1, 2], [0, 1, 2], null],
		expected: { ballots: 4, counts: [2, 4, 2], winners: [1], outcome: 'passed' }
	},
	{
		name: 'score poll',
		input: { kind: 'score', options: ['A', 'B'] },
		choices: [[5, 1], [2, 4], [0, 3], null, null],
		expected: { ballots: 3, counts: [7, 8], winners: [1], outcome: 'passed' }
	},
	{
		name: 'ranked choice by instant runoff',
		input: { kind: 'ranked', options: ABC },
		choices: [
			[0, 1],
			[1, 2],
			[2, 1],
			[2, 0],
			[1, 0]
		],
		expected: {
			ballots: 5,
			counts: [1, 2, 2],
			winners: [1],
			outcome: 'passed',
			rounds: [
				{ counts: [1, 2, 2], continuing: 5, eliminated: 0 },
				{ counts: [null, 3, 2], continuing: 5, eliminated: null }
			]
		}
	},
	{
		name: 'time poll',
		input: { kind: 'time', options: ['Mon', 'Tue', 'Wed'] },
		choices: [[2, 1, 0], [2, 2, 0], [0, 2, 2], null, null],
		expected: { ballots: 3, counts: [2, 2, 1], maybes: [0, 1, 0], winners: [1], outcome: 'passed' }
	}
];

describe('proposals end to end, one per kind', () => {
	it('covers every kind', () => {
		const kinds = new Set(KIND_CASES.map((kindCase) => kindCase.input.kind));
		expect([...kinds].sort()).toEqual([...PROPOSAL_KINDS].sort());
	});

	it.each(KIND_CASES)('$name', async ({ input, choices, expected }) => {
		const { world, people } = await foundCoop(5);
		const author = people[0]!;
		const proposal = await world.propose(author, { title: 'A decision', ...input });
		world.advance(MINUTE);
		const votes: Entry[] = [];
		for (const [index, choice] of choices.entries()) {
			if (choice !== null) votes.push(await world.vote(people[index]!, proposal.id, choice));
		}
		world.advance(MINUTE);

		const open = proposalOf(await projectWorld(world), proposal);
		expect(open.close).toBeNull();
		expect(open.author).toBe(author.id);
		expect(open.eligible).toEqual(sorted(people.map((person) => person.id)));
		expect(open.result).toMatchObject(expected);
		expect(open.basis).toEqual({
			votes: sorted(votes.map((vote) => vote.id)),
			delegations: []
		});
		expect(open.votes.map((vote) => vote.status)).toEqual(votes.map(() => 'counted'));

		// The author may close before the closing time, with what the projection says is in force.
		const close = await world.closeConfirmed(author, proposal.id, open.basis);
		const state = await projectWorld(world);
		expect(recordOutcome(state, close)).toBe('accepted');
		const closed = proposalOf(state, proposal);
		expect(closed.close).toMatchObject({
			id: close.id,
			member: author.id,
			at: close.record.at,
			missing: 0,
			confirmedBy: people[1]!.id
		});
		expect(closed.result).toEqual(open.result);
		expect(closed.basis).toEqual(open.basis);
		expect(closed.ballots.map((ballot) => ballot.voter)).toEqual(
			sorted(votes.map((vote) => vote.record.author))
		);
		expect(closed.applied).toBe(false);
		expect(state.integrity.rejected + state.integrity.pending).toBe(0);
	});
});

describe('votes', () => {
	it('counts the latest vote of each member, the earlier ones being replaced', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo] = people as [Device, Device, Device];
		const proposal = await world.propose(ada, { kind: 'single', options: ABC });
		world.advance(MINUTE);
		const first = await world.vote(bo, proposal.id, [0]);
		world.advance(MINUTE);
		const second = await world.vote(bo, proposal.id, [2]);
		const view = proposalOf(await projectWorld(world), proposal);
		expect(statusOf(view, first)).toBe('replaced');
		expect(statusOf(view, second)).toBe('counted');
		expect(view.result).toMatchObject({ ballots: 1, counts: [0, 0, 1], winners: [2] });
		expect(view.basis.votes).toEqual([second.id]);
		// Every vote record stays visible, in (at, id) order.
		expect(view.votes.map((vote) => vote.id)).toEqual([first.id, second.id]);
		expect(view.votes[1]).toMatchObject({ member: bo.id, device: bo.id, choice: [2] });
	});

	it('treats a vote from another device of the member as the same member’s vote', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const phone = await Device.create();
		await world.link(bo, bo.id, phone);
		world.advance(MINUTE);
		const proposal = await world.propose(ada);
		world.advance(MINUTE);
		const fromLaptop = await world.vote(bo, proposal.id, [2]);
		world.advance(MINUTE);
		const fromPhone = await world.vote(phone, proposal.id, [0]);
		const view = proposalOf(await projectWorld(world), proposal);
		expect(view.eligible).toEqual(sorted([ada.id, bo.id]));
		expect(statusOf(view, fromLaptop)).toBe('replaced');
		expect(view.votes.find((vote) => vote.id === fromPhone.id)).toMatchObject({
			member: bo.id,
			device: phone.id,
			status: 'counted'
		});
		expect(view.result).toMatchObject({ ballots: 1, counts: [1, 0, 0, 0] });
	});

	it('lets only the members active at opening vote (the quorum’s denominator)', async () => {
		const { world, people } = await foundCoop(4);
		const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
		await world.leave(di);
		world.advance(MINUTE);
		const proposal = await world.propose(ada, { quorum: 50 });
		world.advance(MINUTE);
		const late = await world.newMember(ada);
		const lateVote = await world.vote(late, proposal.id, [0]);
		const boVote = await world.vote(bo, proposal.id, [0]);
		const state = await projectWorld(world);
		const view = proposalOf(state, proposal);
		expect(view.eligible).toEqual(sorted([ada.id, bo.id, cy.id]));
		expect(recordOutcome(state, lateVote)).toBe('accepted');
		expect(statusOf(view, lateVote)).toBe('not-eligible');
		expect(statusOf(view, boVote)).toBe('counted');
		// 1 ballot of 3 eligible is under a 50% quorum; the late vote would have made it 2 of 3.
		expect(view.result).toMatchObject({ ballots: 1, quorumMet: false, outcome: 'no-quorum' });
		expect(view.basis.votes).toEqual([boVote.id]);
		// A proposal opened after the join counts the newcomer.
		const next = await world.propose(ada);
		expect(proposalOf(await projectWorld(world), next).eligible).toContain(late.id);
	});

	it('keeps a vote pending until its proposal arrives, then counts it', async () => {
		const { world, people } = await foundCoop(2);
		const proposal = await world.propose(people[0]!);
		world.advance(MINUTE);
		const vote = await world.vote(people[1]!, proposal.id, [0]);
		const waiting = await projectWorld(world, [proposal]);
		expect(recordOutcome(waiting, vote)).toBe('pending:missing-proposal');
		expect(waiting.governance.proposals).toEqual([]);

		const projector = new CoopProjector(world.coop);
		projector.add(await verifiedAll(world.entries.slice(0, -2), world.coop));
		projector.add([await verified(vote, world.coop)]);
		expect(recordOutcome(projector.snapshot(), vote)).toBe('pending:missing-proposal');
		expect(projector.add([await verified(proposal, world.coop)]).refolded).toBe(true);
		const state = projector.snapshot();
		expect(recordOutcome(state, vote)).toBe('accepted');
		expect(statusOf(proposalOf(state, proposal), vote)).toBe('counted');
		expect(state).toEqual(await projectWorld(world));
	});

	it('rejects a vote stamped before its proposal', async () => {
		const { world, people } = await foundCoop(2);
		const proposal = await world.propose(people[0]!);
		const early = await world.vote(
			people[1]!,
			proposal.id,
			[0],
			stampNear(proposal.record.at, -MINUTE)
		);
		const state = await projectWorld(world);
		expect(recordOutcome(state, early)).toBe('out-of-order');
		expect(proposalOf(state, proposal).votes).toEqual([]);
		expect(proposalOf(state, proposal).result.ballots).toBe(0);
	});

	it.each([
		['consent', [], [4]],
		['consent', [], [0, 1]],
		['single', ABC, [3]],
		['multiple', ABC, [1, 0]],
		['multiple', ABC, []],
		['score', ABC, [5, 6, 0]],
		['score', ABC, [1, 2]],
		['ranked', ABC, [1, 1]],
		['time', ABC, [2, 3, 0]]
	] as [ProposalKind, string[], number[]][])(
		'rejects a %s vote %j that does not fit the proposal (bad-choice)',
		async (kind, options, choice) => {
			const { world, people } = await foundCoop(2);
			const proposal = await world.propose(people[0]!, { kind, options });
			world.advance(MINUTE);
			const bad = await world.vote(people[1]!, proposal.id, choice);
			const good = await world.vote(people[0]!, proposal.id, randomChoice(prng(1), kind, 3));
			const state = await projectWorld(world);
			expect(recordOutcome(state, bad)).toBe('bad-choice');
			const view = proposalOf(state, proposal);
			expect(view.votes.map((vote) => vote.id)).toEqual([good.id]);
			expect(view.basis.votes).toEqual([good.id]);
		}
	);

	it('never counts votes by devices that are not members', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const proposal = await world.propose(ada);
		world.advance(MINUTE);
		const stranger = await world.vote(await Device.create(), proposal.id, [0]);
		await world.leave(cy);
		world.advance(MINUTE);
		const leaver = await world.vote(cy, proposal.id, [0]);
		const member = await world.vote(bo, proposal.id, [3]);
		const state = await projectWorld(world);
		expect(recordOutcome(state, stranger)).toBe('pending:unknown-author');
		expect(recordOutcome(state, leaver)).toBe('not-a-member');
		const view = proposalOf(state, proposal);
		expect(view.eligible).toContain(cy.id);
		expect(view.votes.map((vote) => vote.id)).toEqual([member.id]);
		expect(view.result).toMatchObject({ ballots: 1, outcome: 'blocked' });
	});

	it('stops counting votes stamped at or after the closing time while open', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const closesAt = world.now + 60 * MINUTE;
		const proposal = await world.propose(ada, { closesAt });
		world.advance(MINUTE);
		const inTime = await world.vote(bo, proposal.id, [0]);
		const lastMoment = await world.vote(
			ada,
			proposal.id,
			[1],
			formatHlc({ wall: closesAt - 1, counter: 0 })
		);
		const atClosing = await world.vote(
			cy,
			proposal.id,
			[3],
			formatHlc({ wall: closesAt, counter: 0 })
		);
		world.advance(2 * 60 * MINUTE);
		const change = await world.vote(bo, proposal.id, [2]);
		const view = proposalOf(await projectWorld(world), proposal);
		expect(view.closesAt).toBe(closesAt);
		expect(statusOf(view, inTime)).toBe('counted');
		expect(statusOf(view, lastMoment)).toBe('counted');
		expect(statusOf(view, atClosing)).toBe('after-closing-time');
		expect(statusOf(view, change)).toBe('after-closing-time');
		expect(view.result).toMatchObject({ ballots: 2, counts: [1, 1, 0, 0], outcome: 'passed' });
		expect(view.basis.votes).toEqual(sorted([inTime.id, lastMoment.id]));
	});

	it('lists comments in order with their members, without counting them', async () => {
		const { world, people } = await foundCoop(2);
		const proposal = await world.propose(people[0]!);
		world.advance(MINUTE);
		const first = await world.comment(people[1]!, proposal.id, 'Which oven?');
		world.advance(MINUTE);
		const second = await world.comment(people[0]!, proposal.id, 'The big one.');
		const view = proposalOf(await projectWorld(world), proposal);
		expect(view.comments).toEqual([
			{ id: first.id, member: people[1]!.id, at: first.record.at, text: 'Which oven?' },
			{ id: second.id, member: people[0]!.id, at: second.record.at, text: 'The big one.' }
		]);
		expect(view.result.ballots).toBe(0);
	});

	it('returns frozen snapshots that later votes and closes leave as they were', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const proposal = await world.propose(ada);
		world.advance(MINUTE);
		await world.vote(bo, proposal.id, [0]);
		const projector = new CoopProjector(world.coop);
		projector.add(await world.verifiedEntries());
		const before = projector.snapshot();
		const copy = structuredClone(before);
		world.advance(MINUTE);
		const vote = await world.vote(ada, proposal.id, [3]);
		const basis = {
			votes: [...proposalOf(before, proposal).basis.votes, vote.id],
			delegations: []
		};
		world.advance(MINUTE);
		const close = await world.closeConfirmed(ada, proposal.id, basis);
		const confirm = world.entries.at(-1)!;
		expect(projector.add(await verifiedAll([vote, close, confirm], world.coop)).refolded).toBe(
			false
		);
		expect(Object.isFrozen(proposalOf(before, proposal))).toBe(true);
		expect(Object.isFrozen(proposalOf(before, proposal).eligible)).toBe(true);
		expect(before).toEqual(copy);
		const after = proposalOf(projector.snapshot(), proposal);
		expect(after.close?.id).toBe(close.id);
		expect(after.result.outcome).toBe('blocked');
		expect(projector.snapshot()).toEqual(await projectWorld(world));
	});

	it('shows proposals newest first', async () => {
		const { world, people } = await foundCoop(1);
		const first = await world.propose(people[0]!, { title: 'First' });
		world.advance(MINUTE);
		const second = await world.propose(people[0]!, { title: 'Second' });
		const state = await projectWorld(world);
		expect(state.governance.proposals.map((view) => view.id)).toEqual([second.id, first.id]);
	});
});

describe('closing', () => {
	async function openWithVotes() {
		const { world, people } = await foundCoop(4);
		const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
		const proposal = await world.propose(ada, {
			kind: 'single',
			options: ABC,
			threshold: 'plurality',
			closesAt: world.now + DAY
		});
		world.advance(MINUTE);
		const votes = [
			await world.vote(ada, proposal.id, [0]),
			await world.vote(bo, proposal.id, [1]),
			await world.vote(cy, proposal.id, [1])
		];
		world.advance(MINUTE);
		return { world, ada, bo, cy, di, proposal, votes };
	}

	it('lets only the author close before the closing time (too-early)', async () => {
		const { world, ada, bo, proposal } = await openWithVotes();
		const basis = proposalOf(await projectWorld(world), proposal).basis;
		const byOther = await world.closeConfirmed(bo, proposal.id, basis);
		let state = await projectWorld(world);
		expect(recordOutcome(state, byOther)).toBe('too-early');
		expect(proposalOf(state, proposal).close).toBeNull();
		world.advance(MINUTE);
		const byAuthor = await world.closeConfirmed(ada, proposal.id, basis);
		state = await projectWorld(world);
		expect(recordOutcome(state, byAuthor)).toBe('accepted');
		expect(proposalOf(state, proposal).close?.id).toBe(byAuthor.id);
	});

	it('lets another device of the author close early', async () => {
		const { world, ada, bo, proposal } = await openWithVotes();
		const tablet = await Device.create();
		await world.link(ada, ada.id, tablet);
		world.advance(MINUTE);
		const basis = proposalOf(await projectWorld(world), proposal).basis;
		const { close } = await world.decide(tablet, bo, proposal.id, basis);
		const state = await projectWorld(world);
		expect(recordOutcome(state, close)).toBe('accepted');
		expect(proposalOf(state, proposal).close).toMatchObject({ member: ada.id });
	});

	it('lets any member close once the closing time has passed, but not a stranger', async () => {
		const { world, di, proposal } = await openWithVotes();
		world.advance(DAY);
		const basis = proposalOf(await projectWorld(world), proposal).basis;
		const stranger = await world.closeConfirmed(await Device.create(), proposal.id, basis);
		let state = await projectWorld(world);
		expect(recordOutcome(state, stranger)).toBe('pending:unknown-author');
		expect(proposalOf(state, proposal).close).toBeNull();
		const close = await world.closeConfirmed(di, proposal.id, basis);
		state = await projectWorld(world);
		expect(recordOutcome(state, close)).toBe('accepted');
		expect(proposalOf(state, proposal).close).toMatchObject({ member: di.id, missing: 0 });
		expect(proposalOf(state, proposal).result).toMatchObject({ counts: [1, 2, 0], winners: [1] });
	});

	it('takes the closing time itself as past: too early a millisecond before', async () => {
		const { world, bo, proposal } = await openWithVotes();
		const { closesAt, basis } = proposalOf(await projectWorld(world), proposal);
		const before = await world.closeConfirmed(
			bo,
			proposal.id,
			basis,
			formatHlc({ wall: closesAt - 1, counter: 0 })
		);
		const at = await world.closeConfirmed(
			bo,
			proposal.id,
			basis,
			formatHlc({ wall: closesAt, counter: 0 })
		);
		const state = await projectWorld(world);
		expect(recordOutcome(state, before)).toBe('too-early');
		expect(recordOutcome(state, at)).toBe('accepted');
	});

	it('rejects a second close and keeps the first one’s result', async () => {
		const { world, ada, bo, proposal, votes } = await openWithVotes();
		world.advance(DAY);
		const first = await world.closeConfirmed(ada, proposal.id, {
			votes: [votes[0]!.id],
			delegations: []
		});
		world.advance(MINUTE);
		const second = await world.closeConfirmed(bo, proposal.id, {
			votes: votes.map((vote) => vote.id),
			delegations: []
		});
		const state = await projectWorld(world);
		expect(recordOutcome(state, second)).toBe('superseded');
		const view = proposalOf(state, proposal);
		expect(view.close?.id).toBe(first.id);
		expect(view.result).toMatchObject({ ballots: 1, counts: [1, 0, 0], winners: [0] });
		expect(view.basis.votes).toEqual([votes[0]!.id]);
		expect(votes.map((vote) => statusOf(view, vote))).toEqual([
			'counted',
			'not-in-close',
			'not-in-close'
		]);
	});

	it('counts only the votes the close lists; later and back-dated votes do not change it', async () => {
		const { world, ada, bo, di, proposal, votes } = await openWithVotes();
		const basis = proposalOf(await projectWorld(world), proposal).basis;
		const close = await world.closeConfirmed(ada, proposal.id, basis);
		const before = proposalOf(await projectWorld(world), proposal);
		expect(before.result).toMatchObject({ ballots: 3, counts: [1, 2, 0], winners: [1] });

		// Di votes after the close; Bo changes his vote with a stamp before it (a back-dated clock).
		world.advance(MINUTE);
		const late = await world.vote(di, proposal.id, [2]);
		const backDated = await world.vote(bo, proposal.id, [2], stampNear(close.record.at, -1));
		const after = proposalOf(await projectWorld(world), proposal);
		expect(statusOf(after, late)).toBe('after-close');
		expect(statusOf(after, backDated)).toBe('not-in-close');
		expect(statusOf(after, votes[1]!)).toBe('counted');
		expect(after.result).toEqual(before.result);
		expect(after.basis).toEqual(before.basis);
		expect(after.ballots).toEqual(before.ballots);
	});

	it('waits for listed votes it lacks, and counts them once they arrive', async () => {
		const { world, ada, proposal, votes } = await openWithVotes();
		const basis = proposalOf(await projectWorld(world), proposal).basis;
		// Naming an older record than the newest it held as `after` (here, not the lacking vote).
		const close = await world.closeConfirmed(ada, proposal.id, { ...basis, after: votes[1]!.id });
		const lacking = votes[2]!;

		const projector = new CoopProjector(world.coop);
		projector.add(
			await verifiedAll(
				world.entries.filter((entry) => entry !== lacking),
				world.coop
			)
		);
		const partial = proposalOf(projector.snapshot(), proposal);
		expect(partial.close).toMatchObject({ id: close.id, missing: 1 });
		expect(partial.result).toMatchObject({ ballots: 2, counts: [1, 1, 0], outcome: 'tie' });
		expect(partial.basis.votes).toEqual(basis.votes);

		expect(projector.add([await verified(lacking, world.coop)]).refolded).toBe(true);
		const full = proposalOf(projector.snapshot(), proposal);
		expect(full.close).toMatchObject({ id: close.id, missing: 0 });
		expect(full.result).toMatchObject({ ballots: 3, counts: [1, 2, 0], outcome: 'passed' });
		expect(projector.snapshot()).toEqual(await projectWorld(world));
	});

	it('counts listed votes that are not this proposal’s, or never arrive, as missing', async () => {
		const { world, ada, bo, proposal, votes } = await openWithVotes();
		const other = await world.propose(bo);
		world.advance(MINUTE);
		const elsewhere = await world.vote(bo, other.id, [0]);
		const absent = await world.vote(ada, other.id, [0]);
		const close = await world.closeConfirmed(ada, proposal.id, {
			votes: [votes[0]!.id, elsewhere.id, absent.id],
			delegations: [],
			after: elsewhere.id
		});
		const state = await projectWorld(world, [absent]);
		expect(recordOutcome(state, close)).toBe('accepted');
		const view = proposalOf(state, proposal);
		expect(view.close?.missing).toBe(2);
		expect(view.result).toMatchObject({ ballots: 1, counts: [1, 0, 0] });
	});
});

describe('delegation through records', () => {
	it('follows a chain A → B → C to C’s vote, and a direct vote overrides it', async () => {
		const { world, people } = await foundCoop(4);
		const [a, b, c, d] = people as [Device, Device, Device, Device];
		const toB = await world.delegate(a, b.id);
		const toC = await world.delegate(b, c.id);
		world.advance(MINUTE);
		const proposal = await world.propose(d, { threshold: 'majority' });
		world.advance(MINUTE);
		const cVote = await world.vote(c, proposal.id, [2]);
		let view = proposalOf(await projectWorld(world), proposal);
		expect(view.ballots).toEqual(
			[
				{ voter: a.id, choice: [2], via: [b.id, c.id] },
				{ voter: b.id, choice: [2], via: [c.id] },
				{ voter: c.id, choice: [2], via: [] }
			].sort((x, y) => (x.voter < y.voter ? -1 : 1))
		);
		expect(view.result).toMatchObject({ ballots: 3, counts: [0, 0, 3, 0], outcome: 'failed' });
		expect(view.basis).toEqual({
			votes: [cVote.id],
			delegations: sorted([toB.id, toC.id])
		});

		world.advance(MINUTE);
		await world.vote(b, proposal.id, [0]);
		view = proposalOf(await projectWorld(world), proposal);
		expect(view.ballots.find((ballot) => ballot.voter === a.id)).toEqual({
			voter: a.id,
			choice: [0],
			via: [b.id]
		});
		expect(view.result).toMatchObject({ ballots: 3, counts: [2, 0, 1, 0], outcome: 'passed' });
	});

	it('gives members in a cycle no ballot, and a revocation takes a member out', async () => {
		const { world, people } = await foundCoop(4);
		const [a, b, c, d] = people as [Device, Device, Device, Device];
		await world.delegate(a, b.id);
		await world.delegate(b, a.id);
		await world.delegate(c, a.id);
		world.advance(MINUTE);
		const proposal = await world.propose(d);
		world.advance(MINUTE);
		await world.vote(d, proposal.id, [0]);
		let state = await projectWorld(world);
		let view = proposalOf(state, proposal);
		expect(view.ballots.map((ballot) => ballot.voter)).toEqual([d.id]);
		const byVoter = (voter: string) => view.unresolved.find((entry) => entry.voter === voter);
		expect(byVoter(a.id)).toEqual({ voter: a.id, reason: 'cycle', via: [b.id, a.id] });
		expect(byVoter(b.id)).toEqual({ voter: b.id, reason: 'cycle', via: [a.id, b.id] });
		expect(byVoter(c.id)).toEqual({ voter: c.id, reason: 'cycle', via: [a.id, b.id, a.id] });
		expect(state.governance.delegations.map((entry) => [entry.member, entry.to])).toEqual(
			[
				[a.id, b.id],
				[b.id, a.id],
				[c.id, a.id]
			].sort(([x], [y]) => (x! < y! ? -1 : 1))
		);

		// B revokes: the cycle is broken, A's chain now ends at B, who did not vote.
		world.advance(MINUTE);
		const revoke = await world.delegate(b, '');
		state = await projectWorld(world);
		view = proposalOf(state, proposal);
		expect(recordOutcome(state, revoke)).toBe('accepted');
		expect(view.unresolved).toEqual(
			[
				{ voter: a.id, reason: 'no-vote', via: [b.id] },
				{ voter: c.id, reason: 'no-vote', via: [a.id, b.id] }
			].sort((x, y) => (x.voter < y.voter ? -1 : 1))
		);
		expect(state.governance.delegations.map((entry) => entry.member)).not.toContain(b.id);
		expect(view.basis.delegations).toContain(revoke.id);

		// B votes: A and C reach his vote.
		world.advance(MINUTE);
		await world.vote(b, proposal.id, [1]);
		view = proposalOf(await projectWorld(world), proposal);
		expect(view.unresolved).toEqual([]);
		expect(view.result).toMatchObject({ ballots: 4, counts: [1, 3, 0, 0] });
	});

	it('applies a tagged delegation to proposals with that tag only', async () => {
		const { world, people } = await foundCoop(4);
		const [a, b, c, d] = people as [Device, Device, Device, Device];
		const all = await world.delegate(a, b.id);
		const budget = await world.delegate(a, c.id, 'budget');
		world.advance(MINUTE);
		const tagged = await world.propose(d, { tag: 'budget' });
		const plain = await world.propose(d, { tag: 'rota' });
		world.advance(MINUTE);
		for (const proposal of [tagged, plain]) {
			await world.vote(b, proposal.id, [0]);
			await world.vote(c, proposal.id, [2]);
		}
		const state = await projectWorld(world);
		const viaOf = (proposal: Entry) =>
			proposalOf(state, proposal).ballots.find((ballot) => ballot.voter === a.id)?.via;
		expect(viaOf(tagged)).toEqual([c.id]);
		expect(viaOf(plain)).toEqual([b.id]);
		expect(proposalOf(state, tagged).basis.delegations).toEqual(sorted([all.id, budget.id]));
		expect(proposalOf(state, plain).basis.delegations).toEqual([all.id]);
		expect(state.governance.delegations.map((entry) => entry.tag)).toEqual(['', 'budget']);
	});

	it('gives a delegated ballot only to eligible members', async () => {
		const { world, people } = await foundCoop(2);
		const [a, b] = people as [Device, Device];
		const proposal = await world.propose(a);
		world.advance(MINUTE);
		const late = await world.newMember(a);
		await world.delegate(late, b.id);
		await world.vote(b, proposal.id, [0]);
		const view = proposalOf(await projectWorld(world), proposal);
		expect(view.ballots.map((ballot) => ballot.voter)).toEqual([b.id]);
		expect(view.unresolved).toEqual([]);
	});

	it('freezes delegations with the close: later revocations and delegations do not count', async () => {
		const { world, people } = await foundCoop(4);
		const [a, b, c, d] = people as [Device, Device, Device, Device];
		const proposal = await world.propose(d);
		world.advance(MINUTE);
		const listed = await world.delegate(a, b.id);
		await world.vote(b, proposal.id, [0]);
		world.advance(MINUTE);
		const basis = proposalOf(await projectWorld(world), proposal).basis;
		expect(basis.delegations).toEqual([listed.id]);
		const close = await world.closeConfirmed(d, proposal.id, basis);
		const before = proposalOf(await projectWorld(world), proposal);
		expect(before.result).toMatchObject({ ballots: 2, counts: [2, 0, 0, 0] });

		world.advance(MINUTE);
		await world.delegate(a, '');
		await world.delegate(c, b.id, '', stampNear(close.record.at, -1));
		const after = proposalOf(await projectWorld(world), proposal);
		expect(after.result).toEqual(before.result);
		expect(after.ballots).toEqual(before.ballots);
		expect(after.basis).toEqual(before.basis);
	});

	it('waits for a listed delegation it lacks, then counts the ballot it gives', async () => {
		const { world, people } = await foundCoop(3);
		const [a, b, c] = people as [Device, Device, Device];
		const proposal = await world.propose(c);
		world.advance(MINUTE);
		const delegation = await world.delegate(a, b.id);
		await world.vote(b, proposal.id, [0]);
		world.advance(MINUTE);
		const basis = proposalOf(await projectWorld(world), proposal).basis;
		// Naming the proposal as the newest record seen (an older one), not the delegation.
		await world.closeConfirmed(c, proposal.id, { ...basis, after: proposal.id });
		const partial = proposalOf(await projectWorld(world, [delegation]), proposal);
		expect(partial.close?.missing).toBe(1);
		expect(partial.basis.delegations).toEqual([delegation.id]);
		expect(partial.result.ballots).toBe(1);
		const full = proposalOf(await projectWorld(world), proposal);
		expect(full.close?.missing).toBe(0);
		expect(full.ballots).toEqual(
			[
				{ voter: a.id, choice: [0], via: [b.id] },
				{ voter: b.id, choice: [0], via: [] }
			].sort((x, y) => (x.voter < y.voter ? -1 : 1))
		);
	});

	it('does not count a delegation by a device that is not a member', async () => {
		const { world, people } = await foundCoop(2);
		const [a, b] = people as [Device, Device];
		const stranger = await Device.create();
		const record = await world.delegate(stranger, b.id);
		const proposal = await world.propose(a);
		world.advance(MINUTE);
		await world.vote(b, proposal.id, [0]);
		const state = await projectWorld(world);
		expect(recordOutcome(state, record)).toBe('pending:unknown-author');
		expect(state.governance.delegations).toEqual([]);
		expect(proposalOf(state, proposal).basis.delegations).toEqual([]);
	});
});

describe('a closed result never changes (seeded)', () => {
	it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])(
		'ignores back-dated and late votes and delegations arriving after the close (seed %i)',
		async (seed) => {
			const random = prng(seed);
			const { world, people } = await foundCoop(5);
			const kind = pick(random, PROPOSAL_KINDS);
			const options = hasOptions(kind) ? ABC : [];
			const author = pick(random, people);
			const proposal = await world.propose(author, { kind, options });
			world.advance(MINUTE);
			for (const person of shuffle(random, people)) {
				const roll = random();
				if (roll < 0.6) await world.vote(person, proposal.id, randomChoice(random, kind, 3));
				else if (roll < 0.85) {
					const others = people.filter((other) => other !== person);
					await world.delegate(person, pick(random, others).id);
				}
			}
			// Make sure something is counted.
			await world.vote(author, proposal.id, randomChoice(random, kind, 3));
			world.advance(MINUTE);
			const basis = proposalOf(await projectWorld(world), proposal).basis;
			const close = await world.closeConfirmed(author, proposal.id, basis);
			const base = [...world.entries];
			const reference = proposalOf(await projectWorld(world), proposal);
			expect(reference.close?.missing).toBe(0);
			expect(reference.result.ballots).toBeGreaterThan(0);

			// Extra records: some stamped between the proposal and the close, some after the close.
			const opened = wallOf(proposal.record.at);
			const closed = wallOf(close.record.at);
			const extras: Entry[] = [];
			for (let count = 0; count < 12; count++) {
				const person = pick(random, people);
				const backDated = random() < 0.5;
				const wall = backDated
					? opened + 1 + Math.floor(random() * (closed - opened - 1))
					: closed + 1 + Math.floor(random() * DAY);
				const at = formatHlc({ wall, counter: Math.floor(random() * 100) });
				const roll = random();
				if (roll < 0.6) {
					extras.push(await world.vote(person, proposal.id, randomChoice(random, kind, 3), at));
				} else {
					const to = random() < 0.3 ? '' : pick(random, people).id;
					extras.push(await world.delegate(person, to, '', at));
				}
			}

			const projector = new CoopProjector(world.coop);
			projector.add(await verifiedAll(shuffle(random, base), world.coop));
			const pending = shuffle(random, extras);
			while (pending.length > 0) {
				const batch = pending.splice(0, 1 + Math.floor(random() * 3));
				projector.add(await verifiedAll(batch, world.coop));
				const state = projector.snapshot();
				const view = proposalOf(state, proposal);
				expect(view.result).toEqual(reference.result);
				expect(view.ballots).toEqual(reference.ballots);
				expect(view.unresolved).toEqual(reference.unresolved);
				expect(view.basis).toEqual(reference.basis);
				expect(view.close).toEqual(reference.close);
				for (const entry of batch) expect(recordOutcome(state, entry)).toBe('accepted');
			}
			const view = proposalOf(projector.snapshot(), proposal);
			for (const entry of extras) {
				if (entry.record.type !== 'proposal.vote') continue;
				// A back-dated vote older than its member's counted one was replaced by it.
				const counted = view.votes.find(
					(vote) => vote.member === memberOfVote(view, entry) && vote.status === 'counted'
				);
				const expected =
					entry.record.at > close.record.at
						? 'after-close'
						: counted !== undefined && counted.at > entry.record.at
							? 'replaced'
							: 'not-in-close';
				expect(statusOf(view, entry)).toBe(expected);
			}
			for (const vote of reference.votes) expect(statusOf(view, vote)).toBe(vote.status);
		}
	);
});

describe('a closed result and the electorate', () => {
	// The electorate is the roster at the proposal's place, never what a close lists. A join
	// stamped before the proposal (its invite allows it) that arrives after the decision is in
	// that roster: the result is counted again with it (see docs/threat-model.md).
	it('counts a back-dated join in the electorate, as the roster at the proposal’s place has it', async () => {
		const { world, people } = await foundCoop(4);
		const [ada, bo] = people as [Device, Device, Device, Device];
		const { secret } = await world.invite(ada);
		world.advance(MINUTE);
		const proposal = await world.propose(ada, {
			quorum: 50,
			action: 'setting',
			subject: 'jobShare',
			value: '500'
		});
		world.advance(MINUTE);
		await world.vote(ada, proposal.id, [0]);
		await world.vote(bo, proposal.id, [0]);
		world.advance(MINUTE);
		const basis = proposalOf(await projectWorld(world), proposal).basis;
		await world.closeConfirmed(ada, proposal.id, basis);
		const before = await projectWorld(world);
		expect(proposalOf(before, proposal).result).toMatchObject({
			quorumMet: true,
			outcome: 'passed'
		});
		expect(before.governance.settings.jobShare).toBe(500);

		const joiner = await Device.create();
		const join = await world.join(joiner, secret, stampNear(proposal.record.at, -1));
		const after = await projectWorld(world);
		expect(recordOutcome(after, join)).toBe('accepted');
		expect(proposalOf(after, proposal).eligible).toContain(joiner.id);
		// 2 ballots of 5 eligible are under the 50% quorum.
		expect(proposalOf(after, proposal).result).toMatchObject({ outcome: 'no-quorum' });
		expect(after.governance.settings.jobShare).not.toBe(500);
	});
});

/** The member who cast a vote, as the view records it. */
function memberOfVote(view: ProposalView, entry: Entry): string | undefined {
	return view.votes.find((vote) => vote.id === entry.id)?.member;
}

describe('the closing time', () => {
	it('counts no delegation made after it, as it counts no vote cast after it', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const proposal = await world.propose(ada);
		world.advance(MINUTE);
		await world.vote(cy, proposal.id, [0]);
		const before = await world.delegate(ada, cy.id);
		world.advance(2 * DAY);
		const late = await world.delegate(bo, cy.id);
		const view = proposalOf(await projectWorld(world), proposal);
		expect(view.result.ballots).toBe(2);
		expect(view.ballots.map((ballot) => ballot.voter).sort()).toEqual([ada.id, cy.id].sort());
		expect(view.basis.delegations).toEqual([before.id]);
		expect(view.basis.delegations).not.toContain(late.id);
	});
});

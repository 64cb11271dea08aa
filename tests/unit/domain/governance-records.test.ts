import { describe, expect, it } from 'vitest';
import {
	closeDraft,
	commentDraft,
	delegateDraft,
	proposalDraft,
	voteDraft,
	type ProposalInput
} from '$lib/domain/governance/commands';
import type { DraftContext } from '$lib/domain/kernel/draft';
import {
	decisionLog,
	decisionsCsv,
	decisionsJson,
	type Decision
} from '$lib/domain/governance/decision-log';
import { formatHlc, wallOf } from '$lib/domain/kernel/hlc';
import { recount } from '$lib/domain/governance/recount';
import {
	DAY,
	Device,
	expectRejected,
	foundCoop,
	MINUTE,
	projectWorld,
	proposalOf,
	resign,
	signAs,
	T0,
	unwrap,
	type Entry
} from './fixtures';

/** Recount, the decision log and its exports, and what the drafts of governance records refuse. */

const lookupOf = (entries: readonly Entry[]) => {
	const byId = new Map(entries.map((entry) => [entry.id, entry.record as unknown]));
	return (id: string) => byId.get(id);
};

describe('recount', () => {
	/** A closed single-choice poll with a changed vote, a linked device and a delegation. */
	async function closedPoll() {
		const { world, people } = await foundCoop(4);
		const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
		const phone = await Device.create();
		await world.link(cy, cy.id, phone);
		await world.delegate(di, bo.id);
		world.advance(MINUTE);
		const proposal = await world.propose(ada, { kind: 'single', options: ['A', 'B', 'C'] });
		world.advance(MINUTE);
		await world.vote(bo, proposal.id, [0]);
		await world.vote(cy, proposal.id, [2]);
		world.advance(MINUTE);
		await world.vote(bo, proposal.id, [1]);
		await world.vote(phone, proposal.id, [1]);
		world.advance(MINUTE);
		const late = await world.newMember(ada);
		await world.vote(late, proposal.id, [2]);
		const open = proposalOf(await projectWorld(world), proposal);
		await world.closeConfirmed(ada, proposal.id, open.basis);
		const state = await projectWorld(world);
		return { world, state, view: proposalOf(state, proposal), bo, cy, di, phone };
	}

	it('recomputes the same result from the records the close lists', async () => {
		const { world, state, view, bo, cy, di, phone } = await closedPoll();
		expect(view.result).toMatchObject({ ballots: 3, counts: [0, 3, 0], winners: [1] });
		expect(view.basis.votes).toHaveLength(2);
		expect(view.basis.delegations).toHaveLength(1);
		const result = await recount(view, state.members, world.coop, lookupOf(world.entries));
		expect(result.matches).toBe(true);
		expect(result.result).toEqual(view.result);
		expect(
			result.lines.map(({ kind, member, device, check }) => ({ kind, member, device, check }))
		).toEqual([
			...view.basis.votes.map((id) => {
				const author = world.entries.find((entry) => entry.id === id)!.record.author;
				return {
					kind: 'vote',
					member: author === phone.id ? cy.id : bo.id,
					device: author,
					check: 'valid'
				};
			}),
			{ kind: 'delegation', member: di.id, device: di.id, check: 'valid' }
		]);
		expect(result.lines.map((line) => line.id)).toEqual([
			...view.basis.votes,
			...view.basis.delegations
		]);
	});

	it('marks listed records that are absent as missing, and no longer matches', async () => {
		const { world, state, view } = await closedPoll();
		const [absent] = view.basis.delegations;
		const lookup = lookupOf(world.entries.filter((entry) => entry.id !== absent));
		const result = await recount(view, state.members, world.coop, lookup);
		expect(result.lines.find((line) => line.id === absent)).toEqual({
			id: absent,
			kind: 'delegation',
			member: null,
			device: null,
			check: 'missing'
		});
		expect(result.result).toMatchObject({ ballots: 2, counts: [0, 2, 0] });
		expect(result.matches).toBe(false);
	});

	it('marks records that fail verification as invalid and leaves them out', async () => {
		const { world, state, view, bo } = await closedPoll();
		const target = view.basis.votes.find(
			(id) => world.entries.find((entry) => entry.id === id)!.record.author === bo.id
		)!;
		const entries = world.entries.map((entry) =>
			entry.id === target ? { id: target, record: { ...entry.record, choice: [0] } } : entry
		) as Entry[];
		const result = await recount(view, state.members, world.coop, lookupOf(entries));
		expect(result.lines.find((line) => line.id === target)).toMatchObject({
			check: 'invalid',
			member: null,
			device: null
		});
		// Bo's ballot and Di's, who delegated to him, are gone.
		expect(result.result).toMatchObject({ ballots: 1, counts: [0, 1, 0] });
		expect(result.matches).toBe(false);
	});

	it('rejects a re-signed record under the old id as invalid', async () => {
		const { world, state, view, di } = await closedPoll();
		const [delegationId] = view.basis.delegations;
		const original = world.entries.find((entry) => entry.id === delegationId)!;
		const forged = await resign(original, di.key, { tag: 'other' });
		const lookup = (id: string) =>
			id === delegationId ? forged.record : lookupOf(world.entries)(id);
		const result = await recount(view, state.members, world.coop, lookup);
		expect(result.lines.find((line) => line.id === delegationId)?.check).toBe('invalid');
	});

	it('recounts an open proposal from what is in force now', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		await world.delegate(cy, bo.id);
		const proposal = await world.propose(ada, { kind: 'score', options: ['X', 'Y'] });
		world.advance(MINUTE);
		await world.vote(bo, proposal.id, [1, 5]);
		await world.vote(ada, proposal.id, [4, 0]);
		const state = await projectWorld(world);
		const view = proposalOf(state, proposal);
		expect(view.close).toBeNull();
		const result = await recount(view, state.members, world.coop, lookupOf(world.entries));
		expect(result.result).toMatchObject({ ballots: 3, counts: [6, 10] });
		expect(result.matches).toBe(true);
	});
});

describe('decision log', () => {
	async function history() {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		await world.profile(ada, 'Ada');
		await world.profile(bo, 'Bo');
		world.advance(MINUTE);
		const consent = await world.propose(ada, { title: 'Buy flour', tag: 'budget', quorum: 50 });
		const poll = await world.propose(bo, {
			title: '=SUM(1)',
			kind: 'single',
			options: ['Mon, early', 'Tue'],
			threshold: 'majority'
		});
		const open = await world.propose(cy, { title: 'Still open' });
		world.advance(MINUTE);
		await world.vote(ada, consent.id, [0]);
		await world.vote(bo, consent.id, [1]);
		await world.vote(ada, poll.id, [0]);
		await world.vote(cy, poll.id, [0]);
		await world.vote(bo, poll.id, [1]);
		world.advance(MINUTE);
		const basisOf = async (entry: Entry) => proposalOf(await projectWorld(world), entry).basis;
		const pollClose = await world.closeConfirmed(bo, poll.id, await basisOf(poll));
		world.advance(MINUTE);
		const consentClose = await world.closeConfirmed(ada, consent.id, await basisOf(consent));
		const state = await projectWorld(world);
		const names = new Map(state.members.map((member) => [member.id, member.displayName]));
		const log = decisionLog(state.governance.proposals, (id) => names.get(id) || '?');
		return { log, consent, poll, open, pollClose, consentClose };
	}

	it('lists closed proposals, latest decision first, with their results', async () => {
		const { log, consent, poll, pollClose, consentClose } = await history();
		expect(log.map((decision) => decision.id)).toEqual([consent.id, poll.id]);
		const iso = (stamp: string) => new Date(wallOf(stamp)).toISOString();
		expect(log[0]).toEqual({
			id: consent.id,
			title: 'Buy flour',
			kind: 'consent',
			tag: 'budget',
			action: 'none',
			author: 'Ada',
			opened: iso(consent.record.at),
			closed: iso(consentClose.record.at),
			outcome: 'passed',
			winners: [],
			counts: { agree: 1, abstain: 1, disagree: 0, block: 0 },
			ballots: 2,
			eligible: 3,
			quorum: 50,
			threshold: 'consent'
		});
		expect(log[1]).toMatchObject({
			title: '=SUM(1)',
			author: 'Bo',
			closed: iso(pollClose.record.at),
			outcome: 'passed',
			winners: ['Mon, early'],
			counts: { 'Mon, early': 2, Tue: 1 },
			ballots: 3,
			threshold: 'majority'
		});
	});

	it('exports JSON that parses back to the log', async () => {
		const { log } = await history();
		const json = decisionsJson(log);
		expect(json.endsWith('}\n]\n')).toBe(true);
		expect(JSON.parse(json)).toEqual(log);
		expect(decisionsJson([])).toBe('[]\n');
	});

	it('exports CSV with formulas escaped and commas quoted', async () => {
		const { log, poll, consent } = await history();
		const rows = decisionsCsv(log).split('\r\n');
		expect(rows[0]).toBe(
			'id,title,kind,tag,action,author,opened,closed,outcome,winners,counts,ballots,eligible,quorum,threshold'
		);
		expect(rows).toHaveLength(4);
		expect(rows[3]).toBe('');
		expect(rows[1]).toMatch(
			new RegExp(
				`^${consent.id},Buy flour,consent,budget,none,Ada,[^,]+,[^,]+,passed,,agree: 1; abstain: 1; disagree: 0; block: 0,2,3,50,consent$`
			)
		);
		expect(rows[2]).toContain(`${poll.id},'=SUM(1),single,,none,Bo,`);
		expect(rows[2]).toContain(',passed,"Mon, early","Mon, early: 2; Tue: 1",3,3,0,majority');
	});

	const decision: Decision = {
		id: 'id-1',
		title: 'Oven',
		kind: 'single',
		tag: '+tag',
		action: 'none',
		author: 'Ann "the baker"',
		opened: '2025-01-01T00:00:00.000Z',
		closed: '2025-01-02T00:00:00.000Z',
		outcome: 'tie',
		winners: ['@home', '-5'],
		counts: { '@home': 1, '-5': 1 },
		ballots: 2,
		eligible: 2,
		quorum: 0,
		threshold: 'plurality'
	};
	const tail = `2025-01-01T00:00:00.000Z,2025-01-02T00:00:00.000Z,tie,'@home; -5,'@home: 1; -5: 1,2,2,0,plurality`;

	it('doubles quotes in CSV and escapes the other formula starts', () => {
		expect(decisionsCsv([decision]).split('\r\n')[1]).toBe(
			`id-1,Oven,single,'+tag,none,"Ann ""the baker""",${tail}`
		);
	});

	// Fails: with `record_delimiter: 'windows'`, csv-stringify's `quote_record_delimiter` defaults
	// to false, so a cell holding a bare \n or \r is written unquoted, which RFC 4180 forbids.
	it('quotes cells with line breaks in CSV', () => {
		const csv = decisionsCsv([{ ...decision, title: 'Two\rlines', author: 'Ann\nBaker' }]);
		expect(csv.split('\r\n')[1]).toBe(`id-1,"Two\rlines",single,'+tag,none,"Ann\nBaker",${tail}`);
	});
});

describe('drafts of governance records', () => {
	const context: DraftContext = {
		coop: 'AAAAAAAAAAAAAAAAAAAAAA',
		author: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik',
		at: formatHlc({ wall: T0, counter: 0 })
	};
	const base: ProposalInput = {
		title: 'Buy an oven',
		text: '',
		kind: 'consent',
		options: [],
		closesAt: T0 + DAY,
		quorum: 0,
		threshold: 'consent',
		hidden: false,
		tag: ''
	};
	/** Any well-formed record id: what the writing device names as the newest record it holds. */
	const after = 'A'.repeat(43);
	const refusal = (input: Partial<ProposalInput>) => {
		const result = proposalDraft(context, { ...base, ...input }, after);
		return result.ok ? 'ok' : result.messageKey;
	};

	it('accepts a well-formed proposal, tidying its text', () => {
		const draft = unwrap(
			proposalDraft(
				context,
				{
					...base,
					title: '  Buy   an\noven ',
					kind: 'single',
					options: [' Gas ', '', 'Wood'],
					threshold: 'plurality',
					tag: ' budget '
				},
				after
			)
		);
		expect(draft).toMatchObject({
			type: 'proposal.open',
			title: 'Buy an oven',
			options: ['Gas', 'Wood'],
			tag: 'budget',
			action: 'none',
			subject: '',
			value: ''
		});
		expect(
			unwrap(proposalDraft(context, { ...base, options: ['ignored'] }, after)).options
		).toEqual([]);
	});

	it.each([
		['a closing date in the past', { closesAt: T0 - MINUTE }, 'record_closes_at_out_of_range'],
		['a closing date equal to now', { closesAt: T0 }, 'record_closes_at_out_of_range'],
		['a closing date too far away', { closesAt: T0 + 367 * DAY }, 'record_closes_at_out_of_range'],
		['a poll without options', { kind: 'single', threshold: 'plurality' }, 'record_options_empty'],
		[
			'a poll with blank options only',
			{ kind: 'ranked', options: [' ', ''], threshold: 'majority' },
			'record_options_empty'
		],
		[
			'a poll with one option',
			{ kind: 'time', options: ['Mon'], threshold: 'plurality' },
			'record_options_out_of_range'
		],
		[
			'a poll with the same option twice',
			{ kind: 'single', options: ['A', ' A'], threshold: 'plurality' },
			'record_options_duplicate'
		],
		['plurality for consent', { threshold: 'plurality' }, 'record_threshold_out_of_range'],
		[
			'consent for a poll',
			{ kind: 'single', options: ['A', 'B'], threshold: 'consent' },
			'record_threshold_out_of_range'
		],
		[
			'majority for a score poll',
			{ kind: 'score', options: ['A', 'B'], threshold: 'majority' },
			'record_threshold_out_of_range'
		],
		[
			'an action on a poll',
			{
				kind: 'single',
				options: ['A', 'B'],
				threshold: 'plurality',
				action: 'remove',
				subject: context.author
			},
			'record_action_mismatch'
		],
		[
			'a removal of something that is no key',
			{ action: 'remove', subject: 'bob' },
			'record_subject_bad_format'
		],
		[
			'an unknown setting',
			{ action: 'setting', subject: 'colour', value: 'red' },
			'record_subject_bad_format'
		],
		['a subject for a plain decision', { subject: context.author }, 'record_subject_bad_format'],
		['a value for a plain decision', { value: 'x' }, 'record_value_out_of_range'],
		[
			'an empty name',
			{ action: 'setting', subject: 'name', value: '  ' },
			'record_value_out_of_range'
		],
		[
			'0 invite days',
			{ action: 'setting', subject: 'inviteDays', value: '0' },
			'record_value_out_of_range'
		],
		[
			'366 invite days',
			{ action: 'setting', subject: 'inviteDays', value: '366' },
			'record_value_out_of_range'
		],
		[
			'a padded number',
			{ action: 'setting', subject: 'inviteMaxUses', value: '07' },
			'record_value_out_of_range'
		],
		[
			'a fraction',
			{ action: 'setting', subject: 'jobShare', value: '1.5' },
			'record_value_out_of_range'
		],
		[
			'a share over 100%',
			{ action: 'setting', subject: 'jobShare', value: '10001' },
			'record_value_out_of_range'
		],
		[
			'an unknown assignment rule',
			{ action: 'setting', subject: 'assignmentRule', value: 'lottery' },
			'record_value_out_of_range'
		],
		[
			'an admission without a name',
			{ action: 'admit', subject: context.author },
			'record_value_out_of_range'
		],
		['an empty charter', { action: 'charter', value: ' \n ' }, 'record_value_out_of_range'],
		['a quorum over 100', { quorum: 101 }, 'record_quorum_out_of_range'],
		['an empty title', { title: ' ' }, 'record_title_empty']
	] as [string, Partial<ProposalInput>, string][])('refuses %s', (_, input, messageKey) => {
		expect(refusal(input)).toBe(messageKey);
	});

	it('names the field and problem that the message key is made of', () => {
		const result = proposalDraft(context, { ...base, closesAt: T0 }, after);
		expect(result).toEqual({
			ok: false,
			field: 'closesAt',
			problem: 'out-of-range',
			messageKey: 'record_closes_at_out_of_range'
		});
	});

	it.each([
		['name', 'Bread & Roses'],
		['inviteDays', '365'],
		['inviteMaxUses', '100'],
		['jobShare', '0'],
		['assignmentRule', 'assign']
	])('accepts the setting %s = %s', (subject, value) => {
		expect(refusal({ action: 'setting', subject, value })).toBe('ok');
	});

	it('checks votes, comments, closes and delegations', () => {
		const proposal = 'A'.repeat(43);
		const other = `${'B'.repeat(42)}A`;
		const key = (result: { ok: boolean; messageKey?: string }) =>
			result.ok ? 'ok' : result.messageKey;
		expect(key(voteDraft(context, { proposal, choice: [0], reason: '' }))).toBe('ok');
		expect(key(voteDraft(context, { proposal: 'nope', choice: [0], reason: '' }))).toBe(
			'record_proposal_bad_format'
		);
		expect(key(voteDraft(context, { proposal, choice: [21], reason: '' }))).toBe(
			'record_choice_out_of_range'
		);
		expect(key(commentDraft(context, { proposal, text: ' \n ' }))).toBe('record_text_empty');
		const close = unwrap(
			closeDraft(context, { proposal, votes: [other, proposal], delegations: [], after })
		);
		expect(close.votes).toEqual([proposal, other]);
		expect(
			key(
				closeDraft(context, {
					proposal,
					votes: [proposal, proposal],
					delegations: [],
					after
				})
			)
		).toBe('record_votes_duplicate');
		expect(key(delegateDraft(context, { to: 'bob', tag: '' }))).toBe('record_to_bad_format');
		expect(unwrap(delegateDraft(context, { to: '', tag: ' budget ' }))).toMatchObject({
			to: '',
			tag: 'budget'
		});
	});

	it('makes a peer’s forged action poll fail verification', async () => {
		const { world } = await foundCoop(1);
		const draft = unwrap(
			proposalDraft(
				world.context(world.founder),
				{ ...base, closesAt: world.now + DAY },
				world.genesis.id
			)
		);
		const forged = await signAs(
			{
				...draft,
				kind: 'single',
				options: ['A', 'B'],
				threshold: 'plurality',
				action: 'charter',
				value: 'Mine'
			},
			world.founder.key
		);
		await expectRejected(forged, world.coop, 'invalid-shape');
	});
});

import { delegationsFor, resolveBallots, type DelegationRecord } from './delegation';
import { isValidChoice, type Choice } from './governance-types';
import { wallOf, type Stamp } from './hlc';
import type { SignedOf, VerifiedRecord } from './record-types';
import { tally, type TallyResult } from './tally';

/**
 * The governance rules, applied by the roster fold to proposals, votes, comments, closes and
 * delegations in (at, id) order, once the author is known to be an active member.
 * See docs/governance.md for the counting and closing rules.
 */

/** Why a vote record does or does not count, as the recount shows it. */
export type VoteStatus =
	'counted' | 'replaced' | 'not-eligible' | 'after-closing-time' | 'not-in-close' | 'after-close';

export interface VoteEntry {
	readonly id: string;
	readonly member: string;
	readonly device: string;
	readonly at: Stamp;
	readonly choice: Choice;
	readonly reason: string;
}

export interface CommentEntry {
	readonly id: string;
	readonly member: string;
	readonly at: Stamp;
	readonly text: string;
}

export interface CloseEntry {
	readonly id: string;
	readonly member: string;
	readonly at: Stamp;
	/** The electorate, and the ids of votes and delegations, as the close record lists them. */
	readonly eligible: readonly string[];
	readonly votes: ReadonlySet<string>;
	readonly delegations: ReadonlySet<string>;
	/** Listed votes and delegations not applied before the close (not arrived, or never valid). */
	readonly missing: number;
	readonly result: TallyResult;
	readonly ballots: ReturnType<typeof resolveBallots>;
}

export interface ProposalDraft {
	readonly id: string;
	readonly record: SignedOf<'proposal.open'>;
	/** The author's member id. */
	readonly member: string;
	/** Member ids active when it opened, ascending: who may vote, and the quorum's denominator. */
	readonly eligible: readonly string[];
	readonly votes: VoteEntry[];
	readonly comments: CommentEntry[];
	close: CloseEntry | null;
}

/**
 * Who may vote: the members active when it opened, until a close fixes the electorate as its
 * writer saw it (so a back-dated join or leave arriving later cannot change a closed tally).
 */
export function electorate(proposal: ProposalDraft): readonly string[] {
	return proposal.close?.eligible ?? proposal.eligible;
}

/** The votes that count for a tally: the latest per member of `eligible`, among `votes`. */
function latestVotes(eligible: readonly string[], votes: readonly VoteEntry[]) {
	const members = new Set(eligible);
	const latest = new Map<string, VoteEntry>();
	// `votes` are in fold order, so a later one replaces an earlier one.
	for (const vote of votes) if (members.has(vote.member)) latest.set(vote.member, vote);
	return latest;
}

/** Tallies a proposal for an electorate over the given votes and delegation records. */
export function tallyOf(
	proposal: ProposalDraft,
	eligible: readonly string[],
	votes: readonly VoteEntry[],
	delegations: readonly DelegationRecord[]
): { result: TallyResult; ballots: ReturnType<typeof resolveBallots> } {
	const { record } = proposal;
	const direct = new Map<string, Choice>();
	for (const [member, vote] of latestVotes(eligible, votes)) direct.set(member, vote.choice);
	const ballots = resolveBallots(eligible, direct, delegationsFor(delegations, record.tag));
	const result = tally({
		kind: record.kind,
		options: record.options.length,
		threshold: record.threshold,
		quorum: record.quorum,
		eligible: eligible.length,
		ballots: ballots.ballots
	});
	return { result, ballots };
}

/** Records stamped before a proposal's closing time: what its live tally counts. */
export function inTime<T extends { readonly at: Stamp }>(
	proposal: ProposalDraft,
	records: readonly T[]
): T[] {
	return records.filter((record) => wallOf(record.at) < proposal.record.closesAt);
}

export class GovernanceFold {
	readonly proposals = new Map<string, ProposalDraft>();
	/** Every delegation record applied, in fold order. */
	readonly delegations: DelegationRecord[] = [];

	open(entry: VerifiedRecord<'proposal.open'>, member: string, eligible: string[]): void {
		this.proposals.set(entry.id, {
			id: entry.id,
			record: entry.record,
			member,
			eligible: eligible.sort(),
			votes: [],
			comments: [],
			close: null
		});
	}

	/** Applies a vote; returns false if its choice does not fit the proposal. */
	vote(proposal: ProposalDraft, entry: VerifiedRecord<'proposal.vote'>, member: string): boolean {
		const { record } = entry;
		if (!isValidChoice(proposal.record.kind, proposal.record.options.length, record.choice)) {
			return false;
		}
		proposal.votes.push({
			id: entry.id,
			member,
			device: record.author,
			at: record.at,
			choice: record.choice,
			reason: record.reason
		});
		return true;
	}

	comment(proposal: ProposalDraft, entry: VerifiedRecord<'proposal.comment'>, member: string) {
		proposal.comments.push({
			id: entry.id,
			member,
			at: entry.record.at,
			text: entry.record.text
		});
	}

	delegate(entry: VerifiedRecord<'member.delegate'>, member: string): void {
		const { record } = entry;
		this.delegations.push({
			member,
			tag: record.tag,
			to: record.to === '' ? null : record.to,
			at: record.at,
			id: entry.id
		});
	}

	/** Closes a proposal with what its close record lists, and tallies it for good. */
	close(proposal: ProposalDraft, entry: VerifiedRecord<'proposal.close'>, member: string): void {
		const { record } = entry;
		const listedVotes = new Set(record.votes);
		const listedDelegations = new Set(record.delegations);
		const votes = proposal.votes.filter((vote) => listedVotes.has(vote.id));
		const delegations = this.delegations.filter((d) => listedDelegations.has(d.id));
		const known = votes.length + delegations.length;
		const { result, ballots } = tallyOf(proposal, record.eligible, votes, delegations);
		proposal.close = {
			id: entry.id,
			member,
			at: record.at,
			eligible: record.eligible,
			votes: listedVotes,
			delegations: listedDelegations,
			missing: listedVotes.size + listedDelegations.size - known,
			result,
			ballots
		};
	}

	/** What a close written now should list: the electorate, votes and delegations in force. */
	inForce(proposal: ProposalDraft): { eligible: string[]; votes: string[]; delegations: string[] } {
		const latest = latestVotes(proposal.eligible, inTime(proposal, proposal.votes));
		const tags = new Set(['', proposal.record.tag]);
		const delegations = new Map<string, DelegationRecord>();
		for (const record of inTime(proposal, this.delegations)) {
			if (tags.has(record.tag)) delegations.set(`${record.member}\u0000${record.tag}`, record);
		}
		return {
			eligible: [...proposal.eligible],
			votes: [...latest.values()].map((vote) => vote.id).sort(),
			delegations: [...delegations.values()].map((record) => record.id).sort()
		};
	}
}

/** The status of each vote of a proposal, for the recount. */
export function voteStatuses(proposal: ProposalDraft): Map<string, VoteStatus> {
	const statuses = new Map<string, VoteStatus>();
	const eligible = new Set(electorate(proposal));
	const { close } = proposal;
	const candidates: VoteEntry[] = [];
	for (const vote of proposal.votes) {
		if (!eligible.has(vote.member)) statuses.set(vote.id, 'not-eligible');
		else if (close !== null && vote.at > close.at) statuses.set(vote.id, 'after-close');
		else if (close === null && wallOf(vote.at) >= proposal.record.closesAt) {
			statuses.set(vote.id, 'after-closing-time');
		} else candidates.push(vote);
	}
	if (close === null) {
		const latest = latestVotes([...eligible], candidates);
		for (const vote of candidates) {
			statuses.set(vote.id, latest.get(vote.member) === vote ? 'counted' : 'replaced');
		}
		return statuses;
	}
	// Closed: a member's latest listed vote counts. An unlisted vote older than it was replaced;
	// any other unlisted vote reached the closer too late.
	const counted = latestVotes(
		[...eligible],
		candidates.filter((vote) => close.votes.has(vote.id))
	);
	for (const vote of candidates) {
		const kept = counted.get(vote.member);
		const older =
			kept !== undefined && (kept.at > vote.at || (kept.at === vote.at && kept.id > vote.id));
		statuses.set(vote.id, kept === vote ? 'counted' : older ? 'replaced' : 'not-in-close');
	}
	return statuses;
}

import { wallOf, type Stamp } from '../kernel/hlc';
import { delegationsFor, resolveBallots, type DelegationRecord } from './delegation';
import type { GovernanceRecord } from './records';
import { tally, type TallyResult } from './tally';
import type { Choice } from './vocabulary';

/**
 * A proposal as the governance fold keeps it (votes, comments, closes, the decision), and the
 * pure functions that count it. The rules that build it are in fold.ts.
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

/** Who confirmed a close, and where: the decision takes effect at the confirmation's place. */
export interface ConfirmEntry {
	readonly id: string;
	readonly member: string;
	readonly at: Stamp;
}

export interface CloseEntry {
	readonly id: string;
	readonly member: string;
	readonly at: Stamp;
	/** The ids of votes and delegations, as the close record lists them. */
	readonly votes: ReadonlySet<string>;
	readonly delegations: ReadonlySet<string>;
	/** Listed votes and delegations not applied before the close (not arrived, or never valid). */
	readonly missing: number;
	readonly result: TallyResult;
	readonly ballots: ReturnType<typeof resolveBallots>;
}

/** The close that decided a proposal. */
export interface DecidingClose extends CloseEntry {
	/** `null` when the electorate was its writer alone (no confirmation needed). */
	readonly confirm: ConfirmEntry | null;
	/** Where the decision took effect: the confirmation's stamp, or the close's. */
	readonly decidedAt: Stamp;
}

export interface ProposalDraft {
	readonly id: string;
	readonly record: GovernanceRecord<'proposal.open'>;
	/** The author's member id. */
	readonly member: string;
	/**
	 * Member ids active at its place in the order, ascending: who may vote, and the quorum's
	 * denominator. Taken from the roster, never from a close.
	 */
	readonly eligible: readonly string[];
	readonly votes: VoteEntry[];
	readonly comments: CommentEntry[];
	/** Closes waiting for a confirmation, in fold order (emptied once one decides). */
	candidates: CloseEntry[];
	/** The confirmed close; `null` while undecided. */
	close: DecidingClose | null;
}

/** Who may vote: the members active at the proposal's place in the order. */
export function electorate(proposal: ProposalDraft): readonly string[] {
	return proposal.eligible;
}

/** The votes that count for a tally: the latest per member of `eligible`, among `votes`. */
export function latestVotes(eligible: readonly string[], votes: readonly VoteEntry[]) {
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

/**
 * Records stamped before a proposal's closing time (and before `cut`, a close's stamp, if given):
 * what its live tally counts, and what a close written at `cut` lists.
 */
export function inTime<T extends { readonly at: Stamp }>(
	proposal: ProposalDraft,
	records: readonly T[],
	cut?: Stamp
): T[] {
	return records.filter(
		(record) =>
			wallOf(record.at) < proposal.record.closesAt && (cut === undefined || record.at < cut)
	);
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

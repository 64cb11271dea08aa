import type { Stamp } from '../kernel/hlc';
import type { Resolved, Unresolved } from './delegation';
import type { GovernanceFold } from './fold';
import {
	electorate,
	inTime,
	tallyOf,
	type CloseEntry,
	type ProposalDraft,
	voteStatuses,
	type CommentEntry,
	type VoteEntry,
	type VoteStatus
} from './proposal';
import type { ProposalBody } from './records';
import type { TallyResult } from './tally';

/** A vote as the recount shows it. */
export interface VoteView extends VoteEntry {
	readonly status: VoteStatus;
}

export interface CloseView {
	readonly id: string;
	/** Member id of who closed it. */
	readonly member: string;
	readonly at: Stamp;
	/** Votes and delegations the close lists that this device does not have (yet). */
	readonly missing: number;
}

/** The close that decided a proposal. */
export interface DecisionView extends CloseView {
	/** Member id of who confirmed it; `null` when the electorate was the closer alone. */
	readonly confirmedBy: string | null;
	/** Where the decision took effect: the confirmation's stamp (or the close's). */
	readonly decidedAt: Stamp;
}

/** A close waiting for another member's confirmation, compared with what this device holds. */
export interface CandidateView extends CloseView {
	readonly result: TallyResult;
	/** Votes this device holds, in force at the close's stamp, that the close does not list. */
	readonly leftOutVotes: number;
	/**
	 * True if the close lists exactly what a close written on this device with the same stamp
	 * would list (nothing left out, nothing extra, nothing missing): this device agrees with it.
	 */
	readonly agrees: boolean;
}

/** A proposal with its tally: live while open, fixed by its close once closed. */
export interface ProposalView extends ProposalBody {
	readonly id: string;
	/** Member id of the author. */
	readonly author: string;
	/** The device that signed it. */
	readonly device: string;
	readonly at: Stamp;
	/** Member ids who may vote: active at its place in the order. */
	readonly eligible: readonly string[];
	/** The confirmed close, once decided. */
	readonly close: DecisionView | null;
	/** Closes waiting for a confirmation, oldest first (none once decided). */
	readonly candidates: readonly CandidateView[];
	readonly result: TallyResult;
	/** The ballots counted, direct or by delegation, by voter. */
	readonly ballots: readonly Resolved[];
	/** Eligible members whose delegation led to no vote. */
	readonly unresolved: readonly Unresolved[];
	/** Every vote record of the proposal, in (at, id) order, with whether it counts. */
	readonly votes: readonly VoteView[];
	readonly comments: readonly CommentEntry[];
	/** True once a passed proposal's action has changed the co-op. */
	readonly applied: boolean;
	/**
	 * What the tally rests on, as a close lists it: once decided, the close's lists; while open,
	 * the votes and delegations in force now (what a close written now lists).
	 */
	readonly basis: {
		readonly votes: readonly string[];
		readonly delegations: readonly string[];
	};
}

/** A delegation in force. */
export interface DelegationView {
	readonly id: string;
	readonly member: string;
	/** Empty for every proposal. */
	readonly tag: string;
	readonly to: string;
	readonly at: Stamp;
}

/** The governance area's read model. */
export interface GovernanceView {
	/** Newest first. */
	readonly proposals: readonly ProposalView[];
	/** In force now, by member then tag. */
	readonly delegations: readonly DelegationView[];
}

/**
 * Views already built, per fold, with the version they were built at. A fold only ever adds votes,
 * comments, delegations and closes (a refold starts a new fold), so counts make a version: a view
 * is rebuilt only when its proposal (or, while it is open, a delegation) changed. Without this,
 * each record arriving in a co-op with 1,000 proposals recounted all of them.
 */
const proposalViews = new WeakMap<
	GovernanceFold,
	Map<string, { version: string; view: ProposalView }>
>();

/** The whole view, per fold, with the fold's version it was built at. */
const views = new WeakMap<GovernanceFold, { version: number; view: GovernanceView }>();

function versionOf(fold: GovernanceFold, proposal: ProposalDraft): string {
	const { close } = proposal;
	const delegations = close === null ? fold.delegations.length : -1;
	return `${proposal.votes.length}/${proposal.comments.length}/${close?.id}/${proposal.candidates.length}/${delegations}/${fold.applied.has(proposal.id)}`;
}

/** Proposals and delegations as the pages show them; built once per version of the fold. */
export function governanceView(fold: GovernanceFold): GovernanceView {
	const built = views.get(fold);
	if (built?.version === fold.version) return built.view;
	const view = buildView(fold);
	views.set(fold, { version: fold.version, view });
	return view;
}

function buildView(governance: GovernanceFold): GovernanceView {
	let cache = proposalViews.get(governance);
	if (cache === undefined) {
		cache = new Map<string, { version: string; view: ProposalView }>();
		proposalViews.set(governance, cache);
	}
	const proposals: ProposalView[] = [];
	for (const proposal of governance.proposals.values()) {
		const version = versionOf(governance, proposal);
		const cached = cache.get(proposal.id);
		if (cached?.version === version) {
			proposals.push(cached.view);
			continue;
		}
		const view = proposalView(governance, proposal);
		cache.set(proposal.id, { version, view });
		proposals.push(view);
	}
	proposals.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1));

	const latest = new Map<string, DelegationView>();
	for (const record of governance.delegations) {
		const key = `${record.member}\u0000${record.tag}`;
		if (record.to === null) latest.delete(key);
		else latest.set(key, { ...record, to: record.to });
	}
	const delegations = [...latest.values()].sort((a, b) =>
		a.member !== b.member ? (a.member < b.member ? -1 : 1) : a.tag < b.tag ? -1 : 1
	);

	return { proposals, delegations };
}

/** One proposal as the pages show it, with its tally and the status of each vote. */
function proposalView(governance: GovernanceFold, proposal: ProposalDraft): ProposalView {
	const { record, close } = proposal;
	const counted =
		close ??
		tallyOf(
			proposal,
			proposal.eligible,
			inTime(proposal, proposal.votes),
			inTime(proposal, governance.delegations)
		);
	const statuses = voteStatuses(proposal);
	return {
		title: record.title,
		text: record.text,
		kind: record.kind,
		options: record.options,
		closesAt: record.closesAt,
		quorum: record.quorum,
		threshold: record.threshold,
		hidden: record.hidden,
		tag: record.tag,
		action: record.action,
		subject: record.subject,
		value: record.value,
		after: record.after,
		id: proposal.id,
		author: proposal.member,
		device: record.author,
		at: record.at,
		eligible: electorate(proposal),
		close:
			close === null
				? null
				: {
						id: close.id,
						member: close.member,
						at: close.at,
						missing: close.missing,
						confirmedBy: close.confirm?.member ?? null,
						decidedAt: close.decidedAt
					},
		candidates: proposal.candidates.map((candidate) =>
			candidateView(governance, proposal, candidate)
		),
		result: counted.result,
		ballots: counted.ballots.ballots,
		unresolved: counted.ballots.unresolved,
		votes: proposal.votes.map((vote) => ({ ...vote, status: statuses.get(vote.id)! })),
		comments: [...proposal.comments],
		applied: governance.applied.has(proposal.id),
		basis:
			close === null
				? governance.inForce(proposal)
				: {
						votes: [...close.votes],
						delegations: [...close.delegations]
					}
	};
}

/** A waiting close, compared with what a close written here at its stamp would list. */
function candidateView(
	governance: GovernanceFold,
	proposal: ProposalDraft,
	close: CloseEntry
): CandidateView {
	const here = governance.inForce(proposal, close.at);
	const leftOutVotes = here.votes.filter((id) => !close.votes.has(id)).length;
	const same = (mine: readonly string[], listed: ReadonlySet<string>) =>
		mine.length === listed.size && mine.every((id) => listed.has(id));
	return {
		id: close.id,
		member: close.member,
		at: close.at,
		missing: close.missing,
		result: close.result,
		leftOutVotes,
		agrees:
			close.missing === 0 &&
			same(here.votes, close.votes) &&
			same(here.delegations, close.delegations)
	};
}

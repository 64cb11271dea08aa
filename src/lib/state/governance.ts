import {
	closeDraft,
	commentDraft,
	confirmDraft,
	delegateDraft,
	proposalDraft,
	voteDraft,
	type ProposalInput
} from '$lib/domain/governance/commands';
import {
	decisionLog,
	decisionsCsv,
	decisionsJson,
	type Decision
} from '$lib/domain/governance/decision-log';
import type { Choice } from '$lib/domain/governance/vocabulary';
import type { CandidateView, DelegationView, ProposalView } from '$lib/domain/governance/view';
import type { GovernanceState, CoopState } from '$lib/domain/coop-state';
import { recount, type Recount } from '$lib/domain/governance/recount';
import type { InputResult } from '$lib/domain/kernel/input-result';
import type { Member } from '$lib/domain/membership/view';
import type { DraftBuilder, WriteResult } from '$lib/session/signed-records';

export type { CandidateView, Decision, DelegationView, ProposalInput, ProposalView, Recount };
export type { CharterVersion } from '$lib/domain/settings/view';
export type { TallyResult } from '$lib/domain/governance/tally';
export * from '$lib/domain/governance/vocabulary';
export * from '$lib/domain/settings/values';

/** What governance needs from the open co-op. */
export interface GovernanceHost {
	readonly coopId: string;
	/** Reactive: reading it in an effect or template re-runs when records change. */
	roster(): CoopState;
	me(): Member | null;
	write(...builders: readonly DraftBuilder[]): Promise<WriteResult>;
	/** A valid record this device holds. */
	lookup(id: string): unknown;
	nameOf(member: string): string;
	/** The newest record held stamped before `at`: what a record stamped `at` names as `after`. */
	newestBefore(at: string): string | null;
	/** When a record first reached this device (0: before this session); `undefined` if not held. */
	arrivedAt(id: string): number | undefined;
}

/**
 * What this device makes of a close another member wrote, waiting for a confirmation:
 * - `agrees`: it lists exactly what this device lists at its stamp, and the proposal reached
 *   this device before its closing time: the device confirms it by itself;
 * - `late`: it agrees, but the proposal reached this device only after it closed (the device
 *   may not have seen everything): the member confirms it by hand, if they want to;
 * - `left-out`: it leaves out votes or delegations this device holds (or lists others): not
 *   confirmed; the device writes its own close instead, when closing is allowed;
 * - `missing`: it lists records this device does not hold yet: wait for them.
 */
export type CloseReview = 'agrees' | 'late' | 'left-out' | 'missing';

/** A close by another member and what this device makes of it. */
export interface ReviewedClose {
	readonly close: CandidateView;
	readonly review: CloseReview;
}

/**
 * Once a proposal's closing time has passed, its author's device closes it; other members'
 * devices wait this long first, so the author's device (likely to have seen the most votes) has
 * the first chance. Any member may still close it by hand once the time has passed.
 */
export const AUTO_CLOSE_GRACE_MS = 60 * 60 * 1000;

type Result<T extends object = object> = InputResult<T>;

/** Proposals, votes, delegations, the decision log and the charter of one open co-op. */
export class Governance {
	readonly #host: GovernanceHost;
	/** Proposals this session already tried to close, so a timer does not close one twice. */
	readonly #closing = new Set<string>();
	/** Closes this session already confirmed. */
	readonly #confirming = new Set<string>();

	constructor(host: GovernanceHost) {
		this.#host = host;
	}

	get #state(): GovernanceState {
		return this.#host.roster().governance;
	}

	/** Newest first. */
	get proposals(): readonly ProposalView[] {
		return this.#state.proposals;
	}

	proposal(id: string): ProposalView | undefined {
		return this.proposals.find((proposal) => proposal.id === id);
	}

	/** Delegations in force. */
	get delegations(): readonly DelegationView[] {
		return this.#state.delegations;
	}

	/** This member's delegations in force. */
	get myDelegations(): readonly DelegationView[] {
		const me = this.#host.me()?.id;
		return this.delegations.filter((delegation) => delegation.member === me);
	}

	get charter() {
		return this.#state.charter;
	}

	get settings() {
		return this.#state.settings;
	}

	get settingChanges() {
		return this.#state.settingChanges;
	}

	/** Closed proposals, latest decision first. */
	get decisions(): Decision[] {
		return decisionLog(this.proposals, (member) => this.#host.nameOf(member));
	}

	/** The decision log as a file's text. */
	exportDecisions(format: 'csv' | 'json'): string {
		const decisions = this.decisions;
		return format === 'csv' ? decisionsCsv(decisions) : decisionsJson(decisions);
	}

	/** The member's latest vote on a proposal, if any. */
	myVote(proposal: ProposalView): ProposalView['votes'][number] | undefined {
		const me = this.#host.me()?.id;
		return proposal.votes.findLast((vote) => vote.member === me);
	}

	async propose(input: ProposalInput): Promise<Result<{ readonly id: string }>> {
		const result = await this.#host.write((context) =>
			proposalDraft(context, input, this.#after(context.at))
		);
		return result.ok ? { ok: true, id: result.ids[0]! } : result;
	}

	vote(proposal: string, choice: Choice, reason: string): Promise<Result> {
		return this.#host.write((context) => voteDraft(context, { proposal, choice, reason }));
	}

	comment(proposal: string, text: string): Promise<Result> {
		return this.#host.write((context) => commentDraft(context, { proposal, text }));
	}

	/** Closes a proposal with the votes and delegations in force now. */
	close(id: string): Promise<Result> {
		const proposal = this.proposal(id);
		if (proposal === undefined || proposal.close !== null) {
			return Promise.resolve({ ok: false, field: '', messageKey: 'proposal_already_closed' });
		}
		this.#closing.add(id);
		return this.#host.write((context) =>
			closeDraft(context, { proposal: id, ...proposal.basis, after: this.#after(context.at) })
		);
	}

	/** Confirms another member's close (see `CloseReview`). */
	confirm(proposalId: string, closeId: string): Promise<Result> {
		const proposal = this.proposal(proposalId);
		const me = this.#host.me()?.id;
		const close = proposal?.candidates.find((candidate) => candidate.id === closeId);
		if (proposal === undefined || close === undefined || close.member === me) {
			return Promise.resolve({ ok: false, field: '', messageKey: 'proposal_already_closed' });
		}
		this.#confirming.add(closeId);
		return this.#host.write((context) => confirmDraft(context, { close: closeId }));
	}

	/** The closes other members wrote of a proposal, waiting for a confirmation, reviewed. */
	reviews(proposal: ProposalView): ReviewedClose[] {
		const me = this.#host.me()?.id;
		const arrived = this.#host.arrivedAt(proposal.id);
		const inTime = arrived !== undefined && arrived < proposal.closesAt;
		return proposal.candidates
			.filter((close) => close.member !== me)
			.map((close) => ({
				close,
				review: close.agrees
					? inTime
						? 'agrees'
						: 'late'
					: close.missing > 0 && close.leftOutVotes === 0
						? 'missing'
						: 'left-out'
			}));
	}

	/** This member's own close of a proposal, waiting for a confirmation, if any. */
	myClose(proposal: ProposalView): CandidateView | undefined {
		const me = this.#host.me()?.id;
		return proposal.candidates.find((close) => close.member === me);
	}

	#after(at: string): string {
		// Nothing held at all (not even the genesis): the draft's check refuses the empty id.
		return this.#host.newestBefore(at) ?? '';
	}

	/** Whether this member may close a proposal now (its author at any time, others after time). */
	canClose(proposal: ProposalView, now = Date.now()): boolean {
		const me = this.#host.me()?.id;
		if (me === undefined || proposal.close !== null) return false;
		return proposal.author === me || now >= proposal.closesAt;
	}

	/**
	 * Closes the open proposals whose time has passed, as `AUTO_CLOSE_GRACE_MS` describes, and
	 * answers the closes of other members: confirms those it agrees with (for a proposal that
	 * reached this device in time), and writes its own complete close instead of confirming one
	 * that leaves out what this device holds. See `CloseReview` and docs/governance.md.
	 */
	async closeDue(now = Date.now()): Promise<void> {
		const me = this.#host.me()?.id;
		if (me === undefined) return;
		for (const proposal of this.proposals) {
			if (proposal.close !== null) continue;
			const reviews = this.reviews(proposal);
			const agreed = reviews.find(({ review }) => review === 'agrees');
			if (agreed !== undefined) {
				if (!this.#confirming.has(agreed.close.id))
					await this.confirm(proposal.id, agreed.close.id);
				continue;
			}
			// A close this device agrees with, but saw late: the member decides; no rival close.
			if (reviews.some(({ review }) => review === 'late')) continue;
			if (this.#closing.has(proposal.id) || this.myClose(proposal) !== undefined) continue;
			const leftOut = reviews.some(({ review }) => review === 'left-out');
			if (leftOut && this.canClose(proposal, now)) {
				await this.close(proposal.id);
				continue;
			}
			const due = proposal.closesAt + (proposal.author === me ? 0 : AUTO_CLOSE_GRACE_MS);
			if (now >= due) await this.close(proposal.id);
		}
	}

	delegate(to: string, tag: string): Promise<Result> {
		return this.#host.write((context) => delegateDraft(context, { to, tag }));
	}

	revokeDelegation(tag: string): Promise<Result> {
		return this.#host.write((context) => delegateDraft(context, { to: '', tag }));
	}

	/** Checks every vote and delegation a proposal's tally rests on again, and recounts. */
	recount(proposal: ProposalView): Promise<Recount> {
		return recount(proposal, this.#host.roster().members, this.#host.coopId, (id) =>
			this.#host.lookup(id)
		);
	}
}

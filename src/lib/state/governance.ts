import {
	closeDraft,
	commentDraft,
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
import type { DelegationView, ProposalView } from '$lib/domain/governance/view';
import type { GovernanceState, CoopState } from '$lib/domain/coop-state';
import { recount, type Recount } from '$lib/domain/governance/recount';
import type { InputResult } from '$lib/domain/kernel/input-result';
import type { Member } from '$lib/domain/membership/view';
import type { DraftBuilder, WriteResult } from '$lib/session/signed-records';

export type { Decision, DelegationView, ProposalInput, ProposalView, Recount };
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
		const result = await this.#host.write((context) => proposalDraft(context, input));
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
		return this.#host.write((context) => closeDraft(context, { proposal: id, ...proposal.basis }));
	}

	/** Whether this member may close a proposal now (its author at any time, others after time). */
	canClose(proposal: ProposalView, now = Date.now()): boolean {
		const me = this.#host.me()?.id;
		if (me === undefined || proposal.close !== null) return false;
		return proposal.author === me || now >= proposal.closesAt;
	}

	/** Closes the open proposals whose time has passed, as `AUTO_CLOSE_GRACE_MS` describes. */
	async closeDue(now = Date.now()): Promise<void> {
		const me = this.#host.me()?.id;
		if (me === undefined) return;
		for (const proposal of this.proposals) {
			if (proposal.close !== null || this.#closing.has(proposal.id)) continue;
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

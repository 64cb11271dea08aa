import type { Verified } from '../kernel/envelope';
import { wallOf, type Stamp } from '../kernel/hlc';
import {
	ACCEPTED,
	rejected,
	UnexpectedEffectError,
	UnexpectedWaitError,
	waiting,
	type AreaFold,
	type FoldContext,
	type Outcome,
	type Settled,
	type Use,
	type Wait
} from '../kernel/module';
import type { MembershipEffect } from '../membership/effects';
import { MEMBERSHIP, type MembershipQueries } from '../membership/queries';
import type { SettingsEffect } from '../settings/effects';
import type { DelegationRecord } from './delegation';
import type { GovernanceRecord } from './records';
import { isValidChoice } from './vocabulary';
import {
	inTime,
	latestVotes,
	tallyOf,
	type CloseEntry,
	type ConfirmEntry,
	type ProposalDraft
} from './proposal';

/**
 * The governance rules, applied to proposals, votes, comments, closes and delegations in
 * (at, id) order, once the kernel has resolved the author to an active member. A close decides
 * once another member confirms it; a passed proposal's action is carried out, at the decision's
 * place in the order, by the area that owns what it changes (as an effect). See docs/governance.md
 * for the counting and closing rules; proposal.ts for a proposal's state and how it is counted.
 */

export class GovernanceFold implements AreaFold {
	version = 0;
	readonly proposals: Map<string, ProposalDraft>;
	/** Every delegation record applied, in fold order. */
	readonly delegations: DelegationRecord[];
	/** Proposals whose action took effect. */
	readonly applied: Set<string>;
	/** Close id -> its proposal's id, for confirmations. */
	readonly closes: Map<string, string>;
	readonly #members: MembershipQueries;

	constructor(use: Use, from?: GovernanceFold) {
		this.#members = use(MEMBERSHIP);
		this.version = from?.version ?? 0;
		this.proposals = new Map(
			[...(from?.proposals.values() ?? [])].map((proposal) => [
				proposal.id,
				{
					...proposal,
					votes: [...proposal.votes],
					comments: [...proposal.comments],
					candidates: [...proposal.candidates]
				}
			])
		);
		this.delegations = [...(from?.delegations ?? [])];
		this.applied = new Set(from?.applied);
		this.closes = new Map(from?.closes);
	}

	clone(use: Use): GovernanceFold {
		return new GovernanceFold(use, this);
	}

	apply(entry: Verified<GovernanceRecord>, author: string | null, context: FoldContext): Outcome {
		const outcome = this.#judge(entry, author!, context);
		if (outcome.kind === 'accepted') this.version++;
		return outcome;
	}

	settle(wait: Wait): Settled {
		switch (wait.on) {
			case 'proposal':
				return this.proposals.has(wait.key)
					? { kind: 'rejected', reason: 'out-of-order', detail: 'stamped before its proposal' }
					: { kind: 'pending', reason: 'missing-proposal', detail: null };
			case 'close':
				return this.closes.has(wait.key)
					? { kind: 'rejected', reason: 'out-of-order', detail: 'stamped before its close' }
					: { kind: 'pending', reason: 'missing-close', detail: null };
			default:
				throw new UnexpectedWaitError(`governance never waits on ${wait.on}`);
		}
	}

	effect(effect: { readonly type: string }): boolean {
		throw new UnexpectedEffectError(`governance applies no effect (${effect.type})`);
	}

	#judge(entry: Verified<GovernanceRecord>, member: string, context: FoldContext): Outcome {
		const { record } = entry;
		switch (record.type) {
			case 'member.delegate':
				this.delegations.push({
					member,
					tag: record.tag,
					to: record.to === '' ? null : record.to,
					at: record.at,
					id: entry.id
				});
				return ACCEPTED;
			case 'proposal.open':
				return (
					context.after(record.after) ??
					this.#open(entry as Verified<GovernanceRecord<'proposal.open'>>, member)
				);
			case 'proposal.confirm':
				return this.#confirm(entry.id, record, member, context);
			case 'proposal.vote':
			case 'proposal.comment':
			case 'proposal.close': {
				const proposal = this.proposals.get(record.proposal);
				if (proposal === undefined) return waiting('proposal', record.proposal);
				switch (record.type) {
					case 'proposal.vote':
						return this.#vote(proposal, entry.id, record, member);
					case 'proposal.comment':
						proposal.comments.push({ id: entry.id, member, at: record.at, text: record.text });
						return ACCEPTED;
					case 'proposal.close':
						return (
							context.after(record.after) ??
							this.#close(proposal, entry.id, record, member, context)
						);
					default:
						return record satisfies never;
				}
			}
			default:
				return record satisfies never;
		}
	}

	#open(entry: Verified<GovernanceRecord<'proposal.open'>>, member: string): Outcome {
		const { record } = entry;
		if (record.action === 'remove' && !this.#members.isActive(record.subject)) {
			return rejected('bad-action', 'removes someone who is not an active member');
		}
		if (record.action === 'admit' && this.#members.owns(record.subject)) {
			return rejected('bad-action', 'admits a device that belongs to a member');
		}
		this.proposals.set(entry.id, {
			id: entry.id,
			record,
			member,
			eligible: this.#members.activeMembers().sort(),
			votes: [],
			comments: [],
			candidates: [],
			close: null
		});
		return ACCEPTED;
	}

	/** Applies a vote, if its choice fits the proposal. */
	#vote(
		proposal: ProposalDraft,
		id: string,
		record: GovernanceRecord<'proposal.vote'>,
		member: string
	): Outcome {
		if (!isValidChoice(proposal.record.kind, proposal.record.options.length, record.choice)) {
			return rejected('bad-choice');
		}
		proposal.votes.push({
			id,
			member,
			device: record.author,
			at: record.at,
			choice: record.choice,
			reason: record.reason
		});
		return ACCEPTED;
	}

	/**
	 * Counts a proposal with what its close record lists. It decides at once only if its writer
	 * is the only active member; otherwise it waits for another member's confirmation.
	 */
	#close(
		proposal: ProposalDraft,
		id: string,
		record: GovernanceRecord<'proposal.close'>,
		member: string,
		context: FoldContext
	): Outcome {
		if (proposal.close !== null) return rejected('superseded', 'the proposal is decided');
		const early = wallOf(record.at) < proposal.record.closesAt;
		if (early && member !== proposal.member) {
			return rejected('too-early', 'only its author closes it before time');
		}
		const listedVotes = new Set(record.votes);
		const listedDelegations = new Set(record.delegations);
		const votes = proposal.votes.filter((vote) => listedVotes.has(vote.id));
		const delegations = this.delegations.filter((d) => listedDelegations.has(d.id));
		const known = votes.length + delegations.length;
		const { result, ballots } = tallyOf(proposal, proposal.eligible, votes, delegations);
		const close: CloseEntry = {
			id,
			member,
			at: record.at,
			votes: listedVotes,
			delegations: listedDelegations,
			missing: listedVotes.size + listedDelegations.size - known,
			result,
			ballots
		};
		this.closes.set(id, proposal.id);
		// Only a co-op of one decides without a confirmation: nobody else could give one. (An
		// electorate of one in a larger co-op is what a back-dated proposal looks like.)
		const alone = this.#members.activeMembers().every((active) => active === member);
		if (alone) this.#decide(proposal, close, null, context);
		else proposal.candidates.push(close);
		return ACCEPTED;
	}

	/**
	 * A member other than the closer confirms a close: the first close confirmed decides, at the
	 * confirmation's place. Confirming the deciding close again changes nothing.
	 */
	#confirm(
		id: string,
		record: GovernanceRecord<'proposal.confirm'>,
		member: string,
		context: FoldContext
	): Outcome {
		const proposalId = this.closes.get(record.close);
		if (proposalId === undefined) return waiting('close', record.close);
		const proposal = this.proposals.get(proposalId)!;
		if (proposal.close !== null) {
			return proposal.close.id === record.close
				? ACCEPTED
				: rejected('superseded', 'another close decided the proposal');
		}
		const close = proposal.candidates.find((candidate) => candidate.id === record.close)!;
		if (close.member === member) return rejected('own-close', 'a close needs another member');
		this.#decide(proposal, close, { id, member, at: record.at }, context);
		return ACCEPTED;
	}

	#decide(
		proposal: ProposalDraft,
		close: CloseEntry,
		confirm: ConfirmEntry | null,
		context: FoldContext
	): void {
		proposal.close = { ...close, confirm, decidedAt: confirm?.at ?? close.at };
		// The other closes are superseded: none can decide any more.
		proposal.candidates = [];
		if (this.#act(proposal, context)) this.applied.add(proposal.id);
	}

	/**
	 * Has what a passed proposal decided carried out, at its decision's place in the order, by the
	 * area that owns it; true if it took effect.
	 */
	#act(proposal: ProposalDraft, context: FoldContext): boolean {
		const close = proposal.close;
		if (close === null || close.missing > 0 || close.result.outcome !== 'passed') return false;
		const { action, subject, value } = proposal.record;
		const at = close.decidedAt;
		switch (action) {
			case 'none':
				return false;
			case 'remove':
				return context.emit({
					type: 'member.remove',
					member: subject,
					at
				} satisfies MembershipEffect);
			case 'admit':
				return context.emit({
					type: 'member.admit',
					member: subject,
					at,
					invitedBy: proposal.member,
					displayName: value
				} satisfies MembershipEffect);
			case 'setting':
				return context.emit({
					type: 'settings.change',
					key: subject,
					value,
					at,
					proposal: proposal.id
				} satisfies SettingsEffect);
			case 'charter':
				return context.emit({
					type: 'settings.charter',
					text: value,
					at,
					proposal: proposal.id
				} satisfies SettingsEffect);
			default:
				return action satisfies never;
		}
	}

	/**
	 * What a close written now (or stamped `cut`) should list: the votes and delegations in force,
	 * among those stamped before the closing time (and before `cut`).
	 */
	inForce(proposal: ProposalDraft, cut?: Stamp): { votes: string[]; delegations: string[] } {
		const latest = latestVotes(proposal.eligible, inTime(proposal, proposal.votes, cut));
		const tags = new Set(['', proposal.record.tag]);
		const delegations = new Map<string, DelegationRecord>();
		for (const record of inTime(proposal, this.delegations, cut)) {
			if (tags.has(record.tag)) delegations.set(`${record.member}\u0000${record.tag}`, record);
		}
		return {
			votes: [...latest.values()].map((vote) => vote.id).sort(),
			delegations: [...delegations.values()].map((record) => record.id).sort()
		};
	}
}

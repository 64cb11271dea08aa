import {
	draftBuilder,
	line,
	paragraph,
	type DraftContext,
	type DraftResultIn
} from '../kernel/draft';
import { GOVERNANCE_RECORDS, type GovernanceBodies, type ProposalBody } from './records';
import { hasOptions } from './vocabulary';

/** Builders of the governance area's drafts from what a member typed (see `draftBuilder`). */

type Result<T extends keyof GovernanceBodies> = DraftResultIn<GovernanceBodies, T>;

const build = draftBuilder(GOVERNANCE_RECORDS);

/** What a member fills in to open a proposal; without an action, it is a plain decision. */
export type ProposalInput = Omit<ProposalBody, 'action' | 'subject' | 'value' | 'after'> &
	Partial<Pick<ProposalBody, 'action' | 'subject' | 'value'>>;

/**
 * A new proposal. Blank options are dropped; a consent proposal has none. `after` is the id of
 * the newest record the writing device holds that sorts before the stamp (`ProposalBody.after`).
 */
export function proposalDraft(
	context: DraftContext,
	input: ProposalInput,
	after: string
): Result<'proposal.open'> {
	const action = input.action ?? 'none';
	return build('proposal.open', context, {
		title: line(input.title),
		text: paragraph(input.text),
		kind: input.kind,
		options: hasOptions(input.kind) ? input.options.map(line).filter((o) => o !== '') : [],
		closesAt: input.closesAt,
		quorum: input.quorum,
		threshold: input.threshold,
		hidden: input.hidden,
		tag: line(input.tag),
		action,
		subject: (input.subject ?? '').trim(),
		value: action === 'charter' ? paragraph(input.value ?? '') : line(input.value ?? ''),
		after
	});
}

/** A vote (a later vote of the same member replaces it until the proposal closes). */
export function voteDraft(
	context: DraftContext,
	input: { readonly proposal: string; readonly choice: readonly number[]; readonly reason: string }
): Result<'proposal.vote'> {
	return build('proposal.vote', context, {
		proposal: input.proposal,
		choice: [...input.choice],
		reason: paragraph(input.reason)
	});
}

/** A comment in a proposal's thread. */
export function commentDraft(
	context: DraftContext,
	input: { readonly proposal: string; readonly text: string }
): Result<'proposal.comment'> {
	return build('proposal.comment', context, {
		proposal: input.proposal,
		text: paragraph(input.text)
	});
}

/** Closes a proposal, listing what counts (see `ProposalView.basis`); `after` as for a proposal. */
export function closeDraft(
	context: DraftContext,
	input: {
		readonly proposal: string;
		readonly votes: readonly string[];
		readonly delegations: readonly string[];
		readonly after: string;
	}
): Result<'proposal.close'> {
	return build('proposal.close', context, {
		proposal: input.proposal,
		votes: [...input.votes].sort(),
		delegations: [...input.delegations].sort(),
		after: input.after
	});
}

/** Confirms another member's close of a proposal (see docs/governance.md). */
export function confirmDraft(
	context: DraftContext,
	input: { readonly close: string }
): Result<'proposal.confirm'> {
	return build('proposal.confirm', context, { close: input.close });
}

/** Hands the author's vote to `to` (a member id) for proposals tagged `tag`, or all if empty. */
export function delegateDraft(
	context: DraftContext,
	input: { readonly to: string; readonly tag: string }
): Result<'member.delegate'> {
	return build('member.delegate', context, { to: input.to, tag: line(input.tag) });
}

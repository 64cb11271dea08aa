import type { Problem } from './field-checks';
import { hasOptions } from './governance-types';
import type { Stamp } from './hlc';
import { checkDraftShape } from './record-schemas';
import {
	RECORD_VERSION,
	type CoopSettings,
	type DraftOf,
	type ProposalBody,
	type RecordType
} from './record-types';

/**
 * Builders of unsigned records (drafts) from what a member typed. Text is tidied (Unicode NFC,
 * whitespace), then the draft is checked against the same schema peers' records are checked with.
 * Bad input comes back as a result naming the field, the problem and a message key for the UI;
 * only a draft that would pass verification is ever returned.
 */

/** Who writes, where, and when. `at` comes from the device's clock (`formatHlc(tick(...))`). */
export interface DraftContext {
	readonly coop: string;
	readonly author: string;
	readonly at: Stamp;
}

/** A draft, or what is wrong with the input. */
export type DraftResult<T extends RecordType> =
	| { readonly ok: true; readonly draft: DraftOf<T> }
	| {
			readonly ok: false;
			readonly field: string;
			readonly problem: Problem;
			/** e.g. `record_display_name_too_long`. */
			readonly messageKey: string;
	  };

/** Settings of a new co-op where the founder has not chosen otherwise. */
export const DEFAULT_SETTINGS: CoopSettings = Object.freeze({
	currency: 'EUR',
	locale: 'en',
	inviteDays: 7,
	inviteMaxUses: 1
});

const snake = (name: string): string =>
	name
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.replace(/[.-]/g, '_')
		.toLowerCase();

/** One line of text: NFC, runs of whitespace (newlines included) folded to one space, trimmed. */
export function line(text: string): string {
	return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Free text: NFC, Windows and old Mac line ends made `\n`, tabs made spaces, trimmed. */
export function paragraph(text: string): string {
	return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').trim();
}

function build<T extends RecordType>(
	type: T,
	context: DraftContext,
	body: Omit<DraftOf<T>, 'v' | 'type' | 'coop' | 'author' | 'at'>
): DraftResult<T> {
	const draft = {
		v: RECORD_VERSION,
		type,
		coop: context.coop,
		author: context.author,
		at: context.at,
		...body
	};
	const shape = checkDraftShape(draft);
	if (shape.ok) return { ok: true, draft: shape.value as DraftOf<T> };
	const { field, problem } = shape;
	return { ok: false, field, problem, messageKey: `record_${snake(field)}_${snake(problem)}` };
}

/** The genesis of a new co-op; `coop` and `salt` come from `newCoopId(author)`. */
export function genesisDraft(
	context: DraftContext,
	input: {
		readonly name: string;
		readonly created: number;
		readonly salt: string;
		readonly settings?: Partial<CoopSettings>;
	}
): DraftResult<'coop.genesis'> {
	return build('coop.genesis', context, {
		name: line(input.name),
		created: input.created,
		founder: context.author,
		salt: input.salt,
		settings: { ...DEFAULT_SETTINGS, ...input.settings }
	});
}

/** An invite; `inviteId` comes from `newInviteSecret()`, whose secret goes into the link. */
export function inviteDraft(
	context: DraftContext,
	input: { readonly inviteId: string; readonly expiresAt: number; readonly maxUses: number }
): DraftResult<'member.invite'> {
	return build('member.invite', context, { ...input });
}

/** Revokes an invite. */
export function inviteRevokeDraft(
	context: DraftContext,
	input: { readonly inviteId: string }
): DraftResult<'member.invite-revoked'> {
	return build('member.invite-revoked', context, { inviteId: input.inviteId });
}

/** A join; `inviteId` and `proof` come from `proveInvite(secret, coop, author)`. */
export function joinDraft(
	context: DraftContext,
	input: { readonly inviteId: string; readonly proof: string }
): DraftResult<'member.join'> {
	return build('member.join', context, { inviteId: input.inviteId, proof: input.proof });
}

/** Adds a device to the author's member; `consent` comes from `consentToLink` on the new device. */
export function deviceLinkDraft(
	context: DraftContext,
	input: { readonly member: string; readonly device: string; readonly consent: string }
): DraftResult<'member.device-link'> {
	return build('member.device-link', context, { ...input });
}

/** A member's whole profile (each profile record replaces the previous one). */
export function profileDraft(
	context: DraftContext,
	input: {
		readonly displayName: string;
		readonly bio: string;
		readonly skills: readonly string[];
		readonly contact: string;
	}
): DraftResult<'member.profile'> {
	const seen = new Set<string>();
	const skills: string[] = [];
	for (const raw of input.skills) {
		const skill = line(raw);
		const folded = skill.toLowerCase();
		if (skill === '' || seen.has(folded)) continue;
		seen.add(folded);
		skills.push(skill);
	}
	return build('member.profile', context, {
		displayName: line(input.displayName),
		bio: paragraph(input.bio),
		skills,
		contact: paragraph(input.contact)
	});
}

/** The author's member leaves the co-op (all of its devices stop counting). */
export function leaveDraft(context: DraftContext): DraftResult<'member.leave'> {
	return build('member.leave', context, {});
}

/** What a member fills in to open a proposal; without an action, it is a plain decision. */
export type ProposalInput = Omit<ProposalBody, 'action' | 'subject' | 'value'> &
	Partial<Pick<ProposalBody, 'action' | 'subject' | 'value'>>;

/** A new proposal. Blank options are dropped; a consent proposal has none. */
export function proposalDraft(
	context: DraftContext,
	input: ProposalInput
): DraftResult<'proposal.open'> {
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
		value: action === 'charter' ? paragraph(input.value ?? '') : line(input.value ?? '')
	});
}

/** A vote (a later vote of the same member replaces it until the proposal closes). */
export function voteDraft(
	context: DraftContext,
	input: { readonly proposal: string; readonly choice: readonly number[]; readonly reason: string }
): DraftResult<'proposal.vote'> {
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
): DraftResult<'proposal.comment'> {
	return build('proposal.comment', context, {
		proposal: input.proposal,
		text: paragraph(input.text)
	});
}

/** Closes a proposal, listing what counts (see `ProposalView.basis`). */
export function closeDraft(
	context: DraftContext,
	input: {
		readonly proposal: string;
		readonly eligible: readonly string[];
		readonly votes: readonly string[];
		readonly delegations: readonly string[];
	}
): DraftResult<'proposal.close'> {
	return build('proposal.close', context, {
		proposal: input.proposal,
		eligible: [...input.eligible].sort(),
		votes: [...input.votes].sort(),
		delegations: [...input.delegations].sort()
	});
}

/** Hands the author's vote to `to` (a member id) for proposals tagged `tag`, or all if empty. */
export function delegateDraft(
	context: DraftContext,
	input: { readonly to: string; readonly tag: string }
): DraftResult<'member.delegate'> {
	return build('member.delegate', context, { to: input.to, tag: line(input.tag) });
}

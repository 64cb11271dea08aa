import {
	draftBuilder,
	line,
	paragraph,
	type DraftContext,
	type DraftResultIn
} from '../kernel/draft';
import { MEMBERSHIP_RECORDS, type MembershipBodies } from './records';

/** Builders of the membership area's drafts from what a member typed (see `draftBuilder`). */

type Result<T extends keyof MembershipBodies> = DraftResultIn<MembershipBodies, T>;

const build = draftBuilder(MEMBERSHIP_RECORDS);

/** An invite; `inviteId` comes from `newInviteSecret()`, whose secret goes into the link. */
export function inviteDraft(
	context: DraftContext,
	input: { readonly inviteId: string; readonly expiresAt: number; readonly maxUses: number }
): Result<'member.invite'> {
	return build('member.invite', context, { ...input });
}

/** Revokes an invite. */
export function inviteRevokeDraft(
	context: DraftContext,
	input: { readonly inviteId: string }
): Result<'member.invite-revoked'> {
	return build('member.invite-revoked', context, { inviteId: input.inviteId });
}

/** A join; `inviteId` and `proof` come from `proveInvite(secret, coop, author)`. */
export function joinDraft(
	context: DraftContext,
	input: { readonly inviteId: string; readonly proof: string }
): Result<'member.join'> {
	return build('member.join', context, { inviteId: input.inviteId, proof: input.proof });
}

/** Adds a device to the author's member; `consent` comes from `consentToLink` on the new device. */
export function deviceLinkDraft(
	context: DraftContext,
	input: { readonly member: string; readonly device: string; readonly consent: string }
): Result<'member.device-link'> {
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
): Result<'member.profile'> {
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
export function leaveDraft(context: DraftContext): Result<'member.leave'> {
	return build('member.leave', context, {});
}

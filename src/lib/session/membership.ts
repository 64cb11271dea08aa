import {
	inviteIsOpen,
	memberOfDevice,
	type InviteView,
	type Member
} from '$lib/domain/membership/view';
import type { CoopState } from '$lib/domain/coop-state';

/** Why an invite does not let this device in. */
export type RefusalReason = 'invite-expired' | 'invite-revoked' | 'invite-used-up' | 'refused';

/** Where this device stands in a co-op. */
export type Membership =
	| { readonly kind: 'member'; readonly member: Member }
	/** Left, or removed by a decision (`member.status` tells which). */
	| { readonly kind: 'left'; readonly member: Member }
	/** Opened from an invite or link; what it needs has not synced yet. */
	| { readonly kind: 'waiting' }
	/** The join (or link request) is written; the co-op has not counted it yet. */
	| { readonly kind: 'joining' }
	/** The invite is there and open: the join can be written now. */
	| { readonly kind: 'can-join'; readonly invite: InviteView }
	| { readonly kind: 'refused'; readonly reason: RefusalReason }
	/** Not a member and nothing pending (the device has the room key only). */
	| { readonly kind: 'outsider' };

const REFUSALS: ReadonlySet<string> = new Set([
	'invite-expired',
	'invite-revoked',
	'invite-used-up'
]);

function refusal(reason: string): RefusalReason {
	return REFUSALS.has(reason) ? (reason as RefusalReason) : 'refused';
}

/** Why an invite that is in the roster no longer admits anyone. */
function closedBecause(invite: InviteView): RefusalReason {
	if (invite.revoked) return 'invite-revoked';
	if (invite.usesLeft <= 0) return 'invite-used-up';
	return 'invite-expired';
}

/**
 * Where `device` stands, from the roster. `pending` says what the device asked for: a join with
 * an invite (by its id), a link, or nothing. A join this device wrote and the co-op refused (the
 * last use went to an earlier join) is found in the integrity report.
 */
export function membershipOf(
	roster: CoopState,
	device: string,
	pending: { readonly kind: 'join'; readonly inviteId: string } | { readonly kind: 'link' } | null,
	now: number
): Membership {
	const member = memberOfDevice(roster, device);
	if (member !== undefined) {
		return member.status === 'active' ? { kind: 'member', member } : { kind: 'left', member };
	}
	const ownJoin = (entry: { readonly author: string | null; readonly type: string | null }) =>
		entry.author === device && entry.type === 'member.join';
	const refused = roster.integrity.rejections.find(ownJoin);
	if (refused !== undefined) return { kind: 'refused', reason: refusal(refused.reason) };
	if (roster.integrity.waiting.some(ownJoin)) return { kind: 'joining' };
	if (pending === null) return { kind: 'outsider' };
	if (pending.kind === 'link') return { kind: 'joining' };
	const invite = roster.invites.find((entry) => entry.inviteId === pending.inviteId);
	if (invite === undefined || roster.coop === null) return { kind: 'waiting' };
	if (!inviteIsOpen(invite, now)) return { kind: 'refused', reason: closedBecause(invite) };
	return { kind: 'can-join', invite };
}

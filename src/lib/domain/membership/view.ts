import type { Stamp } from '../kernel/hlc';
import type { InviteDraft, MemberDraft, MemberStatus, MembershipFold } from './fold';

export type { MemberStatus } from './fold';

/**
 * A member: one person (or organisation) with one or more device keys. The member id is the key
 * of the device that founded or joined; it stays the member's id whatever devices are added.
 */
export interface Member {
	readonly id: string;
	/** Empty until the member writes a profile. */
	readonly displayName: string;
	readonly bio: string;
	readonly skills: readonly string[];
	readonly contact: string;
	readonly joinedAt: Stamp;
	/** Member id of the invite's issuer; `null` for the founder. */
	readonly invitedBy: string | null;
	/** The invite used to join; `null` for the founder. */
	readonly inviteId: string | null;
	/** Device keys, in the order they were added; the first is the member id. */
	readonly devices: readonly string[];
	readonly status: MemberStatus;
	readonly leftAt: Stamp | null;
	/** Stamp of the profile record shown, `null` if none. */
	readonly profileAt: Stamp | null;
}

/** An invite and how much of it is left. Expiry is a time: compare it with the clock to use it. */
export interface InviteView {
	readonly inviteId: string;
	/** Member id of the issuer. */
	readonly issuer: string;
	/** Device that signed the invite. */
	readonly issuedBy: string;
	readonly at: Stamp;
	/** ms since the epoch. */
	readonly expiresAt: number;
	readonly maxUses: number;
	readonly usesLeft: number;
	/** Member ids admitted with this invite, in (at, id) order. */
	readonly usedBy: readonly string[];
	/** True once revoked, or once its issuer has left. */
	readonly revoked: boolean;
	readonly revokedAt: Stamp | null;
}

/** The membership area's read model. */
export interface MembershipView {
	/** In the order they joined. */
	readonly members: readonly Member[];
	/** In the order they were issued. */
	readonly invites: readonly InviteView[];
}

function memberView(member: MemberDraft): Member {
	return { ...member, skills: [...member.skills], devices: [...member.devices] };
}

function inviteView(invite: InviteDraft, members: ReadonlyMap<string, MemberDraft>): InviteView {
	const issuerLeftAt = members.get(invite.issuer)?.leftAt ?? null;
	const stamps = [invite.revokedAt, issuerLeftAt].filter((stamp) => stamp !== null).sort();
	return {
		inviteId: invite.inviteId,
		issuer: invite.issuer,
		issuedBy: invite.issuedBy,
		at: invite.at,
		expiresAt: invite.expiresAt,
		maxUses: invite.maxUses,
		usesLeft: invite.maxUses - invite.usedBy.length,
		usedBy: [...invite.usedBy],
		revoked: stamps.length > 0,
		revokedAt: stamps[0] ?? null
	};
}

const views = new WeakMap<MembershipFold, { version: number; view: MembershipView }>();

/** Members and invites as the pages show them; built once per version of the fold. */
export function membershipView(fold: MembershipFold): MembershipView {
	const cached = views.get(fold);
	if (cached?.version === fold.version) return cached.view;
	const view: MembershipView = {
		members: [...fold.members.values()].map(memberView),
		invites: [...fold.invites.values()].map((invite) => inviteView(invite, fold.members))
	};
	views.set(fold, { version: fold.version, view });
	return view;
}

/** True if an invite can still admit someone at time `now` (ms since the epoch). */
export function inviteIsOpen(invite: InviteView, now: number): boolean {
	return !invite.revoked && invite.usesLeft > 0 && now < invite.expiresAt;
}

/** Each view's members by device key, made when first asked: pages ask once per row. */
const byDevice = new WeakMap<readonly Member[], Map<string, Member>>();

/** The member a device key belongs to, active or not (the first listed, as `find` would). */
export function memberOfDevice(state: MembershipView, device: string): Member | undefined {
	let index = byDevice.get(state.members);
	if (index === undefined) {
		index = new Map();
		for (const member of state.members) {
			for (const key of member.devices) if (!index.has(key)) index.set(key, member);
		}
		byDevice.set(state.members, index);
	}
	return index.get(device);
}

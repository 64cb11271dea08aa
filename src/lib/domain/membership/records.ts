import type { SignedUnion } from '../kernel/envelope';
import { integer, tagList, text } from '../kernel/field-checks';
import { MAX_WALL, wallOf } from '../kernel/hlc';
import { LIMITS } from '../kernel/limits';
import type { RecordKinds } from '../kernel/module';
import { publicKey, signature } from '../kernel/shape';
import { verifyJoinProof, verifyLinkConsent } from './proofs';

/** The records of the membership area: invites, joins, devices, profiles, leaving. See docs/records.md. */

export interface InviteBody {
	/** The invite's public key, derived from its secret; also its name. */
	readonly inviteId: string;
	/** ms since the epoch; a join stamped at or after it does not count. */
	readonly expiresAt: number;
	readonly maxUses: number;
}

export interface InviteRevokedBody {
	readonly inviteId: string;
}

export interface JoinBody {
	readonly inviteId: string;
	/** Signature by the invite's key over (coop, inviteId, joining device). */
	readonly proof: string;
}

export interface DeviceLinkBody {
	/** The member the new device joins; the author must be one of its devices. */
	readonly member: string;
	/** The new device's public key. */
	readonly device: string;
	/** Signature by the new device over (coop, member, device). */
	readonly consent: string;
}

export interface ProfileBody {
	readonly displayName: string;
	readonly bio: string;
	readonly skills: readonly string[];
	readonly contact: string;
}

/** A member leaving has nothing to say beyond the envelope. */
export type LeaveBody = Readonly<Record<never, never>>;

export interface MembershipBodies {
	'member.invite': InviteBody;
	'member.invite-revoked': InviteRevokedBody;
	'member.join': JoinBody;
	'member.device-link': DeviceLinkBody;
	'member.profile': ProfileBody;
	'member.leave': LeaveBody;
}

export type MembershipType = keyof MembershipBodies;
export type MembershipRecord<T extends MembershipType = MembershipType> = SignedUnion<
	MembershipBodies,
	T
>;

export const MEMBERSHIP_RECORDS: RecordKinds<MembershipBodies> = {
	'member.invite': {
		body: {
			inviteId: publicKey,
			expiresAt: integer(0, MAX_WALL),
			maxUses: integer(1, LIMITS.inviteUses)
		},
		// The fold notes every invite id, whoever wrote it, before it resolves the author.
		author: 'any',
		cross: (draft) => {
			const lifetime = draft.expiresAt - wallOf(draft.at);
			return lifetime > 0 && lifetime <= LIMITS.inviteLifetimeMs
				? null
				: { field: 'expiresAt', problem: 'out-of-range' };
		}
	},
	'member.invite-revoked': { body: { inviteId: publicKey }, author: 'member' },
	'member.join': {
		body: { inviteId: publicKey, proof: signature },
		// A joining device is nobody yet: its invite vouches for it.
		author: 'any',
		proof: async (record) => ((await verifyJoinProof(record)) ? null : 'bad-proof')
	},
	'member.device-link': {
		body: { member: publicKey, device: publicKey, consent: signature },
		author: 'member',
		// A device cannot vouch for itself: the link must come from a device already in the member.
		cross: (draft) =>
			draft.device === draft.author ? { field: 'device', problem: 'mismatch' } : null,
		proof: async (record) => ((await verifyLinkConsent(record)) ? null : 'bad-consent')
	},
	'member.profile': {
		body: {
			displayName: text({ min: 1, max: LIMITS.displayName }),
			bio: text({ max: LIMITS.bio, multiline: true }),
			skills: tagList(LIMITS.skills, LIMITS.skill),
			contact: text({ max: LIMITS.contact, multiline: true })
		},
		author: 'member'
	},
	'member.leave': { body: {}, author: 'member' }
};

import type { ProposalAction, ProposalKind, Threshold } from './governance-types';
import type { Stamp } from './hlc';

/**
 * The records of the membership and governance layers. Every record is plain JSON:
 * `{ v: 1, type, coop, author, at, ...body, sig }`. See docs/records.md.
 */

export const RECORD_VERSION = 1;

export const RECORD_TYPES = [
	'coop.genesis',
	'member.invite',
	'member.invite-revoked',
	'member.join',
	'member.device-link',
	'member.profile',
	'member.leave',
	'member.delegate',
	'proposal.open',
	'proposal.vote',
	'proposal.comment',
	'proposal.close'
] as const;

export type RecordType = (typeof RECORD_TYPES)[number];

/** Co-op-wide defaults fixed at founding. */
export interface CoopSettings {
	/** ISO 4217 code of the co-op's currency. */
	readonly currency: string;
	/** BCP 47 tag of the co-op's working language. */
	readonly locale: string;
	/** Default lifetime of a new invite, in days. */
	readonly inviteDays: number;
	/** Default number of uses of a new invite. */
	readonly inviteMaxUses: number;
}

export interface GenesisBody {
	readonly name: string;
	/** Founding time, ms since the epoch. */
	readonly created: number;
	/** The founder's member id: equal to `author`. */
	readonly founder: string;
	/** Random salt that, with the founder's key, derives the co-op id. */
	readonly salt: string;
	readonly settings: CoopSettings;
}

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

/**
 * A member hands their vote to another member, on every proposal (`tag` empty) or on proposals
 * with one tag, until a later record replaces it; `to` empty revokes.
 */
export interface DelegateBody {
	readonly to: string;
	readonly tag: string;
}

/** A proposal, open from its stamp until `closesAt`. See docs/governance.md. */
export interface ProposalBody {
	readonly title: string;
	readonly text: string;
	readonly kind: ProposalKind;
	/** Option labels; empty for a consent proposal. */
	readonly options: readonly string[];
	/** ms since the epoch. */
	readonly closesAt: number;
	/** Percent of the members eligible at opening who must take part. */
	readonly quorum: number;
	readonly threshold: Threshold;
	/** True if the tally is shown only once the proposal is closed. */
	readonly hidden: boolean;
	/** A topic for delegations by tag; empty for none. */
	readonly tag: string;
	/** What a passed consent proposal changes in the co-op; `none` for a plain decision. */
	readonly action: ProposalAction;
	/** Admit: the applicant's device key. Remove: the member id. Setting: its key. Else empty. */
	readonly subject: string;
	/** Admit: the applicant's name. Setting: the new value. Charter: the new text. Else empty. */
	readonly value: string;
}

export interface VoteBody {
	/** Id of the `proposal.open` record. */
	readonly proposal: string;
	/** See `Choice` in governance-types.ts. */
	readonly choice: readonly number[];
	readonly reason: string;
}

export interface CommentBody {
	readonly proposal: string;
	readonly text: string;
}

/**
 * Closes a proposal and fixes what counts: its electorate (member ids) and the ids of the votes
 * and delegations in force when it was written, each ascending. Anything else, arriving later or
 * back-dated, never counts.
 */
export interface CloseBody {
	readonly proposal: string;
	readonly eligible: readonly string[];
	readonly votes: readonly string[];
	readonly delegations: readonly string[];
}

export interface RecordBodies {
	'coop.genesis': GenesisBody;
	'member.invite': InviteBody;
	'member.invite-revoked': InviteRevokedBody;
	'member.join': JoinBody;
	'member.device-link': DeviceLinkBody;
	'member.profile': ProfileBody;
	'member.leave': LeaveBody;
	'member.delegate': DelegateBody;
	'proposal.open': ProposalBody;
	'proposal.vote': VoteBody;
	'proposal.comment': CommentBody;
	'proposal.close': CloseBody;
}

export interface Envelope<T extends RecordType = RecordType> {
	readonly v: typeof RECORD_VERSION;
	readonly type: T;
	/** The co-op id (22 base64url characters). */
	readonly coop: string;
	/** The signing device's Ed25519 public key (43 base64url characters). */
	readonly author: string;
	/** Hybrid logical clock stamp. */
	readonly at: Stamp;
}

/** An unsigned record of type `T`. */
export type DraftOf<T extends RecordType> = Envelope<T> & RecordBodies[T];

/** A signed record of type `T`. */
export type SignedOf<T extends RecordType> = DraftOf<T> & { readonly sig: string };

/** Any unsigned record of the types in `T`, as a union that narrows on `type`. */
export type RecordDraft<T extends RecordType = RecordType> = { [K in T]: DraftOf<K> }[T];

/** Any signed record of the types in `T` (shape-checked, not necessarily verified). */
export type SignedRecord<T extends RecordType = RecordType> = { [K in T]: SignedOf<K> }[T];

declare const verified: unique symbol;

/**
 * A record whose shape, id, signature, proofs and co-op have been checked (see `verifyRecord`).
 * Only `verifyRecord` makes these, so a projection that takes them cannot be fed unchecked data.
 * `record` is a deep-frozen copy, independent of the object that was verified.
 */
export interface VerifiedRecord<T extends RecordType = RecordType> {
	readonly id: string;
	readonly record: SignedRecord<T>;
	readonly [verified]: true;
}

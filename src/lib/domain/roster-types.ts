import type { GovernanceState } from './governance-view';
import type { Stamp } from './hlc';
import type { Rejection } from './reasons';
import type { CoopSettings } from './record-types';

/** The co-op as founded by its genesis record. */
export interface CoopInfo {
	readonly id: string;
	readonly name: string;
	readonly created: number;
	/** The founder's member id. */
	readonly founder: string;
	readonly settings: CoopSettings;
	readonly at: Stamp;
	/** Id of the genesis record. */
	readonly genesisId: string;
}

/** `removed`: by a decision of the co-op (a passed remove proposal). */
export type MemberStatus = 'active' | 'left' | 'removed';

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

/**
 * What was checked and what did not count. `checked = accepted + rejected + pending`.
 * Both lists are sorted by record id, so two devices with the same records show the same report.
 */
export interface IntegrityReport {
	readonly checked: number;
	readonly accepted: number;
	readonly rejected: number;
	readonly pending: number;
	readonly rejections: readonly Rejection[];
	/** Records waiting for something they depend on, with what they wait for. */
	readonly waiting: readonly Rejection[];
}

/** The roster projection of a co-op: plain, frozen data. */
export interface RosterState {
	readonly coop: CoopInfo | null;
	/** In the order they joined. */
	readonly members: readonly Member[];
	/** In the order they were issued. */
	readonly invites: readonly InviteView[];
	readonly integrity: IntegrityReport;
	/** Proposals, delegations, charter and decided settings. */
	readonly governance: GovernanceState;
}

import type { SyncStatus } from '$lib/sync/sync-status';
import type { Membership } from './membership';

/**
 * Why a join (or a device link) opened from a link cannot succeed, judged from what the device
 * sees, so that it says so instead of waiting forever:
 * - `invite-unknown`: the device has synced with a peer that holds the co-op's records (its
 *   genesis is known) and no invite matches the link's secret: the invite token was altered, or
 *   the invite never reached the members. Revoked, used-up and expired invites are found by the
 *   roster itself (`membershipOf`).
 * - `wrong-key`: messages keep arriving in the co-op's room that do not decrypt with the link's
 *   room key, and no peer connects: the devices there hold another key.
 */
export type JoinProblem = 'invite-unknown' | 'wrong-key';

/** What the judgement looks at. */
export interface JoinFacts {
	readonly membership: Membership;
	/** Whether the co-op's genesis record is known here, so its records have arrived. */
	readonly genesisKnown: boolean;
	readonly status: SyncStatus;
	/** When the device first found itself in sync with a peer, if ever. */
	readonly reachedAt: number | null;
	readonly now: number;
}

/**
 * After syncing with a peer, records are checked before they count: the invite may be judged a
 * moment after the genesis. An unknown invite is reported only once this has passed.
 */
export const SETTLE_MS = 2000;

/** Undecryptable messages with no peer connected, from which the key is judged wrong. */
export const WRONG_KEY_AFTER = 2;

/** The problem that keeps this join from succeeding, or null while it may still succeed. */
export function joinProblem(facts: JoinFacts): JoinProblem | null {
	const { membership, genesisKnown, status, reachedAt, now } = facts;
	if (membership.kind === 'member' || membership.kind === 'left') return null;
	if (!genesisKnown && status.peers === 0 && status.ignored >= WRONG_KEY_AFTER) {
		return 'wrong-key';
	}
	if (
		membership.kind === 'waiting' &&
		genesisKnown &&
		reachedAt !== null &&
		now - reachedAt >= SETTLE_MS
	) {
		return 'invite-unknown';
	}
	return null;
}

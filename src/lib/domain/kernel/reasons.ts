/**
 * Why a record does not count. Codes are stable strings: the UI translates them and members
 * compare integrity reports across devices. See docs/records.md for each code.
 */

/** Found by `verifyRecord`, from the record alone: the record can never count. */
export const VERIFY_REASONS = [
	'invalid-shape',
	'too-large',
	'hash-mismatch',
	'bad-signature',
	'wrong-coop',
	'bad-proof',
	'bad-consent'
] as const;

/** Found by a projection, from the record and those before it in (at, id) order. */
export const RULE_REASONS = [
	'not-a-member',
	'already-member',
	'invite-expired',
	'invite-used-up',
	'invite-revoked',
	'duplicate',
	'out-of-order',
	'bad-choice',
	'bad-action',
	'too-early',
	'back-dated',
	'own-close',
	'superseded',
	'unknown-type',
	'not-bookkeeper',
	'wrong-currency',
	'not-money',
	'unbalanced',
	'bad-account',
	'bad-share',
	'bad-reversal',
	'bad-allocation',
	'overflow',
	'unknown-item',
	'job-closed',
	'job-taken',
	'not-assigned',
	'not-poster',
	'not-dispatcher',
	'wrong-rule',
	'not-in-turn',
	'missing-skills',
	'unavailable',
	'over-weekly-hours',
	'over-daily-hours',
	'bad-hours',
	'shift-full',
	'not-an-occurrence',
	'too-late',
	'not-asked',
	'digest-mismatch',
	'unknown-skill',
	'too-many-skills',
	'self-endorsement',
	'not-endorser',
	'self-pair',
	'pair-not-accepted',
	'not-in-pair',
	'job-not-done',
	'not-on-job',
	'self-feedback',
	'own-round',
	'round-closed'
] as const;

/** A record waits: something it depends on has not arrived (and may still). */
export const PENDING_REASONS = [
	'missing-genesis',
	'unknown-author',
	'missing-invite',
	'missing-proposal',
	'missing-record',
	'missing-close',
	'future'
] as const;

export type VerifyReason = (typeof VERIFY_REASONS)[number];
export type RuleReason = (typeof RULE_REASONS)[number];
export type PendingReason = (typeof PENDING_REASONS)[number];
export type ReasonCode = VerifyReason | RuleReason | PendingReason;

/**
 * A record that does not count (or not yet), with what it claims to be. For verification failures
 * `type`, `author` and `at` are as claimed by the record and may themselves be forged.
 */
export interface Rejection {
	/** The key the record was stored under (its id, if the record is honest). */
	readonly id: string;
	readonly reason: ReasonCode;
	readonly type: string | null;
	readonly author: string | null;
	readonly at: string | null;
	/** The field and problem for `invalid-shape`, or a short note for rule failures. */
	readonly detail: string | null;
}

/** Claimed strings longer than this are not echoed into reports. */
const MAX_ECHO = 100;

function claimed(value: unknown, key: string): string | null {
	if (typeof value !== 'object' || value === null) return null;
	try {
		const field: unknown = Object.getOwnPropertyDescriptor(value, key)?.value;
		return typeof field === 'string' && field.length <= MAX_ECHO ? field : null;
	} catch {
		// Only a hostile in-process object throws here; it simply claims nothing.
		return null;
	}
}

/** A rejection for an untrusted value, echoing what it claims to be. */
export function rejectionOf(
	id: string,
	value: unknown,
	reason: ReasonCode,
	detail: string | null = null
): Rejection {
	return {
		id,
		reason,
		type: claimed(value, 'type'),
		author: claimed(value, 'author'),
		at: claimed(value, 'at'),
		detail
	};
}

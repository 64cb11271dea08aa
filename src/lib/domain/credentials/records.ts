import type { SignedUnion } from '../kernel/envelope';
import { boolean, format, integer, list, optional, text } from '../kernel/field-checks';
import { MAX_WALL } from '../kernel/hlc';
import { LIMITS } from '../kernel/limits';
import type { RecordKinds } from '../kernel/module';
import { publicKey, recordIdCheck } from '../kernel/shape';
import { MAX_CO_SIGNERS } from '../settings/values';

/**
 * The records of the credentials area: a member asks colleagues to co-sign a credential of their
 * work, and each asked member signs it or declines. The credential itself is not stored: every
 * device builds the same unsigned credential from the co-op's records and the request (see
 * docs/reputation.md), and the request carries its digest, so a signer whose device shows
 * something else cannot sign by mistake. See docs/records.md.
 */

/** Co-signers one request may ask (the most the co-op's setting can require). */
export { MAX_CO_SIGNERS };

export interface CredentialRequestBody {
	/** Member ids asked to co-sign, ascending. */
	readonly signers: readonly string[];
	/** base64url SHA-256 of the canonical unsigned credential. */
	readonly digest: string;
	/** Work that ended before this time (ms since the epoch) is counted; also the issue time. */
	readonly cutoff: number;
	/** The names as the credential writes them. */
	readonly coopName: string;
	readonly memberName: string;
	/**
	 * Whether the credential carries the skills with their endorsements and the feedback summary;
	 * requests signed before the field existed leave it out and carry none.
	 */
	readonly reputation?: boolean;
}

export interface CredentialSignBody {
	/** The request's record id. */
	readonly request: string;
	/** The digest signed: the request's. */
	readonly digest: string;
	/** The proof's `created` (XML Schema dateTime, UTC, to the second). */
	readonly created: string;
	/** The eddsa-jcs-2022 proof value by the author's device key (base58btc, `z...`). */
	readonly proofValue: string;
}

export interface CredentialDeclineBody {
	readonly request: string;
	readonly reason: string;
}

export interface CredentialsBodies {
	'credential.request': CredentialRequestBody;
	'credential.sign': CredentialSignBody;
	'credential.decline': CredentialDeclineBody;
}

export type CredentialsType = keyof CredentialsBodies;
export type CredentialsRecord<T extends CredentialsType = CredentialsType> = SignedUnion<
	CredentialsBodies,
	T
>;

const dateTime = format(
	(value) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(value) && Number.isFinite(Date.parse(value)),
	20
);
const proofValue = format((value) => /^z[1-9A-HJ-NP-Za-km-z]{80,90}$/.test(value), 91);

export const CREDENTIALS_RECORDS: RecordKinds<CredentialsBodies> = {
	'credential.request': {
		body: {
			signers: list(publicKey, MAX_CO_SIGNERS, { ascending: true }),
			digest: recordIdCheck,
			cutoff: integer(0, MAX_WALL),
			coopName: text({ min: 1, max: LIMITS.coopName }),
			memberName: text({ min: 1, max: LIMITS.displayName }),
			reputation: optional(boolean)
		},
		author: 'member',
		cross: (draft) => (draft.signers.length === 0 ? { field: 'signers', problem: 'empty' } : null)
	},
	'credential.sign': {
		body: { request: recordIdCheck, digest: recordIdCheck, created: dateTime, proofValue },
		author: 'member'
	},
	'credential.decline': {
		body: { request: recordIdCheck, reason: text({ max: LIMITS.reason, multiline: true }) },
		author: 'member'
	}
};

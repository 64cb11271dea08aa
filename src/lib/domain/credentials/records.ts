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

/**
 * A credential from elsewhere, presented by the author's member to this co-op: a W3C Verifiable
 * Presentation as JSON text, signed by the key the credential names and bound to this co-op and
 * member. Only its shape is checked here; every device verifies it before showing anything of it
 * (docs/reputation.md, "Presenting a record").
 */
export interface CredentialPresentBody {
	readonly presentation: string;
}

export interface CredentialsBodies {
	'credential.request': CredentialRequestBody;
	'credential.sign': CredentialSignBody;
	'credential.decline': CredentialDeclineBody;
	'credential.present': CredentialPresentBody;
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
/** Characters of a presentation's JSON text (a credential listing 1,000 jobs takes ~110 k). */
export const MAX_PRESENTATION_CHARS = 120 * 1024;
/** Canonical bytes of a whole `credential.present` record: the text once its quotes are escaped. */
export const PRESENTATION_RECORD_BYTES = 160 * 1024;

function isPlainJsonObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON text of one object typed `VerifiablePresentation`, carrying a credential and a proof. */
export function isPresentationText(value: string): boolean {
	let parsed: unknown;
	try {
		parsed = JSON.parse(value);
	} catch {
		return false;
	}
	if (!isPlainJsonObject(parsed)) return false;
	const type = parsed['type'];
	const types = Array.isArray(type) ? type : [type];
	const embedded = parsed['verifiableCredential'];
	return (
		types.includes('VerifiablePresentation') &&
		typeof parsed['holder'] === 'string' &&
		(isPlainJsonObject(embedded) || (Array.isArray(embedded) && embedded.length === 1)) &&
		parsed['proof'] !== undefined
	);
}

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
	},
	'credential.present': {
		body: { presentation: format(isPresentationText, MAX_PRESENTATION_CHARS) },
		author: 'member',
		maxBytes: PRESENTATION_RECORD_BYTES
	}
};

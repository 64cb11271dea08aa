import { canonicalBytes } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import type { SigningKey } from '$lib/crypto/keys';
import { signBytes } from '$lib/crypto/sign';
import type { Problem } from './field-checks';
import { deepFreeze } from './freeze';
import { checkDraftShape } from './record-schemas';
import type {
	DraftOf,
	Envelope,
	RecordDraft,
	RecordType,
	SignedOf,
	SignedRecord
} from './record-types';

/**
 * Signing and naming records.
 * - `sig` is Ed25519 over the canonical JSON (RFC 8785) of the record without `sig`.
 * - The id is base64url SHA-256 of the canonical JSON of the whole record, `sig` included, so
 *   an id names exactly one signed record, and a stored entry whose key is not that hash is junk.
 */

/** A draft given to `signRecord` does not pass its schema (drafts from the builders always do). */
export class InvalidDraftError extends Error {
	override name = 'InvalidDraftError';
	constructor(
		readonly field: string,
		readonly problem: Problem
	) {
		super(`Draft field ${field}: ${problem}`);
	}
}

/** The key given to `signRecord` is not the draft's author. */
export class AuthorMismatchError extends Error {
	override name = 'AuthorMismatchError';
}

/** The record without its signature: the part that is signed. */
export function unsignedPart(record: SignedRecord): RecordDraft {
	return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'sig')) as RecordDraft;
}

/** The id of a signed record: base64url SHA-256 of its canonical JSON. */
export async function recordId(record: Envelope & { readonly sig: string }): Promise<string> {
	return sha256Base64url(canonicalBytes(record));
}

/** Signs a draft with the author's key; returns the record and its id. */
export async function signRecord<T extends RecordType>(
	draft: DraftOf<T>,
	key: SigningKey
): Promise<{ id: string; record: SignedOf<T> }> {
	const shape = checkDraftShape(draft);
	if (!shape.ok) throw new InvalidDraftError(shape.field, shape.problem);
	if (draft.author !== key.publicKey) {
		throw new AuthorMismatchError('A record is signed by its author, and by nobody else');
	}
	const sig = await signBytes(key.privateKey, canonicalBytes(draft));
	const record = deepFreeze({ ...draft, sig });
	return { id: await recordId(record), record };
}

/** Order of records for every projection: by stamp, then by id. */
export function compareRecords(
	a: { readonly id: string; readonly record: { readonly at: string } },
	b: { readonly id: string; readonly record: { readonly at: string } }
): number {
	if (a.record.at !== b.record.at) return a.record.at < b.record.at ? -1 : 1;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}

import { canonicalBytes } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import type { SigningKey } from '$lib/crypto/keys';
import { signBytes } from '$lib/crypto/sign';
import type { Envelope, SignedEnvelope } from './envelope';
import type { Problem } from './field-checks';
import { deepFreeze } from './freeze';
import type { Shapes } from './shape';

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
export function unsignedPart<R extends SignedEnvelope>(record: R): Omit<R, 'sig'> {
	return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'sig')) as Omit<
		R,
		'sig'
	>;
}

/** The id of a signed record: base64url SHA-256 of its canonical JSON. */
export async function recordId(record: Envelope & { readonly sig: string }): Promise<string> {
	return sha256Base64url(canonicalBytes(record));
}

/** Signs a draft that passes `shapes` with the author's key; returns the record and its id. */
export async function signChecked<D extends Envelope>(
	shapes: Shapes,
	draft: D,
	key: SigningKey
): Promise<{ id: string; record: D & { readonly sig: string } }> {
	const shape = shapes.draft(draft);
	if (!shape.ok) throw new InvalidDraftError(shape.field, shape.problem);
	if (draft.author !== key.publicKey) {
		throw new AuthorMismatchError('A record is signed by its author, and by nobody else');
	}
	const sig = await signBytes(key.privateKey, canonicalBytes(draft));
	const record = deepFreeze({ ...draft, sig });
	return { id: await recordId(record), record };
}

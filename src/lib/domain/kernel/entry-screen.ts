import { isBase64urlOf } from '$lib/crypto/base64url';
import { canonicalJsonOmitting } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import { isPublicKey } from '$lib/crypto/keys';
import { isSignature, verifySignature } from '$lib/crypto/sign';
import { encodeUtf8 } from '$lib/crypto/utf8';
import { LIMITS } from './limits';
import { rejectionOf, type Rejection } from './reasons';

/**
 * Checks of a record map entry that cost next to nothing, made before `verifyRecord` hashes,
 * serializes or checks a signature: a member flooding the map with junk then costs each device
 * a few microseconds per entry, whatever the entries hold.
 * - the key must be able to be a record id (43 base64url characters of a SHA-256);
 * - the value must be a plain object (not a shared type: walking one walks the whole document);
 * - its JSON cannot be longer than the largest record (`LIMITS.closeBytes`): a lower bound of
 *   its length is counted by walking it, and the walk stops as soon as the bound passes the
 *   limit, so a 20 MB value costs what 160 KB do.
 */

/** Past this, no record of any type can be valid. */
export const MAX_ENTRY_BYTES = LIMITS.closeBytes;
/** Records nest 3 levels; canonical JSON refuses 32 anyway. */
const MAX_DEPTH = 32;

/** Whether `key` has the form of a record id. */
export const isRecordKey = (key: string): boolean => key.length === 43 && isBase64urlOf(key, 32);

/**
 * A lower bound of the length of `value`'s JSON text, or `Infinity` once it exceeds `max` or
 * nests too deep. Each value counts at least one character, so the walk visits at most about
 * `max` values, whatever the value's size.
 */
export function jsonLengthAtLeast(value: unknown, max: number): number {
	let total = 0;
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length > 0) {
		const [item, depth] = stack.pop()!;
		if (typeof item === 'string') total += item.length + 2;
		else if (typeof item !== 'object' || item === null) total += 1;
		else if (depth >= MAX_DEPTH) return Infinity;
		else if (Array.isArray(item)) {
			// Brackets and commas, before any element: a long array fails here at once, and one
			// that passes has fewer elements than the limit, so pushing them all is bounded.
			total += 2 + Math.max(0, item.length - 1);
			if (total > max) return Infinity;
			for (let index = 0; index < item.length; index++) stack.push([item[index], depth + 1]);
		} else {
			total += 2;
			let members = 0;
			for (const key in item) {
				if (total > max) break;
				if (!Object.hasOwn(item, key)) continue;
				// `"key":`, and a comma before every member but the first.
				total += key.length + 3 + (members++ > 0 ? 1 : 0);
				stack.push([(item as Record<string, unknown>)[key], depth + 1]);
			}
		}
		if (total > max) return Infinity;
	}
	return total;
}

/** The rejection of an entry that fails a cheap check, or null if it needs verifying. */
export function screenEntry(key: string, value: unknown): Rejection | null {
	if (!isRecordKey(key)) return rejectionOf(key, value, 'hash-mismatch', 'key is not a record id');
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return rejectionOf(key, value, 'invalid-shape', 'not an object');
	}
	try {
		// A shared type or other class instance: its properties are the document's internals.
		const proto: unknown = Object.getPrototypeOf(value);
		if (proto !== Object.prototype && proto !== null) {
			return rejectionOf(key, value, 'invalid-shape', 'not a plain object');
		}
		if (jsonLengthAtLeast(value, MAX_ENTRY_BYTES) > MAX_ENTRY_BYTES) {
			return rejectionOf(key, value, 'too-large');
		}
	} catch {
		// Only a hostile in-process object throws while walked; peers send plain values.
		return rejectionOf(key, value, 'invalid-shape', 'unreadable value');
	}
	return null;
}

/**
 * Who provably made a junk entry: the author, if the key is the hash of the entry's canonical
 * bytes and the author's signature over them holds (see `junk-ledger.ts` for why nothing less
 * names anyone). Null otherwise. Only for entries that failed `verifyRecord` for a reason other
 * than `hash-mismatch` or `bad-signature` (which prove there is no such signer); never throws.
 */
export async function junkSigner(key: string, value: unknown): Promise<string | null> {
	try {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
		const author = Object.getOwnPropertyDescriptor(value, 'author')?.value as unknown;
		const sig = Object.getOwnPropertyDescriptor(value, 'sig')?.value as unknown;
		if (!isPublicKey(author) || !isSignature(sig)) return null;
		const canonical = canonicalJsonOmitting(value, 'sig');
		if ((await sha256Base64url(encodeUtf8(canonical.whole))) !== key) return null;
		return (await verifySignature(author, sig, encodeUtf8(canonical.omitted))) ? author : null;
	} catch {
		return null;
	}
}

/** Rejections from which `junkSigner` may find an author. */
export const mayBeSigned = (rejection: Rejection): boolean =>
	rejection.reason !== 'hash-mismatch' && rejection.reason !== 'bad-signature';

import canonicalize from 'canonicalize';
import { encodeUtf8 } from './utf8';

/**
 * Canonical JSON (RFC 8785, JCS): the bytes that get hashed and signed.
 *
 * `canonicalize` implements the RFC but, like `JSON.stringify`, quietly drops or rewrites values
 * JSON cannot hold (undefined, functions, symbols, -0, class instances with `toJSON`). A signer and
 * a verifier that disagree on such a value would disagree on the bytes, so this wrapper refuses them
 * outright: what it accepts survives a JSON round trip unchanged.
 */

export type JsonValue =
	null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Nesting deeper than this is refused before it can exhaust the stack. Records nest 3 levels. */
export const MAX_JSON_DEPTH = 32;

/** Thrown for a value that has no canonical JSON form. */
export class CanonicalJsonError extends Error {
	override name = 'CanonicalJsonError';
}

function isPlainObject(value: object): boolean {
	const proto: unknown = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

function assertJson(value: unknown, depth: number, path: string): void {
	switch (typeof value) {
		case 'boolean':
			return;
		case 'string':
			if (!value.isWellFormed()) throw new CanonicalJsonError(`Lone surrogate at ${path}`);
			return;
		case 'number':
			if (!Number.isFinite(value)) throw new CanonicalJsonError(`Non-finite number at ${path}`);
			// JCS writes -0 as 0: refusing it keeps "what was signed" equal to "what was stored".
			if (Object.is(value, -0)) throw new CanonicalJsonError(`Negative zero at ${path}`);
			return;
		case 'object':
			break;
		default:
			throw new CanonicalJsonError(`${typeof value} at ${path} is not JSON`);
	}
	if (value === null) return;
	if (depth >= MAX_JSON_DEPTH) throw new CanonicalJsonError(`Nested too deep at ${path}`);
	if (Array.isArray(value)) {
		if (Object.getPrototypeOf(value) !== Array.prototype) {
			throw new CanonicalJsonError(`Exotic array at ${path}`);
		}
		for (let index = 0; index < value.length; index++) {
			if (!(index in value)) throw new CanonicalJsonError(`Hole at ${path}[${index}]`);
			assertJson(value[index], depth + 1, `${path}[${index}]`);
		}
		return;
	}
	if (!isPlainObject(value)) throw new CanonicalJsonError(`Non-plain object at ${path}`);
	for (const key of Reflect.ownKeys(value)) {
		if (typeof key === 'symbol') throw new CanonicalJsonError(`Symbol key at ${path}`);
		if (!key.isWellFormed()) throw new CanonicalJsonError(`Lone surrogate in a key at ${path}`);
		const descriptor = Object.getOwnPropertyDescriptor(value, key);
		if (descriptor === undefined || !('value' in descriptor) || !descriptor.enumerable) {
			throw new CanonicalJsonError(`Accessor or hidden property ${path}.${key}`);
		}
		assertJson(descriptor.value, depth + 1, `${path}.${key}`);
	}
}

/** True if `value` is plain JSON with a canonical form. */
export function isJsonValue(value: unknown): value is JsonValue {
	try {
		assertJson(value, 0, '$');
		return true;
	} catch (error) {
		if (error instanceof CanonicalJsonError) return false;
		throw error;
	}
}

/** The RFC 8785 text of `value`; throws `CanonicalJsonError` if it is not plain JSON. */
export function canonicalJson(value: unknown): string {
	assertJson(value, 0, '$');
	const text = canonicalize(value);
	// Unreachable after assertJson; kept so a library change cannot slip `undefined` through.
	if (text === undefined) throw new CanonicalJsonError('Value has no JSON form');
	return text;
}

/**
 * The RFC 8785 text of a plain object, and the text of the same object without the member `omit`,
 * from one check and one serialization. RFC 8785 writes an object as `{`, its members `"key":value`
 * in key order joined by commas, and `}` (the `canonicalize` package builds exactly that list);
 * leaving one member out of the list is therefore exactly the canonical text of the object without
 * that key. A record's id hashes all of it, its signature covers everything but `sig`: this spares
 * verifying a record a second check and serialization of the same fields.
 */
export function canonicalJsonOmitting(
	value: object,
	omit: string
): { readonly whole: string; readonly omitted: string } {
	assertJson(value, 0, '$');
	if (Array.isArray(value) || value === null) throw new CanonicalJsonError('Not an object');
	const object = value as Record<string, unknown>;
	const members: string[] = [];
	let omittedAt = -1;
	// The same order as `canonicalize`: the default sort compares UTF-16 code units (RFC 8785 3.2.3).
	for (const key of Object.keys(object).sort()) {
		const member = object[key];
		// `canonicalize` writes a string, a finite number, a boolean or null with JSON.stringify,
		// once it has checked what assertJson has: calling it for each would only repeat that.
		const text =
			typeof member === 'object' && member !== null ? canonicalize(member) : JSON.stringify(member);
		// Unreachable after assertJson, as in `canonicalJson`.
		if (text === undefined) throw new CanonicalJsonError(`Value has no JSON form at $.${key}`);
		if (key === omit) omittedAt = members.length;
		// A key is a well-formed string (assertJson): JSON.stringify writes it as RFC 8785 does.
		members.push(`${JSON.stringify(key)}:${text}`);
	}
	const whole = `{${members.join(',')}}`;
	if (omittedAt < 0) return { whole, omitted: whole };
	members.splice(omittedAt, 1);
	return { whole, omitted: `{${members.join(',')}}` };
}

/** The UTF-8 bytes of `canonicalJson(value)`. */
export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
	return encodeUtf8(canonicalJson(value));
}

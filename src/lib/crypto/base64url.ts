/**
 * Base64url without padding (RFC 4648 §5), strict in both directions.
 *
 * Keys, signatures and record ids travel as base64url text, and some of them are compared as
 * strings (a member id is a public key). A lenient decoder would accept several spellings of the
 * same bytes (non-zero trailing bits, padding, whitespace), so two different strings could name
 * one key, or a signature could be re-spelled into a "new" record. The decoder therefore accepts
 * exactly one spelling per byte string: the one the encoder produces.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Character code -> 6-bit value, or -1 for characters outside the alphabet. */
const LOOKUP = new Int8Array(128).fill(-1);
for (let index = 0; index < ALPHABET.length; index++) LOOKUP[ALPHABET.charCodeAt(index)] = index;

/** Thrown by `decodeBase64url` for text that is not the canonical encoding of some bytes. */
export class Base64urlError extends Error {
	override name = 'Base64urlError';
}

/** Encodes bytes as base64url without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
	let out = '';
	let index = 0;
	for (; index + 2 < bytes.length; index += 3) {
		const chunk = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
		out +=
			ALPHABET[chunk >> 18]! +
			ALPHABET[(chunk >> 12) & 63]! +
			ALPHABET[(chunk >> 6) & 63]! +
			ALPHABET[chunk & 63]!;
	}
	const rest = bytes.length - index;
	if (rest === 1) {
		const chunk = bytes[index]! << 16;
		out += ALPHABET[chunk >> 18]! + ALPHABET[(chunk >> 12) & 63]!;
	} else if (rest === 2) {
		const chunk = (bytes[index]! << 16) | (bytes[index + 1]! << 8);
		out += ALPHABET[chunk >> 18]! + ALPHABET[(chunk >> 12) & 63]! + ALPHABET[(chunk >> 6) & 63]!;
	}
	return out;
}

/** Length of the base64url text for `byteLength` bytes. */
export function base64urlLength(byteLength: number): number {
	return Math.ceil((byteLength * 4) / 3);
}

/**
 * Decodes canonical base64url, or returns `undefined` for anything else: characters outside the
 * alphabet, padding, an impossible length, or non-zero bits after the last byte.
 */
export function tryDecodeBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
	if (text.length % 4 === 1) return undefined;
	const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
	let buffer = 0;
	let bits = 0;
	let written = 0;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		const value = code < 128 ? LOOKUP[code]! : -1;
		if (value < 0) return undefined;
		buffer = ((buffer << 6) | value) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bytes[written++] = (buffer >> bits) & 0xff;
		}
	}
	// Leftover bits must be zero, or two texts would decode to the same bytes.
	if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
	return bytes;
}

/** Decodes canonical base64url; throws `Base64urlError` for anything else. */
export function decodeBase64url(text: string): Uint8Array<ArrayBuffer> {
	const bytes = tryDecodeBase64url(text);
	if (bytes === undefined) throw new Base64urlError('Not canonical base64url');
	return bytes;
}

/** True if `value` is canonical base64url of exactly `byteLength` bytes. */
export function isBase64urlOf(value: unknown, byteLength: number): value is string {
	if (typeof value !== 'string' || value.length !== base64urlLength(byteLength)) return false;
	return tryDecodeBase64url(value) !== undefined;
}

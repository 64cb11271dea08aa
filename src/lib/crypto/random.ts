import { encodeBase64url } from './base64url';

/** Below 128 bits an id or secret could be guessed or collide; asking for fewer is a bug. */
export const MIN_RANDOM_BYTES = 16;

/** Thrown when asked for fewer random bytes than `MIN_RANDOM_BYTES`. */
export class WeakRandomError extends Error {
	override name = 'WeakRandomError';
}

/** `byteLength` bytes from the platform's CSPRNG. */
export function randomBytes(byteLength: number): Uint8Array<ArrayBuffer> {
	if (!Number.isInteger(byteLength) || byteLength < MIN_RANDOM_BYTES) {
		throw new WeakRandomError(`Refusing ${byteLength} random bytes (minimum ${MIN_RANDOM_BYTES})`);
	}
	return crypto.getRandomValues(new Uint8Array(byteLength));
}

/** A random 128-bit id as base64url (22 characters). */
export function randomId(): string {
	return encodeBase64url(randomBytes(16));
}

/** A random 256-bit secret as base64url (43 characters). */
export function randomSecret(): string {
	return encodeBase64url(randomBytes(32));
}

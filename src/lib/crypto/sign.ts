import { base64urlLength, encodeBase64url, isBase64urlOf, tryDecodeBase64url } from './base64url';
import { importPublicKey } from './keys';

/** Ed25519 signatures are 64 bytes: 86 base64url characters. */
export const SIGNATURE_BYTES = 64;

const ED25519 = { name: 'Ed25519' } as const;

/** True if `value` is canonical base64url of 64 bytes (a signature's shape, not its validity). */
export function isSignature(value: unknown): value is string {
	return isBase64urlOf(value, SIGNATURE_BYTES);
}

/** Signs `bytes` with an Ed25519 private key; returns the signature as base64url. */
export async function signBytes(
	privateKey: CryptoKey,
	bytes: Uint8Array<ArrayBuffer>
): Promise<string> {
	return encodeBase64url(new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, bytes)));
}

/**
 * True only if `signature` is a valid Ed25519 signature of `bytes` by `publicKey` (both base64url).
 * Never throws: malformed keys, malformed signatures and WebCrypto refusals all mean `false`,
 * because the inputs come from untrusted peers.
 */
export async function verifySignature(
	publicKey: string,
	signature: string,
	bytes: Uint8Array<ArrayBuffer>
): Promise<boolean> {
	// One strict decode: 86 characters decode to 64 bytes exactly when they are canonical.
	const raw =
		typeof signature === 'string' && signature.length === base64urlLength(SIGNATURE_BYTES)
			? tryDecodeBase64url(signature)
			: undefined;
	if (raw === undefined) return false;
	try {
		return await crypto.subtle.verify(ED25519, await importPublicKey(publicKey), raw, bytes);
	} catch {
		return false;
	}
}

import { decodeBase64url, encodeBase64url, isBase64urlOf } from './base64url';

/** Raw Ed25519 public keys are 32 bytes: 43 base64url characters. */
export const PUBLIC_KEY_BYTES = 32;

const ED25519 = { name: 'Ed25519' } as const;

/**
 * A key that can sign, with its public half already encoded. The private key stays a `CryptoKey`
 * so that, for device keys, the browser keeps the secret bytes out of reach of page scripts.
 */
export interface SigningKey {
	readonly privateKey: CryptoKey;
	readonly publicKey: string;
}

/** Thrown when text that must be a public key is not one. */
export class PublicKeyError extends Error {
	override name = 'PublicKeyError';
}

/**
 * Encodings of the eight small-order points (compared with the sign bit cleared, as libsodium
 * does). WebCrypto in Node accepts such a key, and for it a fixed signature verifies against almost
 * any message, so anyone could "sign" as that author. They are refused as keys.
 */
const SMALL_ORDER_POINTS = [
	'0000000000000000000000000000000000000000000000000000000000000000',
	'0100000000000000000000000000000000000000000000000000000000000000',
	'26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
	'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
	'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
	'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
	'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
].map((hex) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16)));

function hasSmallOrder(bytes: Uint8Array): boolean {
	return SMALL_ORDER_POINTS.some((point) =>
		point.every((byte, index) => (index === 31 ? bytes[index]! & 0x7f : bytes[index]) === byte)
	);
}

/** True if `value` is the canonical base64url of a 32-byte key that is not of small order. */
export function isPublicKey(value: unknown): value is string {
	return isBase64urlOf(value, PUBLIC_KEY_BYTES) && !hasSmallOrder(decodeBase64url(value));
}

/** Encodes the raw bytes of an Ed25519 public key as base64url. */
export async function exportPublicKey(publicKey: CryptoKey): Promise<string> {
	return encodeBase64url(new Uint8Array(await crypto.subtle.exportKey('raw', publicKey)));
}

/**
 * A new Ed25519 key pair whose private key is **non-extractable**: it can sign, and it can be
 * stored in IndexedDB as a `CryptoKey`, but its bytes can never be read back, not even by our code.
 */
export async function generateKeyPair(): Promise<CryptoKeyPair> {
	return crypto.subtle.generateKey(ED25519, false, ['sign', 'verify']);
}

/** Wraps a stored key pair as a `SigningKey`. */
export async function signingKeyFromPair(pair: CryptoKeyPair): Promise<SigningKey> {
	return { privateKey: pair.privateKey, publicKey: await exportPublicKey(pair.publicKey) };
}

/** A fresh device key: a non-extractable key pair with its public key encoded. */
export async function generateSigningKey(): Promise<SigningKey> {
	return signingKeyFromPair(await generateKeyPair());
}

/** Fixed PKCS#8 header of an Ed25519 private key; the 32-byte seed follows it (RFC 8410). */
const PKCS8_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];
const PKCS8_SEED_HEADER = [0x04, 0x22, 0x04, 0x20];

/**
 * The Ed25519 key pair whose private seed is `seed` (32 bytes). Used for keys that must be
 * re-derivable from a shared secret, such as an invite's key; never for device keys.
 */
export async function signingKeyFromSeed(seed: Uint8Array): Promise<SigningKey> {
	if (seed.length !== 32) throw new RangeError('An Ed25519 seed is 32 bytes');
	const pkcs8 = new Uint8Array([...PKCS8_PREFIX, ...PKCS8_SEED_HEADER, ...seed]);
	// WebCrypto has no "public key of this private key" call: a throwaway extractable import
	// yields it through JWK, and the key kept for signing is imported non-extractable.
	const readable = await crypto.subtle.importKey('pkcs8', pkcs8, ED25519, true, ['sign']);
	const jwk = await crypto.subtle.exportKey('jwk', readable);
	if (typeof jwk.x !== 'string' || !isPublicKey(jwk.x)) {
		throw new PublicKeyError('Seed yields an unusable public key');
	}
	const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, ED25519, false, ['sign']);
	pkcs8.fill(0);
	return { privateKey, publicKey: jwk.x };
}

/**
 * Imported public keys, most recently used last. Verifying a co-op's records checks many
 * signatures by few authors; importing a key costs about as much as a verification, so the
 * import is done once per author. Promises are cached so concurrent verifications share one import.
 */
const PUBLIC_KEY_CACHE_SIZE = 1024;
const publicKeyCache = new Map<string, Promise<CryptoKey>>();

/** Imports a base64url Ed25519 public key for verification; throws `PublicKeyError` if invalid. */
export async function importPublicKey(publicKey: string): Promise<CryptoKey> {
	const cached = publicKeyCache.get(publicKey);
	if (cached !== undefined) {
		publicKeyCache.delete(publicKey);
		publicKeyCache.set(publicKey, cached);
		return cached;
	}
	if (!isPublicKey(publicKey)) throw new PublicKeyError('Not an Ed25519 public key');
	const imported = crypto.subtle.importKey('raw', decodeBase64url(publicKey), ED25519, true, [
		'verify'
	]);
	publicKeyCache.set(publicKey, imported);
	if (publicKeyCache.size > PUBLIC_KEY_CACHE_SIZE) {
		const oldest = publicKeyCache.keys().next();
		if (oldest.done !== true) publicKeyCache.delete(oldest.value);
	}
	try {
		return await imported;
	} catch (error) {
		publicKeyCache.delete(publicKey);
		throw new PublicKeyError('WebCrypto refused the public key', { cause: error });
	}
}

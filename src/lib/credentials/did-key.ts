import { base58 } from '@scure/base';
import { decodeBase64url, encodeBase64url } from '$lib/crypto/base64url';
import { isPublicKey } from '$lib/crypto/keys';

/**
 * `did:key` for Ed25519 (W3C did:key method, Multikey encoding): the 32-byte public key behind
 * the multicodec prefix `0xed01` (ed25519-pub, varint), in base58btc multibase (`z`), so every
 * such key reads `z6Mk...`. The DID of a key is `did:key:<multikey>`; its one verification method
 * is `did:key:<multikey>#<multikey>`. Resolving one needs no network: the key is in the name.
 */

/** Multicodec `ed25519-pub` (0xed) as an unsigned varint. */
const ED25519_PUB = [0xed, 0x01] as const;

/** Multicodec `ed25519-priv` (0x1300) as an unsigned varint: only W3C test keys arrive so. */
const ED25519_PRIV = [0x80, 0x26] as const;

export const DID_KEY_PREFIX = 'did:key:';

/** Thrown when text that must be an Ed25519 Multikey or did:key is not one. */
export class DidKeyError extends Error {
	override name = 'DidKeyError';
}

function multibaseDecode(text: string): Uint8Array {
	if (typeof text !== 'string' || !text.startsWith('z') || text.length > 200) {
		throw new DidKeyError('Not base58btc multibase (it must start with "z")');
	}
	try {
		return base58.decode(text.slice(1));
	} catch (error) {
		throw new DidKeyError('Not base58btc', { cause: error });
	}
}

/** base58btc multibase text (`z...`) of `bytes`. */
export function encodeBase58btc(bytes: Uint8Array): string {
	return `z${base58.encode(bytes)}`;
}

/** The bytes of base58btc multibase text, or `undefined` if it is not such text. */
export function tryDecodeBase58btc(text: unknown, maxLength = 200): Uint8Array | undefined {
	if (typeof text !== 'string' || text.length > maxLength || !text.startsWith('z'))
		return undefined;
	try {
		return base58.decode(text.slice(1));
	} catch {
		return undefined;
	}
}

/** The Multikey (`z6Mk...`) of a raw 32-byte Ed25519 public key. */
export function encodeMultikey(raw: Uint8Array): string {
	if (raw.length !== 32) throw new DidKeyError('An Ed25519 public key is 32 bytes');
	return encodeBase58btc(new Uint8Array([...ED25519_PUB, ...raw]));
}

/** The raw 32-byte public key of an Ed25519 Multikey; throws `DidKeyError` for anything else. */
export function decodeMultikey(multikey: string): Uint8Array<ArrayBuffer> {
	const bytes = multibaseDecode(multikey);
	if (bytes.length !== 34 || bytes[0] !== ED25519_PUB[0] || bytes[1] !== ED25519_PUB[1]) {
		throw new DidKeyError('Not an Ed25519 Multikey (multicodec 0xed01, 32 bytes)');
	}
	const raw = new Uint8Array(bytes.subarray(2));
	// One spelling per key: base58 has none other, but check the round trip all the same.
	if (encodeMultikey(raw) !== multikey) throw new DidKeyError('Not the canonical Multikey');
	return raw;
}

/** The 32-byte seed in an Ed25519 private Multikey (`z3u2...`), as W3C's test vectors give it. */
export function decodePrivateMultikey(multikey: string): Uint8Array<ArrayBuffer> {
	const bytes = multibaseDecode(multikey);
	if (bytes.length !== 34 || bytes[0] !== ED25519_PRIV[0] || bytes[1] !== ED25519_PRIV[1]) {
		throw new DidKeyError('Not an Ed25519 private Multikey (multicodec 0x1300, 32 bytes)');
	}
	return new Uint8Array(bytes.subarray(2));
}

/** `did:key:z6Mk...` of a raw public key. */
export function didKeyOfRaw(raw: Uint8Array): string {
	return DID_KEY_PREFIX + encodeMultikey(raw);
}

/** `did:key:z6Mk...` of a public key as the project writes it (base64url, a member or device id). */
export function didKeyOf(publicKey: string): string {
	return didKeyOfRaw(decodeBase64url(publicKey));
}

/** The verification method of a did:key: `did:key:<multikey>#<multikey>`. */
export function verificationMethodOf(publicKey: string): string {
	const did = didKeyOf(publicKey);
	return `${did}#${did.slice(DID_KEY_PREFIX.length)}`;
}

/**
 * The public key (base64url, as the project writes keys) named by a did:key, with or without its
 * `#<multikey>` fragment. Throws `DidKeyError` for another DID method, a malformed key, a fragment
 * that is not the key itself, or a key of small order (anyone could sign as it).
 */
export function publicKeyOfDidKey(didOrMethod: string): string {
	if (typeof didOrMethod !== 'string' || !didOrMethod.startsWith(DID_KEY_PREFIX)) {
		throw new DidKeyError('Not a did:key');
	}
	const [multikey, fragment, ...rest] = didOrMethod.slice(DID_KEY_PREFIX.length).split('#');
	if (
		rest.length > 0 ||
		multikey === undefined ||
		(fragment !== undefined && fragment !== multikey)
	) {
		throw new DidKeyError('A did:key verification method is did:key:<key>#<key>');
	}
	const publicKey = encodeBase64url(decodeMultikey(multikey));
	if (!isPublicKey(publicKey)) throw new DidKeyError('Unusable Ed25519 public key');
	return publicKey;
}

/** True if `value` is a did:key of a usable Ed25519 key (without fragment). */
export function isDidKey(value: unknown): value is string {
	if (typeof value !== 'string' || value.includes('#')) return false;
	try {
		publicKeyOfDidKey(value);
		return true;
	} catch {
		return false;
	}
}

import { readFile, stat } from 'node:fs/promises';
import { isPublicKey, type SigningKey } from '$lib/crypto/keys';
import { writeFileAtomic } from './files';

const ED25519 = { name: 'Ed25519' } as const;

/**
 * The peer's device key for a co-op, as a JWK file readable by its owner only.
 *
 * A browser keeps its device key as a non-extractable `CryptoKey` in IndexedDB; a Node process
 * has nowhere like that to put one, so the key's bytes live in this file on the member's own
 * machine, and whoever can read the file can sign as this device. The key is extractable only
 * for the moment it is written; once loaded, signing uses a non-extractable import of it.
 */
export async function loadOrCreateKey(
	path: string
): Promise<{ key: SigningKey; created: boolean }> {
	const existing = await readKey(path);
	if (existing !== undefined) return { key: existing, created: false };
	const pair = await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify']);
	const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
	await writeFileAtomic(
		path,
		`${JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d })}\n`
	);
	const key = await readKey(path);
	if (key === undefined) throw new Error(`The key just written to ${path} cannot be read`);
	return { key, created: true };
}

async function readKey(path: string): Promise<SigningKey | undefined> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch {
		return undefined;
	}
	if (((await stat(path)).mode & 0o077) !== 0) {
		process.stderr.write(`Warning: ${path} can be read by other users; chmod 600 it\n`);
	}
	const jwk = JSON.parse(text) as JsonWebKey;
	if (
		jwk.kty !== 'OKP' ||
		jwk.crv !== 'Ed25519' ||
		!isPublicKey(jwk.x) ||
		typeof jwk.d !== 'string'
	) {
		throw new Error(`${path} is not an Ed25519 private key`);
	}
	const privateKey = await crypto.subtle.importKey('jwk', jwk, ED25519, false, ['sign']);
	return { privateKey, publicKey: jwk.x };
}

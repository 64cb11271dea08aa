import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '$lib/crypto/base64url';
import {
	generateKeyPair,
	generateSigningKey,
	importPublicKey,
	isPublicKey,
	PublicKeyError,
	signingKeyFromPair,
	signingKeyFromSeed
} from '$lib/crypto/keys';
import { signBytes, verifySignature } from '$lib/crypto/sign';

const bytes = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);
const fromHex = (text: string): Uint8Array<ArrayBuffer> =>
	Uint8Array.from(Buffer.from(text, 'hex'));

describe('device keys', () => {
	it('generates key pairs whose private key cannot be exported in any format', async () => {
		const pair = await generateKeyPair();
		expect(pair.privateKey.extractable).toBe(false);
		for (const format of ['pkcs8', 'jwk', 'raw'] as const) {
			await expect(crypto.subtle.exportKey(format, pair.privateKey)).rejects.toThrow();
		}
	});

	it('exports the public key as 43 base64url characters of 32 raw bytes', async () => {
		const pair = await generateKeyPair();
		const key = await signingKeyFromPair(pair);
		expect(key.publicKey).toHaveLength(43);
		expect(isPublicKey(key.publicKey)).toBe(true);
		const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
		expect(decodeBase64url(key.publicKey)).toEqual(raw);
	});

	it('imports each public key once and reuses it', async () => {
		const key = await generateSigningKey();
		const [first, second] = await Promise.all([
			importPublicKey(key.publicKey),
			importPublicKey(key.publicKey)
		]);
		expect(first).toBe(second);
		expect(await importPublicKey(key.publicKey)).toBe(first);
	});

	it('refuses text that is not a public key', async () => {
		await expect(importPublicKey('not a key')).rejects.toThrow(PublicKeyError);
		await expect(importPublicKey(encodeBase64url(new Uint8Array(31)))).rejects.toThrow(
			PublicKeyError
		);
	});

	it('derives the RFC 8032 test key 1 from its seed, and signs as RFC 8032 says', async () => {
		const key = await signingKeyFromSeed(
			fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')
		);
		expect(key.publicKey).toBe(
			encodeBase64url(fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'))
		);
		expect(key.privateKey.extractable).toBe(false);
		expect(await signBytes(key.privateKey, new Uint8Array(0))).toBe(
			encodeBase64url(
				fromHex(
					'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
				)
			)
		);
	});
});

describe('signatures', () => {
	it('verifies a signature by the right key over the same bytes', async () => {
		const key = await generateSigningKey();
		const signature = await signBytes(key.privateKey, bytes('hello'));
		expect(signature).toHaveLength(86);
		expect(await verifySignature(key.publicKey, signature, bytes('hello'))).toBe(true);
	});

	it('rejects other bytes, another key, and a re-used signature', async () => {
		const [alice, bob] = await Promise.all([generateSigningKey(), generateSigningKey()]);
		const signature = await signBytes(alice.privateKey, bytes('hello'));
		expect(await verifySignature(alice.publicKey, signature, bytes('hellp'))).toBe(false);
		expect(await verifySignature(bob.publicKey, signature, bytes('hello'))).toBe(false);
	});

	it('returns false, never throws, for garbage keys and signatures', async () => {
		const key = await generateSigningKey();
		const signature = await signBytes(key.privateKey, bytes('x'));
		const garbage: [string, string][] = [
			['', signature],
			['@@@', signature],
			[key.publicKey.slice(1), signature],
			[key.publicKey, ''],
			[key.publicKey, signature.slice(1)],
			[key.publicKey, signature + 'A'],
			[key.publicKey, signature.replace(/.$/, 'B')],
			[key.publicKey, '!'.repeat(86)],
			[encodeBase64url(new Uint8Array(32).fill(0xff)), signature]
		];
		for (const [publicKey, sig] of garbage) {
			expect(await verifySignature(publicKey, sig, bytes('x'))).toBe(false);
		}
	});

	it('refuses the malleated twin of a valid signature (S + L), so a record has one signature', async () => {
		const key = await generateSigningKey();
		const signature = decodeBase64url(await signBytes(key.privateKey, bytes('once')));
		const order = (1n << 252n) + 27742317777372353535851937790883648493n;
		let s = 0n;
		for (let index = 63; index >= 32; index--) s = (s << 8n) | BigInt(signature[index]!);
		let twin = s + order;
		const malleated = new Uint8Array(signature);
		for (let index = 32; index < 64; index++) {
			malleated[index] = Number(twin & 0xffn);
			twin >>= 8n;
		}
		expect(await verifySignature(key.publicKey, encodeBase64url(signature), bytes('once'))).toBe(
			true
		);
		expect(await verifySignature(key.publicKey, encodeBase64url(malleated), bytes('once'))).toBe(
			false
		);
	});

	it('refuses small-order public keys that WebCrypto alone would let anyone sign for', async () => {
		// The identity point: with R = identity and S = 0, [S]B = R + [k]A holds for every message.
		const identity = new Uint8Array(32);
		identity[0] = 1;
		const forged = new Uint8Array(64);
		forged[0] = 1;
		const raw = await crypto.subtle.importKey('raw', identity, { name: 'Ed25519' }, true, [
			'verify'
		]);
		const rawAccepts = await crypto.subtle
			.verify({ name: 'Ed25519' }, raw, forged, bytes('any message'))
			.catch(() => false);
		expect(isPublicKey(encodeBase64url(identity))).toBe(false);
		expect(
			await verifySignature(
				encodeBase64url(identity),
				encodeBase64url(forged),
				bytes('any message')
			)
		).toBe(false);
		// Documents why the check exists; if a platform starts refusing on its own, all the better.
		expect([true, false]).toContain(rawAccepts);
	});
});

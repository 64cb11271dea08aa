import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '$lib/crypto/canonical-json';
import { canonicalJson } from '$lib/crypto/canonical-json';
import { signingKeyFromSeed } from '$lib/crypto/keys';
import { createProof, appendProof } from '$lib/credentials/data-integrity';
import {
	decodeMultikey,
	decodePrivateMultikey,
	DidKeyError,
	didKeyOf,
	encodeMultikey,
	publicKeyOfDidKey
} from '$lib/credentials/did-key';
import { encodeBase64url } from '$lib/crypto/base64url';
import { verifyCredential, verifyCredentialInput } from '$lib/credentials/verify';

/** The W3C eddsa-jcs-2022 test vectors (tests/fixtures/vc-di-eddsa/SOURCE.md). */
const fixture = (name: string): string =>
	readFileSync(new URL(`../../fixtures/vc-di-eddsa/${name}`, import.meta.url), 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as { [key: string]: JsonValue };

const unsigned = json('unsigned.json');
const keyPair = json('keyPair.json') as { publicKeyMultibase: string; privateKeyMultibase: string };
const proofConfig = json('proofConfigJCS.json');
const signed = json('signedJCS.json');
const NOW = Date.parse('2024-06-01T00:00:00Z');

async function vectorKey() {
	return signingKeyFromSeed(decodePrivateMultikey(keyPair.privateKeyMultibase));
}

describe('W3C eddsa-jcs-2022 test vector', () => {
	it('derives the vector public key from its private key', async () => {
		const key = await vectorKey();
		expect(encodeMultikey(Uint8Array.from(Buffer.from(key.publicKey, 'base64url')))).toBe(
			keyPair.publicKeyMultibase
		);
		expect(key.privateKey.extractable).toBe(false);
	});

	it('canonicalises the document and the proof configuration as the vector does', () => {
		expect(canonicalJson(unsigned)).toBe(fixture('canonDocJCS.txt').trim());
		expect(canonicalJson(proofConfig)).toBe(fixture('proofCanonJCS.txt').trim());
	});

	it('reproduces the vector proof value exactly, with a non-extractable key', async () => {
		const proof = await createProof(unsigned, await vectorKey(), {
			proofPurpose: 'assertionMethod',
			created: proofConfig['created'] as string
		});
		expect(proof.proofValue).toBe(fixture('sigBTC58JCS.txt').trim());
		expect(proof.verificationMethod).toBe(proofConfig['verificationMethod']);
		// The whole signed credential, not just its signature, is the vector's.
		expect(canonicalJson(appendProof(unsigned, proof))).toBe(canonicalJson(signed));
	});

	it('verifies the vector signed credential', async () => {
		const report = await verifyCredentialInput(fixture('signedJCS.json'), { now: NOW });
		expect(report.problems).toEqual([]);
		expect(report.status).toBe('verified');
		expect(report.proofs).toEqual([
			{
				at: 'proof',
				ok: true,
				signer: `did:key:${keyPair.publicKeyMultibase}`,
				created: '2023-02-24T23:36:38Z'
			}
		]);
	});

	/** Every leaf of a JSON value, as a path and a replacement that differs. */
	function* changes(
		value: JsonValue,
		path: (string | number)[] = []
	): Generator<(string | number)[]> {
		if (typeof value === 'object' && value !== null) {
			for (const [key, child] of Object.entries(value))
				yield* changes(child, [...path, Array.isArray(value) ? Number(key) : key]);
		} else yield path;
	}
	function changed(value: JsonValue, path: (string | number)[]): JsonValue {
		const copy = structuredClone(value) as { [key: string]: JsonValue };
		let parent: { [key: string | number]: JsonValue } = copy;
		for (const step of path.slice(0, -1))
			parent = parent[step] as { [key: string | number]: JsonValue };
		const last = path.at(-1)!;
		const old = parent[last];
		parent[last] = typeof old === 'string' ? `${old}x` : typeof old === 'number' ? old + 1 : !old;
		return copy;
	}

	it('refuses the vector signed credential with any one field changed', async () => {
		const paths = [...changes(signed)];
		expect(paths.length).toBeGreaterThan(15);
		for (const path of paths) {
			const report = await verifyCredential(changed(signed, path), { now: NOW });
			expect(report.status, path.join('.')).not.toBe('verified');
		}
	});

	it('refuses the vector signed credential with a field added or removed', async () => {
		const added = {
			...signed,
			credentialSubject: { ...(signed['credentialSubject'] as object), degree: 'PhD' }
		};
		expect((await verifyCredential(added, { now: NOW })).proofs[0]!.problem!.code).toBe(
			'signature-mismatch'
		);
		const removed = Object.fromEntries(
			Object.entries(signed).filter(([key]) => key !== 'description')
		);
		expect((await verifyCredential(removed, { now: NOW })).proofs[0]!.problem!.code).toBe(
			'signature-mismatch'
		);
	});
});

describe('did:key', () => {
	it('round trips random keys through Multikey and did:key', () => {
		for (let index = 0; index < 200; index++) {
			const raw = crypto.getRandomValues(new Uint8Array(32));
			raw[31]! &= 0x7f;
			const multikey = encodeMultikey(raw);
			expect(multikey.startsWith('z6Mk')).toBe(true);
			expect(decodeMultikey(multikey)).toEqual(raw);
			const publicKey = encodeBase64url(raw);
			const did = didKeyOf(publicKey);
			expect(did).toBe(`did:key:${multikey}`);
			expect(publicKeyOfDidKey(did)).toBe(publicKey);
			expect(publicKeyOfDidKey(`${did}#${multikey}`)).toBe(publicKey);
		}
	});

	it('refuses what is not an Ed25519 did:key', () => {
		const good = `did:key:${keyPair.publicKeyMultibase}`;
		for (const bad of [
			'did:web:example.com',
			'did:key:',
			`${good}#other`,
			`${good}#${keyPair.publicKeyMultibase}#again`,
			'did:key:zQ3shokFTS3brHcDQrn82RZDfCZESWL1ZdCEJwekUDPQiYBme', // secp256k1
			`did:key:${keyPair.publicKeyMultibase.slice(0, -1)}`,
			`did:key:${keyPair.publicKeyMultibase}0`,
			'did:key:z11111111111111111111111111111111111', // the all-zero key, small order
			`did:key:M${keyPair.publicKeyMultibase.slice(1)}`
		]) {
			expect(() => publicKeyOfDidKey(bad), bad).toThrow(DidKeyError);
		}
	});
});

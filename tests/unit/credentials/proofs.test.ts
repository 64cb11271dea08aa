import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '$lib/crypto/canonical-json';
import { generateSigningKey, type SigningKey } from '$lib/crypto/keys';
import { appendProof, createProof } from '$lib/credentials/data-integrity';
import { didKeyOf } from '$lib/credentials/did-key';
import {
	MAX_CREDENTIAL_BYTES,
	verifyCredential,
	verifyCredentialInput,
	verifyPresentation
} from '$lib/credentials/verify';
import { CREDENTIALS_V2, EXAMPLES_V2 } from '$lib/credentials/contexts';

type Json = { [key: string]: JsonValue };
const NOW = Date.parse('2026-06-01T00:00:00Z');

function credential(subject: string, extra: Json = {}): Json {
	return {
		'@context': [CREDENTIALS_V2, EXAMPLES_V2],
		type: ['VerifiableCredential', 'ExampleWorkCredential'],
		issuer: 'urn:example:coop',
		validFrom: '2026-01-01T00:00:00Z',
		credentialSubject: { id: subject, jobs: 12, hours: 34.5, kinds: ['delivery', 'repair'] },
		...extra
	};
}

async function signedBy(keys: readonly SigningKey[], document: Json): Promise<Json> {
	let signed = document;
	for (const key of keys) {
		signed = appendProof(
			signed,
			await createProof(document, key, { proofPurpose: 'assertionMethod' })
		);
	}
	return signed;
}

describe('proof sets', () => {
	it('verifies each co-signer independently', async () => {
		const keys = await Promise.all([1, 2, 3].map(() => generateSigningKey()));
		const signed = await signedBy(keys, credential('did:example:someone'));
		const report = await verifyCredential(signed, { now: NOW });
		expect(report.status).toBe('verified');
		expect(report.proofs.map((proof) => proof.signer)).toEqual(
			keys.map((key) => didKeyOf(key.publicKey))
		);
		expect(report.proofs.map((proof) => proof.at)).toEqual(['proof[0]', 'proof[1]', 'proof[2]']);
	});

	it('keeps the other proofs valid when one is removed, and names the broken one', async () => {
		const keys = await Promise.all([1, 2, 3].map(() => generateSigningKey()));
		const signed = await signedBy(keys, credential('did:example:someone'));
		const proofs = signed['proof'] as Json[];
		const fewer = { ...signed, proof: [proofs[0]!, proofs[2]!] };
		expect((await verifyCredential(fewer, { now: NOW })).status).toBe('verified');
		// A proof copied from another document does not fit this one.
		const other = await signedBy([keys[1]!], credential('did:example:another'));
		const mixed = { ...signed, proof: [proofs[0]!, other['proof']!, proofs[2]!] };
		const report = await verifyCredential(mixed, { now: NOW });
		expect(report.status).toBe('failed');
		expect(report.proofs.map((proof) => proof.ok)).toEqual([true, false, true]);
		expect(report.proofs[1]!.problem).toEqual({ code: 'signature-mismatch', at: 'proof[1]' });
	});

	it('signs with non-extractable device keys', async () => {
		const key = await generateSigningKey();
		expect(key.privateKey.extractable).toBe(false);
		const signed = await signedBy([key], credential('did:example:someone'));
		expect((await verifyCredential(signed, { now: NOW })).status).toBe('verified');
	});
});

describe('refusals, each with its reason', () => {
	async function signedOne(
		document: Json,
		purpose: 'assertionMethod' | 'authentication' = 'assertionMethod'
	) {
		const key = await generateSigningKey();
		return appendProof(document, await createProof(document, key, { proofPurpose: purpose }));
	}
	const codeOf = async (value: JsonValue) => {
		const report = await verifyCredential(value, { now: NOW });
		return [
			...report.problems,
			...report.proofs.flatMap((proof) => (proof.problem ? [proof.problem] : []))
		].map((p) => p.code);
	};

	it('truncated, junk and oversized input', async () => {
		const text = JSON.stringify(await signedOne(credential('did:example:a')));
		expect(
			(await verifyCredentialInput(text.slice(0, text.length - 20), { now: NOW })).problems[0]!.code
		).toBe('not-json');
		expect(
			(await verifyCredentialInput(new Uint8Array([0xff, 0xfe, 0x00]), { now: NOW })).problems[0]!
				.code
		).toBe('not-json');
		const junk = new Uint8Array(50 * 1024 * 1024).fill(0x5b); // "[[[[..." 50 MB
		const started = performance.now();
		const report = await verifyCredentialInput(junk, { now: NOW });
		expect(report.status).toBe('not-credential');
		expect(report.problems[0]!.code).toBe('too-large');
		expect(performance.now() - started).toBeLessThan(1000);
		expect(
			(await verifyCredentialInput('['.repeat(10_000) + ']'.repeat(10_000), { now: NOW }))
				.problems[0]!.code
		).toBe('too-deep');
		expect(MAX_CREDENTIAL_BYTES).toBeLessThan(junk.length);
	});

	it('JSON that is not a credential', async () => {
		for (const value of [
			null,
			3,
			'x',
			[],
			{},
			{ type: ['VerifiableCredential'] },
			{ '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'] }
		]) {
			expect((await verifyCredential(value as JsonValue, { now: NOW })).status).toBe(
				'not-credential'
			);
		}
	});

	it('unknown context, missing proof, dates', async () => {
		const unknown = credential('did:example:a', {
			'@context': [CREDENTIALS_V2, 'https://evil.example/context']
		});
		expect(await codeOf(await signedOne(unknown))).toEqual(['unknown-context']);
		expect(await codeOf(credential('did:example:a'))).toEqual(['no-proof']);
		expect(
			await codeOf(
				await signedOne(credential('did:example:a', { validUntil: '2026-02-01T00:00:00Z' }))
			)
		).toEqual(['expired']);
		expect(
			await codeOf(
				await signedOne(credential('did:example:a', { validFrom: '2027-01-01T00:00:00Z' }))
			)
		).toEqual(['not-yet-valid']);
		expect(
			await codeOf(await signedOne(credential('did:example:a', { validFrom: 'yesterday' })))
		).toEqual(['bad-date']);
	});

	it('unknown cryptosuite, proof type, purpose, key and value', async () => {
		const signed = await signedOne(credential('did:example:a'));
		const proof = signed['proof'] as Json;
		const withProof = (change: Json) => ({ ...signed, proof: { ...proof, ...change } });
		expect(await codeOf(withProof({ cryptosuite: 'eddsa-rdfc-2022' }))).toEqual([
			'unknown-cryptosuite'
		]);
		expect(await codeOf(withProof({ type: 'Ed25519Signature2020' }))).toEqual([
			'unknown-proof-type'
		]);
		expect(await codeOf(withProof({ proofPurpose: 'authentication' }))).toEqual([
			'wrong-proof-purpose'
		]);
		expect(await codeOf(withProof({ verificationMethod: 'did:web:example.com#key-1' }))).toEqual([
			'bad-verification-method'
		]);
		expect(await codeOf(withProof({ proofValue: 'zzz' }))).toEqual(['bad-proof-value']);
		expect(await codeOf(withProof({ created: '2026-13-01' }))).toEqual(['bad-date']);
		expect(await codeOf(await signedOne(credential('did:example:a'), 'authentication'))).toEqual([
			'wrong-proof-purpose'
		]);
	});

	it('an issuer that is a did:key must have signed', async () => {
		const key = await generateSigningKey();
		const own = credential('did:example:a', { issuer: didKeyOf(key.publicKey) });
		const signed = appendProof(
			own,
			await createProof(own, key, { proofPurpose: 'assertionMethod' })
		);
		expect(await codeOf(signed)).toEqual([]);
		expect(await codeOf(await signedOne(own))).toEqual(['issuer-not-signer']);
	});
});

describe('presentations', () => {
	it('binds the holder, the subject and the co-op', async () => {
		const holder = await generateSigningKey();
		const signer = await generateSigningKey();
		const holderDid = didKeyOf(holder.publicKey);
		const vc = await signedBy([signer], credential(holderDid));
		const present = async (by: SigningKey, domain: string, inner = vc) => {
			const vp: Json = {
				'@context': [CREDENTIALS_V2],
				type: ['VerifiablePresentation'],
				holder: holderDid,
				verifiableCredential: [inner]
			};
			return appendProof(
				vp,
				await createProof(vp, by, { proofPurpose: 'authentication', domain, challenge: domain })
			);
		};
		const ok = await verifyPresentation(await present(holder, 'coop-b'), {
			now: NOW,
			domain: 'coop-b',
			challenge: 'coop-b'
		});
		expect(ok.status).toBe('verified');
		const replayed = await verifyPresentation(await present(holder, 'coop-c'), {
			now: NOW,
			domain: 'coop-b',
			challenge: 'coop-b'
		});
		expect(replayed.proofs[0]!.problem!.code).toBe('wrong-domain');
		const stranger = await verifyPresentation(await present(signer, 'coop-b'), {
			now: NOW,
			domain: 'coop-b'
		});
		expect(stranger.problems.map((p) => p.code)).toContain('holder-not-signer');
		const otherVc = await signedBy([signer], credential('did:example:someone-else'));
		const notTheirs = await verifyPresentation(await present(holder, 'coop-b', otherVc), {
			now: NOW,
			domain: 'coop-b'
		});
		expect(notTheirs.problems.map((p) => p.code)).toEqual(['holder-not-subject']);
	});
});

describe('property: a mutated credential never verifies', () => {
	it('random changes to any field of a co-signed credential are refused', async () => {
		const keys = await Promise.all([1, 2].map(() => generateSigningKey()));
		const signed = await signedBy(keys, credential('did:example:someone'));
		const text = JSON.stringify(signed);
		await fc.assert(
			fc.asyncProperty(
				fc.nat({ max: text.length - 1 }),
				fc.integer({ min: 32, max: 126 }),
				async (position, code) => {
					const mutated =
						text.slice(0, position) + String.fromCharCode(code) + text.slice(position + 1);
					fc.pre(mutated !== text);
					const report = await verifyCredentialInput(mutated, { now: NOW });
					if (report.status !== 'verified') return;
					// The only changes allowed to verify leave the parsed document the same (e.g. a space
					// between tokens): what was signed is the canonical form.
					expect(JSON.parse(mutated)).toEqual(signed);
				}
			),
			{ numRuns: 400, seed: 20260601 }
		);
	});

	it('random structural edits are refused', async () => {
		const keys = await Promise.all([1, 2].map(() => generateSigningKey()));
		const signed = await signedBy(keys, credential('did:example:someone'));
		const unsignedKeys = Object.keys(signed).filter((key) => key !== 'proof');
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...unsignedKeys),
				fc.jsonValue({ maxDepth: 2 }),
				async (key, value) => {
					const mutated = { ...signed, [key]: value as JsonValue };
					fc.pre(JSON.stringify(value) !== JSON.stringify(signed[key]));
					expect((await verifyCredential(mutated, { now: NOW })).status).not.toBe('verified');
				}
			),
			{ numRuns: 300, seed: 7 }
		);
	});
});

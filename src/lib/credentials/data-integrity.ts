import { canonicalBytes, type JsonValue } from '$lib/crypto/canonical-json';
import { sha256 } from '$lib/crypto/hash';
import { importPublicKey, type SigningKey } from '$lib/crypto/keys';
import {
	DidKeyError,
	encodeBase58btc,
	publicKeyOfDidKey,
	tryDecodeBase58btc,
	verificationMethodOf
} from './did-key';
import type { Problem, ProblemCode } from './problems';

/**
 * Data Integrity proofs of the `eddsa-jcs-2022` cryptosuite (W3C vc-di-eddsa, section 3.3):
 * - proof configuration: the proof's options without `proofValue`, with the document's
 *   `@context` when it has one; the document: everything but `proof`;
 * - both canonicalised with RFC 8785 (the project's `canonicalJson`, the one records use) and
 *   hashed with SHA-256; the signed data is hash(configuration) || hash(document);
 * - Ed25519 over those 64 bytes; `proofValue` is the signature in base58btc multibase (`z...`).
 * Several proofs on one document form a proof set: each signs the document without any proof, so
 * each stands alone (none covers another, and removing one leaves the others valid).
 */

export const PROOF_TYPE = 'DataIntegrityProof';
export const CRYPTOSUITE = 'eddsa-jcs-2022';

type JsonObject = { readonly [key: string]: JsonValue };

export interface ProofOptions {
	readonly proofPurpose: 'assertionMethod' | 'authentication';
	/** XML Schema dateTime; now (to the second) when left out. */
	readonly created?: string;
	readonly expires?: string;
	readonly domain?: string;
	readonly challenge?: string;
	readonly nonce?: string;
}

export interface DataIntegrityProof extends JsonObject {
	readonly type: typeof PROOF_TYPE;
	readonly cryptosuite: typeof CRYPTOSUITE;
	readonly verificationMethod: string;
	readonly proofPurpose: string;
	readonly proofValue: string;
}

/** An XML Schema dateTime as VC 2.0 writes them (a time zone is required). */
const DATE_TIME = /^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** ms since the epoch of an XML Schema dateTime, or `undefined` when it is not one. */
export function parseDateTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || !DATE_TIME.test(value)) return undefined;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : undefined;
}

/** The dateTime of `ms`, to the second, in UTC. */
export function dateTimeOf(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The document without its `proof` member: what every proof of a proof set signs. */
export function withoutProof(document: JsonObject): JsonObject {
	return Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'proof'));
}

async function hashData(
	config: JsonObject,
	document: JsonObject
): Promise<Uint8Array<ArrayBuffer>> {
	const [configHash, documentHash] = await Promise.all([
		sha256(canonicalBytes(config)),
		sha256(canonicalBytes(document))
	]);
	const data = new Uint8Array(64);
	data.set(configHash, 0);
	data.set(documentHash, 32);
	return data;
}

/** The proof's options plus the document's `@context`, as the suite's proof configuration. */
function proofConfigOf(document: JsonObject, options: JsonObject): JsonObject {
	const context = document['@context'];
	return context === undefined ? options : { ...options, '@context': context };
}

/**
 * A proof of `document` (its `proof`, if any, is left out: proof sets) by `key`, whose
 * verification method is the key's did:key. The private key is used as WebCrypto holds it, so a
 * non-extractable device key signs as it is.
 */
export async function createProof(
	document: JsonObject,
	key: SigningKey,
	options: ProofOptions
): Promise<DataIntegrityProof> {
	const config: Record<string, JsonValue> = {
		type: PROOF_TYPE,
		cryptosuite: CRYPTOSUITE,
		created: options.created ?? dateTimeOf(Date.now()),
		verificationMethod: verificationMethodOf(key.publicKey),
		proofPurpose: options.proofPurpose
	};
	for (const field of ['expires', 'domain', 'challenge', 'nonce'] as const) {
		const value = options[field];
		if (value !== undefined) config[field] = value;
	}
	const proofConfig = proofConfigOf(document, config);
	const data = await hashData(proofConfig, withoutProof(document));
	const signature = new Uint8Array(
		await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, data)
	);
	return { ...proofConfig, proofValue: encodeBase58btc(signature) } as DataIntegrityProof;
}

/** `document` with `proof` added to its proof set (a second proof turns `proof` into a list). */
export function appendProof<D extends JsonObject>(document: D, proof: DataIntegrityProof): D {
	const existing = document['proof'];
	const proofs: JsonValue[] =
		existing === undefined
			? []
			: Array.isArray(existing)
				? [...(existing as JsonValue[])]
				: [existing];
	proofs.push(proof);
	return { ...document, proof: proofs.length === 1 ? proofs[0]! : proofs };
}

/** The proofs of a document as a list (none, one, or a proof set). */
export function proofsOf(document: JsonObject): readonly JsonValue[] {
	const proof = document['proof'];
	if (proof === undefined) return [];
	return Array.isArray(proof) ? (proof as readonly JsonValue[]) : [proof];
}

export interface ProofExpectations {
	readonly proofPurpose: string;
	/** ms since the epoch, for `expires`. */
	readonly now: number;
	readonly domain?: string;
	readonly challenge?: string;
}

export type ProofCheck =
	| {
			readonly ok: true;
			readonly verificationMethod: string;
			readonly signer: string;
			readonly created?: string;
	  }
	| {
			readonly ok: false;
			readonly problem: Problem;
			/** The key named, when the proof got as far as naming a usable one. */
			readonly signer?: string;
			readonly verificationMethod?: string;
	  };

/** A short, printable form of an untrusted value, for a problem's detail. */
export function shown(value: unknown, max = 80): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'nothing');
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks one proof of `document` (whose other proofs do not matter): its form, type, suite,
 * purpose, dates, key, the contexts it was made over, and its signature. `at` names the proof in
 * the problem it returns. Never throws.
 */
export async function verifyProof(
	document: JsonObject,
	proof: unknown,
	expected: ProofExpectations,
	at: string
): Promise<ProofCheck> {
	const fail = (code: ProblemCode, detail?: string, signer?: string): ProofCheck => ({
		ok: false,
		problem: detail === undefined ? { code, at } : { code, at, detail },
		...(signer === undefined ? {} : { signer })
	});
	if (!isObject(proof)) return fail('bad-field', 'a proof is an object');
	if (proof['type'] !== PROOF_TYPE) return fail('unknown-proof-type', shown(proof['type']));
	if (proof['cryptosuite'] !== CRYPTOSUITE) {
		return fail('unknown-cryptosuite', shown(proof['cryptosuite']));
	}
	const method = proof['verificationMethod'];
	let signer: string;
	try {
		if (typeof method !== 'string' || !method.includes('#')) throw new DidKeyError('no fragment');
		signer = publicKeyOfDidKey(method);
	} catch {
		return fail(
			'bad-verification-method',
			typeof method === 'string' ? method.slice(0, 120) : undefined
		);
	}
	const withSigner = (code: ProblemCode, detail?: string): ProofCheck => ({
		...(fail(code, detail) as { ok: false; problem: Problem }),
		signer,
		verificationMethod: method
	});
	if (proof['proofPurpose'] !== expected.proofPurpose) {
		return withSigner(
			'wrong-proof-purpose',
			`${shown(proof['proofPurpose'], 40)}, expected ${expected.proofPurpose}`
		);
	}
	for (const field of ['created', 'expires'] as const) {
		if (proof[field] !== undefined && parseDateTime(proof[field]) === undefined) {
			return withSigner('bad-date', field);
		}
	}
	const expires = parseDateTime(proof['expires']);
	if (expires !== undefined && expires <= expected.now)
		return withSigner('proof-expired', shown(proof['expires']));
	if (expected.domain !== undefined && proof['domain'] !== expected.domain) {
		return withSigner(
			'wrong-domain',
			typeof proof['domain'] === 'string' ? proof['domain'].slice(0, 80) : 'none'
		);
	}
	if (expected.challenge !== undefined && proof['challenge'] !== expected.challenge) {
		return withSigner('wrong-challenge');
	}
	const value = proof['proofValue'];
	const signature = tryDecodeBase58btc(value);
	if (signature === undefined || signature.length !== 64) return withSigner('bad-proof-value');
	const options = Object.fromEntries(Object.entries(proof).filter(([key]) => key !== 'proofValue'));
	// When the proof names contexts, the document's must begin with them, in order (vc-di-eddsa 3.3.2).
	const proofContext = options['@context'];
	let unsecured = withoutProof(document);
	if (proofContext !== undefined) {
		const documentContext = document['@context'];
		const wanted = Array.isArray(proofContext) ? proofContext : [proofContext];
		const have = Array.isArray(documentContext) ? documentContext : [documentContext];
		if (!wanted.every((context, index) => context === have[index]))
			return withSigner('context-mismatch');
		unsecured = { ...unsecured, '@context': proofContext };
	}
	try {
		const data = await hashData(options, unsecured);
		const key = await importPublicKey(signer);
		const valid = await crypto.subtle.verify(
			{ name: 'Ed25519' },
			key,
			new Uint8Array(signature),
			data
		);
		if (!valid) return withSigner('signature-mismatch');
	} catch {
		return withSigner('signature-mismatch');
	}
	const created = typeof proof['created'] === 'string' ? proof['created'] : undefined;
	return {
		ok: true,
		verificationMethod: method,
		signer,
		...(created === undefined ? {} : { created })
	};
}

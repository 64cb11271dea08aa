import { isJsonValue, type JsonValue } from '$lib/crypto/canonical-json';
import { CREDENTIALS_V2, KNOWN_CONTEXTS } from './contexts';
import { isDidKey, publicKeyOfDidKey } from './did-key';
import { parseDateTime, proofsOf, shown, verifyProof, type ProofCheck } from './data-integrity';
import type { Problem, ProblemCode } from './problems';

/**
 * Verifying a W3C Verifiable Credential 2.0 or Presentation secured with eddsa-jcs-2022 proofs and
 * did:key, from untrusted bytes, with no network. In order of cost: size (before anything is
 * parsed), JSON, the VC 2.0 shape, the contexts (an allow-list), validity dates, then each proof
 * on its own. The result says what was verified and what was not; nothing here throws.
 */

/** Bytes past which a file is refused unread. 1,000 jobs and their evidence take about 250 kB. */
export const MAX_CREDENTIAL_BYTES = 2 * 1024 * 1024;

type JsonObject = { readonly [key: string]: JsonValue };

export type Status = 'verified' | 'failed' | 'not-credential';

export interface ProofReport {
	/** `proof[0]`... */
	readonly at: string;
	readonly ok: boolean;
	/** The signer's did:key, when the proof names a usable one. */
	readonly signer?: string;
	readonly created?: string;
	readonly problem?: Problem;
}

export interface CredentialReport {
	readonly status: Status;
	/** Problems of the document itself (shape, contexts, dates); proofs have their own. */
	readonly problems: readonly Problem[];
	readonly proofs: readonly ProofReport[];
	/** The credential, when the input was one (verified or not). */
	readonly credential?: JsonObject;
}

export interface PresentationReport {
	readonly status: Status;
	readonly problems: readonly Problem[];
	/** The holder's proofs. */
	readonly proofs: readonly ProofReport[];
	readonly holder?: string;
	readonly credentials: readonly CredentialReport[];
}

export interface VerifyOptions {
	/** ms since the epoch, for validity dates; the caller's clock. */
	readonly now: number;
}

export interface PresentationOptions extends VerifyOptions {
	/** The co-op (or service) the presentation must be bound to. */
	readonly domain: string;
	readonly challenge?: string;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(code: ProblemCode, at: string, detail?: string): Problem {
	return detail === undefined ? { code, at } : { code, at, detail };
}

export type Parsed =
	| { readonly ok: true; readonly value: JsonValue }
	| { readonly ok: false; readonly problem: Problem };

/** Parses untrusted text or bytes as JSON, refusing by size first. */
export function parseUntrusted(
	input: string | Uint8Array,
	maxBytes = MAX_CREDENTIAL_BYTES
): Parsed {
	// A string's UTF-8 is at least as long as its length: a long string is refused before encoding.
	if (input.length > maxBytes)
		return { ok: false, problem: problem('too-large', '', `more than ${maxBytes} bytes`) };
	let text: string;
	if (typeof input === 'string') {
		if (new TextEncoder().encode(input).length > maxBytes) {
			return { ok: false, problem: problem('too-large', '', `more than ${maxBytes} bytes`) };
		}
		text = input;
	} else {
		try {
			text = new TextDecoder('utf-8', { fatal: true }).decode(input);
		} catch {
			return { ok: false, problem: problem('not-json', '', 'not UTF-8') };
		}
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return { ok: false, problem: problem('not-json', '') };
	}
	// Deep nesting, lone surrogates and the like have no canonical form: nothing could have signed them.
	if (!isJsonValue(value)) return { ok: false, problem: problem('too-deep', '') };
	return { ok: true, value };
}

function typesOf(value: JsonValue | undefined): readonly string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value))
		return value.filter((entry): entry is string => typeof entry === 'string');
	return [];
}

/** Problems of the `@context` list: it must start with VC 2.0, and every entry must be known. */
function contextProblems(document: JsonObject, at: string): Problem[] {
	const context = document['@context'];
	if (!Array.isArray(context) || context[0] !== CREDENTIALS_V2)
		return [problem('not-credential', at)];
	const problems: Problem[] = [];
	for (const entry of context as readonly JsonValue[]) {
		if (typeof entry !== 'string' || !KNOWN_CONTEXTS.has(entry)) {
			problems.push(
				problem(
					'unknown-context',
					`${at}@context`,
					typeof entry === 'string' ? entry.slice(0, 120) : 'an embedded context'
				)
			);
		}
	}
	return problems;
}

function didOf(value: JsonValue | undefined): string | undefined {
	if (typeof value === 'string') return value;
	if (isObject(value) && typeof value['id'] === 'string') return value['id'];
	return undefined;
}

function proofReport(at: string, check: ProofCheck): ProofReport {
	const signer = check.verificationMethod?.split('#')[0];
	const named = signer === undefined ? {} : { signer };
	if (check.ok)
		return {
			at,
			ok: true,
			...named,
			...(check.created === undefined ? {} : { created: check.created })
		};
	return { at, ok: false, problem: check.problem, ...named };
}

async function checkProofs(
	document: JsonObject,
	at: string,
	expected: { proofPurpose: string; now: number; domain?: string; challenge?: string }
): Promise<{ problems: Problem[]; proofs: ProofReport[] }> {
	const proofs = proofsOf(document);
	if (proofs.length === 0) return { problems: [problem('no-proof', at)], proofs: [] };
	const multiple = Array.isArray(document['proof']);
	const checks = await Promise.all(
		proofs.map(async (proof, index) => {
			const place = `${at}proof${multiple ? `[${index}]` : ''}`;
			return proofReport(place, await verifyProof(document, proof, expected, place));
		})
	);
	return { problems: [], proofs: checks };
}

/** Checks a parsed value as a VC 2.0 credential. */
export async function verifyCredential(
	value: JsonValue,
	options: VerifyOptions,
	at = ''
): Promise<CredentialReport> {
	if (!isObject(value) || !typesOf(value['type']).includes('VerifiableCredential')) {
		return { status: 'not-credential', problems: [problem('not-credential', at)], proofs: [] };
	}
	const contextual = contextProblems(value, at);
	if (contextual.some((entry) => entry.code === 'not-credential')) {
		return { status: 'not-credential', problems: contextual, proofs: [] };
	}
	const problems = [...contextual];
	const issuer = didOf(value['issuer']);
	if (issuer === undefined) problems.push(problem('bad-field', `${at}issuer`));
	if (!isObject(value['credentialSubject']) && !Array.isArray(value['credentialSubject'])) {
		problems.push(problem('bad-field', `${at}credentialSubject`));
	}
	for (const field of ['validFrom', 'validUntil'] as const) {
		if (value[field] !== undefined && parseDateTime(value[field]) === undefined) {
			problems.push(problem('bad-date', `${at}${field}`));
		}
	}
	const validFrom = parseDateTime(value['validFrom']);
	const validUntil = parseDateTime(value['validUntil']);
	if (validFrom !== undefined && validFrom > options.now)
		problems.push(problem('not-yet-valid', `${at}validFrom`, shown(value['validFrom'])));
	if (validUntil !== undefined && validUntil <= options.now)
		problems.push(problem('expired', `${at}validUntil`, shown(value['validUntil'])));
	const checked = await checkProofs(value, at, {
		proofPurpose: 'assertionMethod',
		now: options.now
	});
	problems.push(...checked.problems);
	// An issuer that is itself a key must be one of the signers; any other issuer is only a name.
	if (
		issuer !== undefined &&
		isDidKey(issuer) &&
		!checked.proofs.some((proof) => proof.ok && proof.signer === issuer)
	) {
		problems.push(problem('issuer-not-signer', `${at}issuer`));
	}
	const ok = problems.length === 0 && checked.proofs.every((proof) => proof.ok);
	return {
		status: ok ? 'verified' : 'failed',
		problems,
		proofs: checked.proofs,
		credential: value
	};
}

/** Parses and checks untrusted input as a credential. */
export async function verifyCredentialInput(
	input: string | Uint8Array,
	options: VerifyOptions
): Promise<CredentialReport> {
	const parsed = parseUntrusted(input);
	if (!parsed.ok) return { status: 'not-credential', problems: [parsed.problem], proofs: [] };
	return verifyCredential(parsed.value, options);
}

/** The credential's subject id (its first subject's), if any. */
export function subjectOf(credential: JsonObject): string | undefined {
	const subject = credential['credentialSubject'];
	const first: JsonValue | undefined = Array.isArray(subject)
		? (subject as readonly JsonValue[])[0]
		: subject;
	return isObject(first) && typeof first['id'] === 'string' ? first['id'] : undefined;
}

/**
 * Checks a parsed value as a VC 2.0 presentation bound to `options.domain`: signed by its holder
 * (a did:key) for authentication, and every credential in it about that holder and verified.
 */
export async function verifyPresentation(
	value: JsonValue,
	options: PresentationOptions
): Promise<PresentationReport> {
	if (!isObject(value) || !typesOf(value['type']).includes('VerifiablePresentation')) {
		return {
			status: 'not-credential',
			problems: [problem('not-presentation', '')],
			proofs: [],
			credentials: []
		};
	}
	const contextual = contextProblems(value, '');
	if (contextual.some((entry) => entry.code === 'not-credential')) {
		return {
			status: 'not-credential',
			problems: [problem('not-presentation', '')],
			proofs: [],
			credentials: []
		};
	}
	const problems = [...contextual];
	const holder = value['holder'];
	const holderDid = typeof holder === 'string' && isDidKey(holder) ? holder : undefined;
	if (holderDid === undefined) problems.push(problem('bad-field', 'holder', 'a did:key'));
	const checked = await checkProofs(value, '', {
		proofPurpose: 'authentication',
		now: options.now,
		domain: options.domain,
		...(options.challenge === undefined ? {} : { challenge: options.challenge })
	});
	problems.push(...checked.problems);
	if (
		holderDid !== undefined &&
		!checked.proofs.some((proof) => proof.ok && proof.signer === holderDid)
	) {
		problems.push(problem('holder-not-signer', 'holder'));
	}
	const embedded = value['verifiableCredential'];
	const list: readonly JsonValue[] =
		embedded === undefined
			? []
			: Array.isArray(embedded)
				? (embedded as readonly JsonValue[])
				: [embedded];
	if (list.length === 0) problems.push(problem('no-credential', 'verifiableCredential'));
	const credentials = await Promise.all(
		list.map((credential, index) =>
			verifyCredential(credential, options, `verifiableCredential[${index}].`)
		)
	);
	credentials.forEach((report, index) => {
		const subject = report.credential === undefined ? undefined : subjectOf(report.credential);
		if (holderDid !== undefined && subject !== holderDid) {
			problems.push(
				problem('holder-not-subject', `verifiableCredential[${index}].credentialSubject.id`)
			);
		}
	});
	const ok =
		problems.length === 0 &&
		checked.proofs.every((proof) => proof.ok) &&
		credentials.every((report) => report.status === 'verified');
	return {
		status: ok ? 'verified' : 'failed',
		problems,
		proofs: checked.proofs,
		...(holderDid === undefined ? {} : { holder: holderDid }),
		credentials
	};
}

/** The public key (base64url) of a did:key, or `undefined`. */
export function publicKeyOf(did: string | undefined): string | undefined {
	if (did === undefined) return undefined;
	try {
		return publicKeyOfDidKey(did);
	} catch {
		return undefined;
	}
}

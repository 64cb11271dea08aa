/**
 * Everything a credential, a presentation or one of their proofs can be refused for, each with a
 * plain English sentence (the command-line verifier prints it; the app shows its own translation
 * of the same code). A problem never says more than was checked.
 */

export const PROBLEMS = {
	'too-large': 'The file is larger than any credential this verifier accepts; it was not read.',
	'not-json': 'The file is not JSON: it is truncated, damaged or not a credential at all.',
	'too-deep': 'The JSON nests deeper than any credential does.',
	'not-credential':
		'This is JSON, but not a W3C Verifiable Credential 2.0 (its @context or type is missing).',
	'not-presentation': 'This is not a W3C Verifiable Presentation 2.0.',
	'unknown-context':
		'It names a JSON-LD context this verifier does not know, so its terms cannot be trusted.',
	'bad-field': 'A required field is missing or has the wrong form.',
	'not-yet-valid': 'It is not valid yet (validFrom is in the future).',
	expired: 'It has expired (validUntil is past).',
	'no-proof': 'It carries no proof: nothing vouches for it.',
	'unknown-proof-type': 'A proof is not a DataIntegrityProof.',
	'unknown-cryptosuite': 'A proof uses a cryptosuite other than eddsa-jcs-2022.',
	'wrong-proof-purpose': 'A proof was made for another purpose than the one checked.',
	'bad-verification-method': 'A proof names a key that is not an Ed25519 did:key.',
	'bad-proof-value': 'A proof value is not a base58btc Ed25519 signature.',
	'bad-date': 'A date is not an XML Schema dateTime.',
	'proof-expired': 'A proof has expired.',
	'context-mismatch': 'A proof was made over other contexts than the document has.',
	'wrong-domain': 'The presentation was made for another co-op or service (its domain differs).',
	'wrong-challenge': 'The presentation answers another challenge.',
	'signature-mismatch':
		'The signature does not match: the document was changed after it was signed, or another key signed it.',
	'issuer-not-signer': 'The issuer is a did:key, but no proof is by that key.',
	'holder-not-subject':
		'The presentation is signed by someone other than the subject of the credential.',
	'holder-not-signer': 'The presentation is not signed by its holder.',
	'no-credential': 'The presentation carries no credential.'
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export interface Problem {
	readonly code: ProblemCode;
	/** Where: `proof[1]`, `validUntil`, `verifiableCredential[0].proof[0]`... */
	readonly at: string;
	/** A short detail (the unknown context, the purpose found); never the whole input. */
	readonly detail?: string;
}

/** The English sentence for a problem, with its place and detail. */
export function describeProblem(problem: Problem): string {
	const detail = problem.detail === undefined ? '' : ` (${problem.detail})`;
	const at = problem.at === '' ? '' : `${problem.at}: `;
	return `${at}${PROBLEMS[problem.code]}${detail}`;
}

import { canonicalBytes, type JsonValue } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import type { SigningKey } from '$lib/crypto/keys';
import type { CoopState } from '$lib/domain/coop-state';
import { wallOf } from '$lib/domain/kernel/hlc';
import type { CredentialRequestView } from '$lib/domain/credentials/view';
import {
	appendProof,
	createProof,
	CRYPTOSUITE,
	dateTimeOf,
	PROOF_TYPE,
	type DataIntegrityProof
} from './data-integrity';
import { verificationMethodOf } from './did-key';
import { membershipEvidenceFor, type RecordEntry } from './membership-evidence';
import { reputationClaims, stateAt } from './reputation-claims';
import { workCredential } from './work-credential';

/**
 * The co-signing flow, as pure functions over a co-op's state and records:
 * 1. the member builds the unsigned credential of their work up to a cutoff, and requests it
 *    with its digest, naming the members asked to co-sign;
 * 2. each asked member's device builds the same credential from its own copy of the co-op, checks
 *    the digest (equal only if the device holds the same records), and signs it or declines;
 * 3. anyone assembles the signed credential from the request and the signatures.
 * Every device builds the same bytes because the credential depends only on the records stamped
 * before the cutoff and on the request's fields.
 */

type JsonObject = { [key: string]: JsonValue };

/** What the unsigned credential is built from, besides the co-op's state and records. */
export interface CredentialParams {
	readonly member: string;
	readonly signers: readonly string[];
	readonly cutoff: number;
	readonly coopName: string;
	readonly memberName: string;
	/** Whether to add the skills with their endorsements and the feedback summary. */
	readonly reputation?: boolean;
	/** Further claims, by name. */
	readonly extensions?: { readonly [name: string]: JsonValue };
}

/** The unsigned credential of `params`, from this device's state and verified records. */
export function unsignedCredential(
	state: CoopState,
	records: readonly RecordEntry[],
	params: CredentialParams,
	/** The co-op as every record before the cutoff made it (a device may keep it between calls). */
	atCutoff: typeof stateAt = stateAt
): JsonObject | undefined {
	const coop = state.coop;
	const member = state.members.find((entry) => entry.id === params.member);
	if (coop === null || member === undefined) return undefined;
	const before = records.filter((entry) => wallOf(entry.record.at) < params.cutoff);
	const devices = state.members
		.filter((entry) => params.signers.includes(entry.id))
		.flatMap((entry) => entry.devices);
	const leftAt = member.leftAt === null ? undefined : wallOf(member.leftAt);
	const extensions = {
		...(params.reputation === true
			? reputationClaims(atCutoff(coop.id, records, params.cutoff), params.member)
			: {}),
		...params.extensions
	};
	return workCredential({
		id: `urn:ours:credential:${coop.id}:${params.member}:${params.cutoff}`,
		coop: coop.id,
		coopName: params.coopName,
		member: params.member,
		memberName: params.memberName,
		since: wallOf(member.joinedAt),
		...(leftAt !== undefined && leftAt < params.cutoff ? { until: leftAt } : {}),
		work: state.credentials.completedWork.filter(
			(row) => row.member === params.member && row.endedAt < params.cutoff
		),
		issuedAt: params.cutoff,
		evidence: membershipEvidenceFor(before, devices),
		...(Object.keys(extensions).length === 0 ? {} : { extensions })
	});
}

/** The digest a request carries: base64url SHA-256 of the canonical unsigned credential. */
export function credentialDigest(unsigned: JsonObject): Promise<string> {
	return sha256Base64url(canonicalBytes(unsigned));
}

/** The parameters of a request, as its record gave them. */
export function paramsOf(request: CredentialRequestView): CredentialParams {
	return {
		member: request.member,
		signers: request.signers,
		cutoff: request.cutoff,
		coopName: request.coopName,
		memberName: request.memberName,
		reputation: request.reputation
	};
}

/** A co-signer's signature of the credential: what its `credential.sign` record carries. */
export async function coSign(
	unsigned: JsonObject,
	key: SigningKey,
	now: number
): Promise<{ created: string; proofValue: string }> {
	const proof = await createProof(unsigned, key, {
		proofPurpose: 'assertionMethod',
		created: dateTimeOf(now)
	});
	return { created: proof['created'] as string, proofValue: proof.proofValue };
}

/** The proof a `credential.sign` answer stands for. */
export function proofOfAnswer(
	unsigned: JsonObject,
	answer: { device: string; created: string; proofValue: string }
): DataIntegrityProof {
	return {
		type: PROOF_TYPE,
		cryptosuite: CRYPTOSUITE,
		created: answer.created,
		verificationMethod: verificationMethodOf(answer.device),
		proofPurpose: 'assertionMethod',
		'@context': unsigned['@context']!,
		proofValue: answer.proofValue
	};
}

/** The credential with the proofs of every signature the request received, in their order. */
export function assembleCredential(
	unsigned: JsonObject,
	request: CredentialRequestView
): JsonObject {
	let signed = unsigned;
	for (const answer of request.answers) {
		if (answer.kind === 'signed') signed = appendProof(signed, proofOfAnswer(unsigned, answer));
	}
	return signed;
}

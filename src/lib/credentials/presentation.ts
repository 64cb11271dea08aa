import type { JsonValue } from '$lib/crypto/canonical-json';
import type { SigningKey } from '$lib/crypto/keys';
import { CREDENTIALS_V2 } from './contexts';
import { createProof, dateTimeOf, parseDateTime } from './data-integrity';
import { didKeyOf } from './did-key';
import { verifyMembershipEvidence, type MembershipReport } from './membership-evidence';
import type { Problem } from './problems';
import {
	parseUntrusted,
	publicKeyOf,
	subjectOf,
	verifyCredential,
	verifyPresentation,
	type CredentialReport,
	type PresentationReport
} from './verify';

/**
 * Presenting a credential to a co-op: the holder wraps it in a W3C Verifiable Presentation and
 * signs it (`proofPurpose: authentication`) with the key the credential is about. The proof's
 * `domain` is the receiving co-op's id and its `challenge` names that co-op and the member who
 * presents it there, so the presentation counts only in that co-op and only in that member's
 * record: copied into another co-op, or into another member's record, it fails (`wrong-domain`,
 * `wrong-challenge`). See docs/reputation.md, "Presenting a record".
 */

type JsonObject = { readonly [key: string]: JsonValue };

export { MAX_PRESENTATION_CHARS } from '$lib/domain/credentials/records';

/** The challenge binding a presentation to `member` (their member id) in `coop`. */
export function presentationChallenge(coop: string, member: string): string {
	return `ours:present:v1:${coop}:${member}`;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The public key (base64url) the credential's subject names, if it is a did:key. */
export function subjectKeyOf(credential: JsonObject): string | undefined {
	return publicKeyOf(subjectOf(credential));
}

/**
 * The presentation of `credential` by the holder of `key` (the key the credential names) to
 * `member` of `coop`: a VP with one credential and the holder's authentication proof.
 */
export async function presentCredential(
	credential: JsonObject,
	key: SigningKey,
	binding: { readonly coop: string; readonly member: string; readonly now: number }
): Promise<JsonObject> {
	const unsigned: JsonObject = {
		'@context': [CREDENTIALS_V2],
		type: ['VerifiablePresentation'],
		holder: didKeyOf(key.publicKey),
		verifiableCredential: [credential]
	};
	const proof = await createProof(unsigned, key, {
		proofPurpose: 'authentication',
		created: dateTimeOf(binding.now),
		domain: binding.coop,
		challenge: presentationChallenge(binding.coop, binding.member)
	});
	return { ...unsigned, proof };
}

/** The work of one kind, as a credential of ours claims it. */
export interface WorkByKind {
	readonly kind: string;
	readonly items: number;
	readonly minutes: number;
}

/** A skill the credential lists, with what it says of it. */
export interface ClaimedSkill {
	readonly name: string;
	readonly level?: string;
	readonly endorsements?: number;
}

/** What a credential says, read from its JSON; only shown when it verifies. */
export interface Claims {
	readonly name?: string;
	readonly issuerName?: string;
	readonly subjectName?: string;
	readonly subject?: string;
	readonly from?: number;
	readonly until?: number;
	readonly validFrom?: number;
	readonly validUntil?: number;
	readonly items?: number;
	readonly minutes?: number;
	readonly byKind: readonly WorkByKind[];
	readonly skills: readonly ClaimedSkill[];
	/** The feedback summary's counts by criterion, when the credential has one. */
	readonly feedback: readonly { readonly criterion: string; readonly count: number }[];
}

const short = (value: JsonValue | undefined, max = 120): string | undefined =>
	typeof value === 'string' ? value.slice(0, max) : undefined;
const count = (value: JsonValue | undefined): number | undefined =>
	typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/** Reads what a credential claims, defensively: missing or odd fields are left out. */
export function claimsOf(credential: JsonObject): Claims {
	const subjectValue = credential['credentialSubject'];
	const subject = isObject(subjectValue)
		? subjectValue
		: Array.isArray(subjectValue) && isObject(subjectValue[0])
			? subjectValue[0]
			: {};
	const issuer = credential['issuer'];
	const work = isObject(subject['work']) ? subject['work'] : {};
	const byKind = (Array.isArray(work['byKind']) ? work['byKind'] : [])
		.slice(0, 20)
		.flatMap((row): WorkByKind[] => {
			if (!isObject(row)) return [];
			const kind = short(row['kind'], 40);
			const items = count(row['items']);
			const minutes = count(row['minutes']);
			return kind === undefined || items === undefined || minutes === undefined
				? []
				: [{ kind, items, minutes }];
		});
	const skillsValue = subject['skills'];
	const skillList = Array.isArray(skillsValue)
		? skillsValue
		: isObject(skillsValue) && Array.isArray(skillsValue['items'])
			? skillsValue['items']
			: [];
	const skills = skillList.slice(0, 40).flatMap((entry): ClaimedSkill[] => {
		if (typeof entry === 'string') return [{ name: entry.slice(0, 40) }];
		if (!isObject(entry)) return [];
		const name = short(entry['name'] ?? entry['skill'], 40);
		if (name === undefined) return [];
		const level = short(entry['level'], 20);
		const endorsedBy = entry['endorsements'];
		const endorsements = Array.isArray(endorsedBy) ? endorsedBy.length : count(endorsedBy);
		return [
			{
				name,
				...(level === undefined ? {} : { level }),
				...(endorsements === undefined ? {} : { endorsements })
			}
		];
	});
	const feedbackValue = subject['feedback'];
	const feedback: { criterion: string; count: number }[] = [];
	if (isObject(feedbackValue)) {
		const criteria = isObject(feedbackValue['criteria']) ? feedbackValue['criteria'] : {};
		for (const [criterion, value] of Object.entries(criteria).slice(0, 10)) {
			const n = isObject(value) ? count(value['count']) : count(value);
			if (n !== undefined) feedback.push({ criterion: criterion.slice(0, 40), count: n });
		}
	}
	const optional = <K extends string, V>(key: K, value: V | undefined) =>
		(value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
	return {
		...optional('name', short(credential['name'])),
		...optional('issuerName', isObject(issuer) ? short(issuer['name'], 80) : undefined),
		...optional('subjectName', short(subject['name'], 60)),
		...optional('subject', short(subject['id'], 80)),
		...optional('from', parseDateTime(subject['activityStartDate'])),
		...optional('until', parseDateTime(subject['activityEndDate'])),
		...optional('validFrom', parseDateTime(credential['validFrom'])),
		...optional('validUntil', parseDateTime(credential['validUntil'])),
		...optional('items', count(work['items'])),
		...optional('minutes', count(work['minutes'])),
		byKind,
		skills,
		feedback
	};
}

/**
 * The verdict on a presented credential:
 * - `verified`: the holder's proof binds it to this co-op and member, the holder is its subject,
 *   every co-signer's proof checks and every co-signer is shown a member of the issuing co-op;
 * - `unproven`: every signature checks, but the evidence does not show every co-signer a member;
 * - `refused`: anything else (damaged, tampered, expired, made for another co-op or member,
 *   presented by someone else): nothing of it is shown as a claim.
 */
export type PresentedStatus = 'verified' | 'unproven' | 'refused';

/** Refused, or verified when the evidence shows every co-signer a member (or is not ours). */
function statusOf(refused: boolean, membership: MembershipReport | undefined): PresentedStatus {
	if (refused) return 'refused';
	return membership === undefined || membership.ok ? 'verified' : 'unproven';
}

export interface PresentedCheck {
	readonly status: PresentedStatus;
	/** Every problem found, the presentation's and the credential's, in the order found. */
	readonly problems: readonly Problem[];
	readonly presentation?: PresentationReport;
	readonly credential?: CredentialReport;
	/** The issuing co-op's membership evidence, for a credential of this app. */
	readonly membership?: MembershipReport;
	/** What it claims: only when not refused. */
	readonly claims?: Claims;
	/** The holder's proof's `created`, ms. */
	readonly presentedAt?: number;
}

/**
 * Checks untrusted text as a presentation to `member` of `coop`, with no network: the holder's
 * proof (domain, challenge, key), that the holder is the credential's subject, the credential
 * and its co-signers' membership evidence. Never throws.
 */
export async function checkPresented(
	input: string | Uint8Array,
	binding: { readonly coop: string; readonly member: string; readonly now: number },
	maxBytes?: number
): Promise<PresentedCheck> {
	const parsed = parseUntrusted(input, maxBytes);
	if (!parsed.ok) return { status: 'refused', problems: [parsed.problem] };
	const presentation = await verifyPresentation(parsed.value, {
		domain: binding.coop,
		challenge: presentationChallenge(binding.coop, binding.member),
		now: binding.now
	});
	// A proof by the holder that fails for its own reason (another co-op or member) is that reason:
	// "not signed by its holder" would only repeat it.
	const holderSigned = presentation.proofs.some(
		(proof) => proof.signer !== undefined && proof.signer === presentation.holder
	);
	const problems: Problem[] = presentation.problems.filter(
		(problem) => !(problem.code === 'holder-not-signer' && holderSigned)
	);
	for (const proof of presentation.proofs) if (proof.problem) problems.push(proof.problem);
	if (presentation.credentials.length > 1)
		problems.push({ code: 'bad-field', at: 'verifiableCredential', detail: 'one credential' });
	const credential = presentation.credentials[0];
	for (const problem of credential?.problems ?? []) problems.push(problem);
	for (const proof of credential?.proofs ?? []) if (proof.problem) problems.push(proof.problem);
	const document = credential?.credential;
	const membership =
		document === undefined
			? undefined
			: await verifyMembershipEvidence(
					document,
					(credential?.proofs ?? []).filter((proof) => proof.ok).map((proof) => proof.signer!)
				);
	const holderProof = presentation.proofs.find((proof) => proof.ok);
	const presentedAt = parseDateTime(holderProof?.created);
	const refused =
		presentation.status !== 'verified' ||
		problems.length > 0 ||
		credential === undefined ||
		document === undefined;
	const status = statusOf(refused, membership);
	return {
		status,
		problems,
		presentation,
		...(credential === undefined ? {} : { credential }),
		...(membership === undefined ? {} : { membership }),
		...(status === 'refused' || document === undefined ? {} : { claims: claimsOf(document) }),
		...(presentedAt === undefined ? {} : { presentedAt })
	};
}

/**
 * Checks untrusted text as a credential the holder means to present: the credential itself (not
 * yet a presentation), its co-signers' membership, and what it claims. The device shows this
 * before the holder signs anything; a refused one cannot be attached. Never throws.
 */
export async function checkToPresent(
	input: string | Uint8Array,
	now: number
): Promise<PresentedCheck & { readonly subjectKey?: string }> {
	const parsed = parseUntrusted(input);
	if (!parsed.ok) return { status: 'refused', problems: [parsed.problem] };
	const credential = await verifyCredential(parsed.value, { now });
	const problems: Problem[] = [...credential.problems];
	for (const proof of credential.proofs) if (proof.problem) problems.push(proof.problem);
	const document = credential.credential;
	if (document === undefined) return { status: 'refused', problems, credential };
	const membership = await verifyMembershipEvidence(
		document,
		credential.proofs.filter((proof) => proof.ok).map((proof) => proof.signer!)
	);
	const subjectKey = subjectKeyOf(document);
	if (subjectKey === undefined) problems.push({ code: 'bad-field', at: 'credentialSubject.id' });
	const status = statusOf(credential.status !== 'verified' || problems.length > 0, membership);
	return {
		status,
		problems,
		credential,
		...(membership === undefined ? {} : { membership }),
		...(status === 'refused' ? {} : { claims: claimsOf(document) }),
		...(subjectKey === undefined ? {} : { subjectKey })
	};
}

import type { JsonValue } from '$lib/crypto/canonical-json';
import type { SigningKey } from '$lib/crypto/keys';
import { appendProof, createProof } from '$lib/credentials/data-integrity';
import { membershipEvidenceFor } from '$lib/credentials/membership-evidence';
import { workCredential } from '$lib/credentials/work-credential';
import type { CompletedWork } from '$lib/domain/work/queries';
import { DAY, foundCoop, T0, verifiedAll, type Device } from '../domain/fixtures';

type Json = { [key: string]: JsonValue };

/** `count` pieces of completed work by `member`, one a day from T0, jobs and shifts alternating. */
export function completedWork(member: string, count: number): CompletedWork[] {
	return Array.from({ length: count }, (_, index) => {
		const endedAt = T0 + index * DAY;
		return {
			item: `item-${index}`,
			kind: index % 3 === 0 ? 'shift' : 'job',
			member,
			minutes: 60 + (index % 5) * 30,
			pay: 2_000,
			endedAt,
			period: new Date(endedAt).toISOString().slice(0, 7),
			record: `record-${String(index).padStart(6, '0')}-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`
		};
	});
}

/** Signs `document` with each key, as co-signers do (a proof set). */
export async function coSign(
	document: Json,
	keys: readonly SigningKey[],
	created?: string
): Promise<Json> {
	let signed = document;
	for (const key of keys) {
		const proof = await createProof(document, key, {
			proofPurpose: 'assertionMethod',
			...(created === undefined ? {} : { created })
		});
		signed = appendProof(signed, proof);
	}
	return signed;
}

/**
 * A co-op of three (founder, two invited), the third member's work record co-signed by the first
 * two, with the records proving they were members. `signers` picks who signs.
 */
export async function coopCredential(
	options: {
		jobs?: number;
		listItems?: boolean;
		signers?: (people: Device[]) => Device[];
		extensions?: { [name: string]: JsonValue };
	} = {}
) {
	const { world, people } = await foundCoop(3);
	const subject = people[2]!;
	const signers = options.signers?.(people) ?? [people[0]!, people[1]!];
	const records = await verifiedAll(world.entries, world.coop);
	const unsigned = workCredential({
		id: 'urn:uuid:4f0e5a0c-8d3a-4b8e-9c61-1d2c3b4a5f60',
		coop: world.coop,
		coopName: 'Bakery co-op',
		member: subject.id,
		memberName: 'Sam',
		since: world.now - DAY,
		work: completedWork(subject.id, options.jobs ?? 40),
		listItems: options.listItems ?? false,
		issuedAt: Date.UTC(2026, 0, 1),
		evidence: membershipEvidenceFor(
			records,
			signers.map((device) => device.id)
		),
		...(options.extensions === undefined ? {} : { extensions: options.extensions })
	});
	const signed = await coSign(
		unsigned,
		signers.map((device) => device.key)
	);
	return { world, people, subject, signers, unsigned, signed };
}

/**
 * The skills and feedback claims of a well-endorsed member: `skills` skills, each endorsed by
 * `endorsers` colleagues with a sentence, and a year of feedback; shaped as `reputationClaims`
 * writes them.
 */
export function typicalReputation(skills = 8, endorsers = 3): Json {
	const did = (index: number) =>
		`did:key:z6Mk${'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRS'.slice(0, 44)}${index}`;
	return {
		skills: {
			type: 'OursSkills',
			endorsementsToQualify: 2,
			items: Array.from({ length: skills }, (_, skill) => ({
				name: `Skill number ${skill + 1}`,
				level: skill % 3 === 0 ? 'can-teach' : 'can-do',
				qualified: true,
				endorsements: Array.from({ length: endorsers }, (_, by) => ({
					type: ['EndorsementSubject'],
					endorser: { id: did(by), name: `Colleague ${by + 1}` },
					date: `2025-0${(by % 9) + 1}-1${skill % 9}T10:00:00Z`,
					endorsementComment: `Worked beside them on this for months; careful, quick and always explains what they do (${skill}.${by}).`
				}))
			}))
		},
		feedback: {
			type: 'OursFeedbackSummary',
			scale: { min: 1, max: 5 },
			count: 48,
			jobs: 40,
			criteria: ['quality', 'reliability', 'cooperation'].map((criterion, index) => ({
				criterion,
				counts: [0, 1 + index, 5, 17, 25 - index]
			}))
		}
	};
}

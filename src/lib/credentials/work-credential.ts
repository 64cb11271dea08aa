import type { JsonValue } from '$lib/crypto/canonical-json';
import type { SignedEnvelope } from '$lib/domain/kernel/envelope';
import type { CompletedWork } from '$lib/domain/work/queries';
import { CREDENTIALS_V2, OPEN_BADGES_V3 } from './contexts';
import { dateTimeOf } from './data-integrity';
import { didKeyOf } from './did-key';
import { COOP_URN_PREFIX, MEMBERSHIP_EVIDENCE_TYPE } from './membership-evidence';

/**
 * A member's record of work in a co-op, as an Open Badges 3.0 `OpenBadgeCredential` (an
 * `AchievementCredential`) in the W3C VC 2.0 data model: the achievement is membership
 * (`achievementType: "Membership"`), the subject's activity dates are the membership period, and
 * the work done is summed by kind and by month. The co-op is the issuer; its members co-sign it
 * (a proof set) and the records proving they were members travel in `evidence`. See
 * docs/reputation.md.
 */

type JsonObject = { [key: string]: JsonValue };

export const WORK_RECORD_TYPE = 'OursWorkRecord';

export interface WorkRecordInput {
	/** `urn:uuid:...` */
	readonly id: string;
	readonly coop: string;
	readonly coopName: string;
	/** The member id (its first device's public key). */
	readonly member: string;
	readonly memberName: string;
	/** Membership period, ms since the epoch; `until` is when the member left, if they did. */
	readonly since: number;
	readonly until?: number;
	/** The member's completed work. */
	readonly work: readonly CompletedWork[];
	/** Also list each piece of work (its completion record, kind, month and minutes). */
	readonly listItems?: boolean;
	readonly issuedAt: number;
	readonly validUntil?: number;
	/** The signed records proving the co-signers were members (`membershipEvidenceFor`). */
	readonly evidence: readonly SignedEnvelope[];
	/**
	 * Further claims about the subject under their own names (skills and endorsements, a feedback
	 * summary): added to `credentialSubject` as they are, so that the reputation area can add its
	 * part without changing this builder.
	 */
	readonly extensions?: { readonly [name: string]: JsonValue };
}

interface Total {
	items: number;
	minutes: number;
}

function totalsBy(
	work: readonly CompletedWork[],
	keyOf: (row: CompletedWork) => string
): JsonObject[] {
	const totals = new Map<string, Total>();
	for (const row of work) {
		const key = keyOf(row);
		const total = totals.get(key) ?? { items: 0, minutes: 0 };
		total.items++;
		total.minutes += row.minutes;
		totals.set(key, total);
	}
	return [...totals.entries()]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([key, total]) => ({ key, items: total.items, minutes: total.minutes }));
}

/** The unsigned credential for a member's work. */
export function workCredential(input: WorkRecordInput): JsonObject {
	const subjectDid = didKeyOf(input.member);
	const coopUrn = COOP_URN_PREFIX + input.coop;
	const minutes = input.work.reduce((sum, row) => sum + row.minutes, 0);
	const work: JsonObject = {
		type: WORK_RECORD_TYPE,
		items: input.work.length,
		minutes,
		byKind: totalsBy(input.work, (row) => row.kind).map(({ key, ...rest }) => ({
			kind: key!,
			...rest
		})),
		byMonth: totalsBy(input.work, (row) => row.period).map(({ key, ...rest }) => ({
			month: key!,
			...rest
		}))
	};
	if (input.listItems === true) {
		work['list'] = input.work.map((row) => ({
			record: row.record,
			kind: row.kind,
			month: row.period,
			minutes: row.minutes
		}));
	}
	const subject: JsonObject = {
		id: subjectDid,
		type: ['AchievementSubject'],
		name: input.memberName,
		activityStartDate: dateTimeOf(input.since),
		...(input.until === undefined ? {} : { activityEndDate: dateTimeOf(input.until) }),
		achievement: {
			id: `${coopUrn}#membership`,
			type: ['Achievement'],
			achievementType: 'Membership',
			name: `Member of ${input.coopName}`,
			description: `Membership of the co-operative ${input.coopName}, and the work recorded there.`,
			criteria: {
				narrative:
					'Admitted as a member of the co-op; the work listed was recorded as completed in its signed records.'
			}
		},
		work,
		...(input.extensions ?? {})
	};
	return {
		'@context': [CREDENTIALS_V2, OPEN_BADGES_V3],
		id: input.id,
		type: ['VerifiableCredential', 'OpenBadgeCredential'],
		name: `${input.memberName}: work record at ${input.coopName}`,
		issuer: { id: coopUrn, type: ['Profile'], name: input.coopName },
		validFrom: dateTimeOf(input.issuedAt),
		...(input.validUntil === undefined ? {} : { validUntil: dateTimeOf(input.validUntil) }),
		credentialSubject: subject,
		evidence: [
			{
				id: `${coopUrn}#membership-records`,
				type: ['Evidence', MEMBERSHIP_EVIDENCE_TYPE],
				name: 'Membership records',
				description:
					"The co-op's signed records showing that each co-signer was a member (genesis, invites, joins, device links).",
				records: input.evidence as unknown as JsonValue[]
			}
		]
	};
}

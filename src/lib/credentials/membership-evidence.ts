import { canonicalBytes, type JsonValue } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import { compareRecords, type SignedEnvelope, type Verified } from '$lib/domain/kernel/envelope';
import { wallOf } from '$lib/domain/kernel/hlc';
import { verifyRecord } from '$lib/domain/kernel/verify';
import { REGISTRY, type SignedRecord } from '$lib/domain/registry';
import { didKeyOf, publicKeyOfDidKey } from './did-key';

/**
 * The membership evidence of a credential issued by a co-op of this app: the co-op's own signed
 * records (docs/records.md) that show each co-signer was a member, carried in the credential's
 * `evidence` so that a stranger can check them with no network and no copy of the co-op.
 *
 * The records are checked exactly as a member's device checks them (shape, hash, signature,
 * proofs, co-op id), then replayed in their order: the genesis makes its founder a member, an
 * invite by a member followed by a join before it expires makes the joining device a member, a
 * device link by a member's device adds a device to that member. What this does not show is
 * written in docs/reputation.md: notably that nobody left or was removed afterwards.
 */

/** The issuer id of a co-op: `urn:ours:coop:<co-op id>`. */
export const COOP_URN_PREFIX = 'urn:ours:coop:';

/** The evidence type of the records. */
export const MEMBERSHIP_EVIDENCE_TYPE = 'OursMembershipRecords';

/** At most this many records are read from one credential's evidence. */
export const MAX_EVIDENCE_RECORDS = 256;

export type EvidenceProblem =
	| { readonly code: 'bad-record'; readonly index: number; readonly reason: string }
	| { readonly code: 'too-many-records' };

export interface SignerMembership {
	/** The signing key's did:key. */
	readonly signer: string;
	/** The member (did:key of the member id) the key belongs to, when the records show it. */
	readonly member?: string;
	/** How: founded the co-op, joined with an invite from another member, or a device of a member. */
	readonly how?: 'founder' | 'invited' | 'device';
	/** The member whose invite or device link vouched for it. */
	readonly vouchedBy?: string;
	/** When it became a member (ms since the epoch, as the records are stamped). */
	readonly since?: number;
}

export interface MembershipReport {
	/** The co-op id named by the issuer, when the issuer is a co-op of this app. */
	readonly coop: string;
	/** The co-op's name, from its genesis, when the evidence holds it. */
	readonly coopName?: string;
	readonly records: number;
	readonly problems: readonly EvidenceProblem[];
	readonly signers: readonly SignerMembership[];
	/** True when every signer is shown a member and every record checks. */
	readonly ok: boolean;
}

function isObject(value: unknown): value is { readonly [key: string]: JsonValue } {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The co-op id of a credential's issuer, or `undefined` when the issuer is not a co-op of ours. */
export function coopOfIssuer(credential: {
	readonly [key: string]: JsonValue;
}): string | undefined {
	const issuer = credential['issuer'];
	const id = typeof issuer === 'string' ? issuer : isObject(issuer) ? issuer['id'] : undefined;
	if (typeof id !== 'string' || !id.startsWith(COOP_URN_PREFIX)) return undefined;
	return id.slice(COOP_URN_PREFIX.length);
}

/** The signed records in a credential's membership evidence (unchecked). */
export function evidenceRecords(credential: {
	readonly [key: string]: JsonValue;
}): readonly JsonValue[] {
	const evidence = credential['evidence'];
	const list: readonly JsonValue[] = Array.isArray(evidence)
		? (evidence as readonly JsonValue[])
		: evidence === undefined
			? []
			: [evidence];
	const records: JsonValue[] = [];
	for (const entry of list) {
		if (!isObject(entry)) continue;
		const type = entry['type'];
		if (!Array.isArray(type) || !type.includes(MEMBERSHIP_EVIDENCE_TYPE)) continue;
		const inner = entry['records'];
		if (Array.isArray(inner)) records.push(...(inner as readonly JsonValue[]));
	}
	return records;
}

/**
 * Checks the membership evidence of a credential issued by a co-op of this app, for the given
 * signers (did:key). Returns `undefined` when the issuer is not such a co-op. Never throws.
 */
export async function verifyMembershipEvidence(
	credential: { readonly [key: string]: JsonValue },
	signers: readonly string[]
): Promise<MembershipReport | undefined> {
	const coop = coopOfIssuer(credential);
	if (coop === undefined) return undefined;
	const problems: EvidenceProblem[] = [];
	let records = evidenceRecords(credential);
	if (records.length > MAX_EVIDENCE_RECORDS) {
		problems.push({ code: 'too-many-records' });
		records = records.slice(0, MAX_EVIDENCE_RECORDS);
	}
	const verified: Verified[] = [];
	await Promise.all(
		records.map(async (record, index) => {
			try {
				const id = await sha256Base64url(canonicalBytes(record));
				const result = await verifyRecord(REGISTRY, id, record, coop);
				if (result.ok) verified.push(result.verified);
				else problems.push({ code: 'bad-record', index, reason: result.rejection.reason });
			} catch {
				problems.push({ code: 'bad-record', index, reason: 'invalid-shape' });
			}
		})
	);
	verified.sort(compareRecords);
	/** Device key -> what made it a member's. */
	const devices = new Map<string, Omit<SignerMembership, 'signer'> & { member: string }>();
	const invites = new Map<string, { by: string; expiresAt: number }>();
	let coopName: string | undefined;
	for (const { record: raw } of verified) {
		const record = raw as SignedRecord;
		const author = devices.get(record.author);
		switch (record.type) {
			case 'coop.genesis':
				if (coopName !== undefined) break;
				coopName = record.name;
				devices.set(record.founder, {
					member: record.founder,
					how: 'founder',
					since: record.created
				});
				break;
			case 'member.invite':
				if (author !== undefined && !invites.has(record.inviteId)) {
					invites.set(record.inviteId, { by: author.member, expiresAt: record.expiresAt });
				}
				break;
			case 'member.join': {
				const invite = invites.get(record.inviteId);
				const at = wallOf(record.at);
				if (invite !== undefined && at < invite.expiresAt && !devices.has(record.author)) {
					devices.set(record.author, {
						member: record.author,
						how: 'invited',
						vouchedBy: invite.by,
						since: at
					});
				}
				break;
			}
			case 'member.device-link':
				if (
					author !== undefined &&
					author.member === record.member &&
					!devices.has(record.device)
				) {
					devices.set(record.device, {
						member: record.member,
						how: 'device',
						vouchedBy: record.member,
						since: wallOf(record.at)
					});
				}
				break;
			default:
				break;
		}
	}
	const signerReports = signers.map((signer): SignerMembership => {
		let key: string;
		try {
			key = publicKeyOfDidKey(signer);
		} catch {
			return { signer };
		}
		const found = devices.get(key);
		if (found === undefined) return { signer };
		return {
			signer,
			member: didKeyOf(found.member),
			...(found.how === undefined ? {} : { how: found.how }),
			...(found.vouchedBy === undefined ? {} : { vouchedBy: didKeyOf(found.vouchedBy) }),
			...(found.since === undefined ? {} : { since: found.since })
		};
	});
	const ok =
		problems.length === 0 &&
		signers.length > 0 &&
		signerReports.every((entry) => entry.member !== undefined);
	return {
		coop,
		...(coopName === undefined ? {} : { coopName }),
		records: records.length,
		problems,
		signers: signerReports,
		ok
	};
}

/** A checked record with its id, as a co-op's device holds it. */
export interface RecordEntry {
	readonly id: string;
	readonly record: SignedEnvelope;
}

/** The record types membership evidence is made of. */
export const EVIDENCE_TYPES: ReadonlySet<string> = new Set([
	'coop.genesis',
	'member.invite',
	'member.join',
	'member.device-link'
]);

/**
 * Who vouched for whom in a co-op's verified records: the founder, and for each device the
 * records that made it a member's device (the join and the invite it used, or the device link)
 * with the device that vouched for it. A device with a join whose invite is not there, or none
 * of these (admitted by a decision, say), is vouched for by nobody.
 */
function vouching(records: readonly RecordEntry[]) {
	const sorted = [...records].sort(compareRecords);
	const invites = new Map<string, RecordEntry>();
	const joins = new Map<string, RecordEntry>();
	const links = new Map<string, RecordEntry>();
	let genesis: RecordEntry | undefined;
	for (const entry of sorted) {
		const record = entry.record as SignedRecord;
		if (record.type === 'coop.genesis' && genesis === undefined) genesis = entry;
		if (record.type === 'member.invite' && !invites.has(record.inviteId))
			invites.set(record.inviteId, entry);
		if (record.type === 'member.join' && !joins.has(record.author)) joins.set(record.author, entry);
		if (record.type === 'member.device-link' && !links.has(record.device))
			links.set(record.device, entry);
	}
	const vouch = (device: string): { records: RecordEntry[]; by: string } | undefined => {
		const join = joins.get(device);
		if (join !== undefined) {
			const invite = invites.get((join.record as SignedRecord<'member.join'>).inviteId);
			return invite === undefined
				? undefined
				: { records: [join, invite], by: invite.record.author };
		}
		const link = links.get(device);
		return link === undefined ? undefined : { records: [link], by: link.record.author };
	};
	const founder =
		genesis === undefined ? undefined : (genesis.record as SignedRecord<'coop.genesis'>).founder;
	return { sorted, genesis, founder, vouch };
}

/**
 * The records that show each of `devices` was a member's device: the genesis, and for each device
 * the join and the invite it used (then, in turn, what shows the inviter was a member), or the
 * device link and what shows its author was. Taken from a co-op's verified records in their
 * order; a device the records do not show (admitted by a decision, say) adds nothing.
 */
export function membershipEvidenceFor(
	records: readonly RecordEntry[],
	devices: readonly string[]
): SignedEnvelope[] {
	const { sorted, genesis, founder, vouch } = vouching(records);
	if (genesis === undefined) return [];
	const chosen = new Set<RecordEntry>([genesis]);
	const done = new Set<string>([founder!]);
	const pending = [...devices];
	while (pending.length > 0) {
		const device = pending.pop()!;
		if (done.has(device)) continue;
		done.add(device);
		const vouched = vouch(device);
		if (vouched === undefined) continue;
		for (const entry of vouched.records) chosen.add(entry);
		pending.push(vouched.by);
	}
	return sorted.filter((entry) => chosen.has(entry)).map((entry) => entry.record);
}

/**
 * Which of `devices` the evidence can show a stranger were members' devices: the founder's and
 * each one vouched for, in a chain, from it. A member none of whose devices is shown (admitted by
 * a decision) can co-sign, but a stranger cannot check that they were a member.
 */
export function devicesShown(
	records: readonly RecordEntry[],
	devices: readonly string[]
): ReadonlySet<string> {
	const { founder, vouch } = vouching(records);
	const shown = new Set<string>(founder === undefined ? [] : [founder]);
	const notShown = new Set<string>();
	const isShown = (device: string): boolean => {
		const chain: string[] = [];
		let current: string | undefined = device;
		while (current !== undefined && !shown.has(current) && !notShown.has(current)) {
			if (chain.includes(current)) break;
			chain.push(current);
			current = vouch(current)?.by;
		}
		const ok = current !== undefined && shown.has(current);
		for (const link of chain) (ok ? shown : notShown).add(link);
		return ok;
	};
	return new Set(devices.filter(isShown));
}

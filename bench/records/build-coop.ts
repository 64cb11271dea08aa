import { generateSigningKey, type SigningKey } from '$lib/crypto/keys';
import { genesisDraft } from '$lib/domain/settings/commands';
import { inviteDraft, joinDraft, profileDraft } from '$lib/domain/membership/commands';
import { type DraftResult, type RecordType, signRecord } from '$lib/domain/registry';
import { formatHlc } from '$lib/domain/kernel/hlc';
import { newCoopId } from '$lib/domain/kernel/coop-id';
import { newInviteSecret, proveInvite } from '$lib/domain/membership/proofs';

/** A co-op of `members` members whose records total `total`, mostly profile edits. */
export interface BenchCoop {
	readonly coop: string;
	/** The founder's key, for benchmarks that write more records as a member. */
	readonly founder: SigningKey;
	readonly entries: readonly (readonly [string, unknown])[];
}

const T0 = Date.UTC(2025, 0, 1);

function unwrap<T extends RecordType>(result: DraftResult<T>) {
	if (!result.ok) throw new Error(`Bench draft refused: ${result.field} ${result.problem}`);
	return result.draft;
}

export async function buildCoop(total: number, members: number): Promise<BenchCoop> {
	let tick = 0;
	const at = () => formatHlc({ wall: T0 + tick++, counter: 0 });
	const founder = await generateSigningKey();
	const { coop, salt } = await newCoopId(founder.publicKey);
	const context = (key: SigningKey) => ({ coop, author: key.publicKey, at: at() });
	const entries: (readonly [string, unknown])[] = [];
	const push = async <T extends RecordType>(key: SigningKey, result: DraftResult<T>) => {
		const { id, record } = await signRecord(unwrap(result), key);
		entries.push([id, record]);
	};
	await push(founder, genesisDraft(context(founder), { name: 'Bench co-op', created: T0, salt }));
	const keys = [founder];
	for (let index = 1; index < members; index++) {
		const { secret, inviteId } = await newInviteSecret();
		const issue = context(founder);
		await push(
			founder,
			inviteDraft(issue, { inviteId, expiresAt: T0 + 30 * 86_400_000, maxUses: 1 })
		);
		const member = await generateSigningKey();
		await push(
			member,
			joinDraft(context(member), await proveInvite(secret, coop, member.publicKey))
		);
		keys.push(member);
	}
	// Profile edits, signed concurrently in batches (WebCrypto signs on a thread pool).
	const remaining = total - entries.length;
	for (let start = 0; start < remaining; start += 512) {
		const batch = Array.from({ length: Math.min(512, remaining - start) }, (_, offset) => {
			const key = keys[(start + offset) % keys.length]!;
			const draft = unwrap(
				profileDraft(context(key), {
					displayName: `Member ${start + offset}`,
					bio: 'Bakes bread on Tuesdays.\nRepairs bikes on Saturdays.',
					skills: ['baking', 'bikes', 'accounts'],
					contact: 'Ring the bell twice.'
				})
			);
			return signRecord(draft, key);
		});
		for (const { id, record } of await Promise.all(batch)) entries.push([id, record]);
	}
	return { coop, founder, entries };
}

import { compareRecords } from '../kernel/envelope';
import type { Member } from '../membership/view';
import { verifyRecord } from '../registry';
import { delegationsFor, resolveBallots, type DelegationRecord } from './delegation';
import { tally, type TallyResult } from './tally';
import type { ProposalView } from './view';
import type { Choice } from './vocabulary';

/** One record the tally rests on, checked again. */
export interface RecountLine {
	readonly id: string;
	readonly kind: 'vote' | 'delegation';
	/** The member who signed it, if the record is here and valid. */
	readonly member: string | null;
	/** The signing device. */
	readonly device: string | null;
	/** `missing`: listed but not on this device; `invalid`: failed verification just now. */
	readonly check: 'valid' | 'invalid' | 'missing';
}

export interface Recount {
	readonly lines: readonly RecountLine[];
	/** The tally recomputed from the records that passed. */
	readonly result: TallyResult;
	/** True if it equals the tally the projection shows. */
	readonly matches: boolean;
}

/**
 * Recounts a proposal from scratch: every vote and delegation its tally rests on is fetched with
 * `lookup`, verified again on this device (hash, signature; no cache), and counted again with the
 * same rules, apart from the projection that produced `proposal.result`.
 */
export async function recount(
	proposal: ProposalView,
	members: readonly Member[],
	coopId: string,
	lookup: (id: string) => unknown
): Promise<Recount> {
	const ownerOf = new Map<string, string>();
	for (const member of members) for (const device of member.devices) ownerOf.set(device, member.id);
	const ids = [
		...proposal.basis.votes.map((id) => ({ id, kind: 'vote' as const })),
		...proposal.basis.delegations.map((id) => ({ id, kind: 'delegation' as const }))
	];
	const checked = await Promise.all(
		ids.map(async ({ id, kind }) => {
			const value = lookup(id);
			if (value === undefined) return { id, kind, verified: null, check: 'missing' as const };
			const result = await verifyRecord(id, value, coopId);
			return result.ok
				? { id, kind, verified: result.verified, check: 'valid' as const }
				: { id, kind, verified: null, check: 'invalid' as const };
		})
	);
	const eligible = new Set(proposal.eligible);
	const votes = checked
		.map(({ verified }) => verified)
		.filter((entry) => entry !== null)
		.sort(compareRecords);
	const direct = new Map<string, Choice>();
	const delegations: DelegationRecord[] = [];
	for (const { id, record } of votes) {
		const member = ownerOf.get(record.author);
		if (member === undefined) continue;
		if (record.type === 'proposal.vote' && record.proposal === proposal.id) {
			if (eligible.has(member)) direct.set(member, record.choice);
		} else if (record.type === 'member.delegate') {
			delegations.push({ member, tag: record.tag, to: record.to || null, at: record.at, id });
		}
	}
	const { ballots } = resolveBallots(
		proposal.eligible,
		direct,
		delegationsFor(delegations, proposal.tag)
	);
	const result = tally({
		kind: proposal.kind,
		options: proposal.options.length,
		threshold: proposal.threshold,
		quorum: proposal.quorum,
		eligible: proposal.eligible.length,
		ballots
	});
	return {
		lines: checked.map(({ id, kind, verified, check }) => ({
			id,
			kind,
			member: verified ? (ownerOf.get(verified.record.author) ?? null) : null,
			device: verified?.record.author ?? null,
			check
		})),
		result,
		matches: JSON.stringify(result) === JSON.stringify(proposal.result)
	};
}

import type { DelegationRecord } from '$lib/domain/governance/delegation';
import {
	PROPOSAL_KINDS,
	THRESHOLDS_BY_KIND,
	type Choice,
	type ProposalKind,
	type Threshold
} from '$lib/domain/governance/vocabulary';
import { pick, prng, randomChoice, shuffle } from '../../tests/unit/domain/fixtures';

/**
 * Seeded governance data for benchmarks: members, proposals of every kind with their direct
 * votes, and delegation records. Plain data, no records or signatures: what the tally and the
 * delegation resolution take as input. The same seed gives the same data.
 */

export interface BenchProposal {
	readonly id: string;
	readonly kind: ProposalKind;
	readonly options: number;
	readonly threshold: Threshold;
	/** Percent of eligible members who must take part. */
	readonly quorum: number;
	/** '' for an untagged proposal. */
	readonly tag: string;
	/** Members eligible when the proposal opened. */
	readonly eligible: readonly string[];
	/** Direct votes by member, all valid. */
	readonly votes: ReadonlyMap<string, Choice>;
}

export interface BenchGovernance {
	readonly members: readonly string[];
	readonly proposals: readonly BenchProposal[];
	readonly delegations: readonly DelegationRecord[];
}

/** Proposal tags; '' is untagged (only delegations for all proposals apply). */
export const BENCH_TAGS = ['', 'budget', 'rota', 'hiring'];

const T0 = Date.UTC(2025, 0, 1);
const stamp = (tick: number) => `${T0 + tick}-0000`;
const range = (n: number) => Array.from({ length: n }, (_, index) => index);

/**
 * `proposals` proposals of mixed kinds sharing `votes` direct votes, cast by `members` members
 * (at most one vote per member and proposal). Later proposals have more eligible members, as if
 * the co-op grew from half its size. About a third of the members delegate, for all proposals or
 * for one tag, some change or revoke their delegation later, and a few delegations form cycles.
 */
export function generateGovernance(
	seed: number,
	proposals: number,
	votes: number,
	members = 100
): BenchGovernance {
	const random = prng(seed);
	const ids = range(members).map((index) => `m${String(index).padStart(5, '0')}`);
	const drafts = range(proposals).map((index) => {
		const kind = pick(random, PROPOSAL_KINDS);
		const size = Math.max(2, Math.round(members * (0.5 + (0.5 * index) / proposals)));
		return {
			id: `p${String(index).padStart(5, '0')}`,
			kind,
			options: kind === 'consent' ? 0 : 2 + Math.floor(random() * 5),
			threshold: pick(random, THRESHOLDS_BY_KIND[kind]),
			quorum: pick(random, [0, 0, 10, 20]),
			tag: pick(random, BENCH_TAGS),
			eligible: ids.slice(0, size),
			votes: new Map<string, Choice>(),
			/** Eligible members who have not voted yet, in random order. */
			voters: shuffle(random, ids.slice(0, size))
		};
	});
	const open = drafts.filter((draft) => draft.voters.length > 0);
	for (let cast = 0; cast < votes; cast++) {
		if (open.length === 0) throw new Error(`Not enough members for ${votes} votes`);
		const index = Math.floor(random() * open.length);
		const draft = open[index]!;
		draft.votes.set(draft.voters.pop()!, randomChoice(random, draft.kind, draft.options));
		if (draft.voters.length === 0) open.splice(index, 1);
	}
	return {
		members: ids,
		proposals: drafts.map(({ voters: _, ...proposal }) => proposal),
		delegations: randomDelegations(random, ids)
	};
}

function randomDelegations(random: () => number, ids: readonly string[]): DelegationRecord[] {
	const records: DelegationRecord[] = [];
	const add = (member: string, tag: string, to: string | null) =>
		records.push({ member, tag, to, at: stamp(records.length), id: `d${records.length}` });
	for (const member of ids) {
		if (random() < 0.25) add(member, '', pick(random, ids));
		if (random() < 0.15) add(member, pick(random, BENCH_TAGS.slice(1)), pick(random, ids));
	}
	for (const { member, tag } of shuffle(random, records).slice(0, Math.floor(records.length / 5))) {
		add(member, tag, random() < 0.5 ? null : pick(random, ids));
	}
	return records;
}

import type { Choice } from './vocabulary';

/**
 * Delegation (liquid democracy): a member may hand their vote to another member, for proposals
 * with one tag or for all proposals. Both functions are pure and iterative (no recursion, so a
 * chain of any length is safe), and their results do not depend on the order of their inputs.
 */

/** One delegation record, reduced to what resolution needs. */
export interface DelegationRecord {
	readonly member: string;
	/** The tag of the proposals it covers; '' for all proposals. */
	readonly tag: string;
	/** The member delegated to; null revokes. */
	readonly to: string | null;
	/** The record's stamp; stamps compare as strings. */
	readonly at: string;
	readonly id: string;
}

/**
 * The delegation in force for each member for a proposal tagged `tag`: member -> delegate.
 *
 * For each member and tag, the latest record by (at, id) is the member's choice for that tag. The
 * choice for `tag` wins over the one for '' (all proposals), except that a revocation (to null)
 * for `tag` falls back to the choice for ''. A delegation to oneself means "no delegation": for
 * `tag` it is the way to keep one's own vote on that tag despite a delegation for all proposals
 * (unlike a revocation, it does not fall back), and members whose choice comes out as themselves
 * or as a revocation are not in the map.
 */
export function delegationsFor(
	records: readonly DelegationRecord[],
	tag: string
): ReadonlyMap<string, string> {
	const forTag = new Map<string, DelegationRecord>();
	const forAll = new Map<string, DelegationRecord>();
	for (const record of records) {
		const latest = record.tag === tag ? forTag : record.tag === '' ? forAll : null;
		if (!latest) continue;
		const kept = latest.get(record.member);
		if (kept === undefined || isLater(record, kept)) latest.set(record.member, record);
	}
	const delegations = new Map<string, string>();
	for (const member of new Set([...forTag.keys(), ...forAll.keys()])) {
		const to = forTag.get(member)?.to ?? forAll.get(member)?.to ?? null;
		if (to !== null && to !== member) delegations.set(member, to);
	}
	return delegations;
}

function isLater(a: DelegationRecord, b: DelegationRecord): boolean {
	return a.at === b.at ? a.id > b.id : a.at > b.at;
}

/** An eligible member's effective ballot. */
export interface Resolved {
	readonly voter: string;
	readonly choice: Choice;
	/** Members followed, from the voter's delegate to the member who voted; [] for a direct vote. */
	readonly via: readonly string[];
}

/** An eligible member who delegated but gets no ballot. */
export interface Unresolved {
	readonly voter: string;
	/** 'cycle': the chain comes back to a member already on it; 'no-vote': nobody on it voted. */
	readonly reason: 'cycle' | 'no-vote';
	/**
	 * Members followed, from the voter's delegate to the last member who neither voted nor
	 * delegated ('no-vote'), or to the first member met twice ('cycle').
	 */
	readonly via: readonly string[];
}

/**
 * Where a member's chain leads: `via` is `path.slice(start, end)`. Members of one chain share
 * `path`, so recording every member of a chain of n members costs O(n), not O(n²).
 */
interface Link {
	readonly path: readonly string[];
	readonly start: number;
	readonly end: number;
	readonly result: { readonly choice: Choice } | { readonly reason: Unresolved['reason'] };
}

/**
 * The effective ballots of the `eligible` members, sorted by voter (duplicates in `eligible`
 * count once).
 *
 * A member's direct vote always counts, delegation or not. Otherwise the member's delegation chain
 * (A -> B -> C ...) is followed to the first member with a direct vote, whose choice becomes the
 * member's ballot. A chain that comes back to a member already on it (a delegation to oneself
 * included) gives no ballot, reason 'cycle', for every member on or leading into the cycle; one
 * that ends at a member who neither voted nor delegated gives no ballot, reason 'no-vote'. Chains
 * may pass through members who are not eligible, but only votes in `direct` count (callers put
 * only eligible members' valid votes there). Eligible members who neither voted nor delegated are
 * in neither list.
 *
 * Each member's chain is followed once and shared with every member leading into it: the time is
 * linear in the members and delegations plus the total length of the `via` lists returned.
 */
export function resolveBallots(
	eligible: readonly string[],
	direct: ReadonlyMap<string, Choice>,
	delegations: ReadonlyMap<string, string>
): { readonly ballots: readonly Resolved[]; readonly unresolved: readonly Unresolved[] } {
	const links = new Map<string, Link>();
	const ballots: Resolved[] = [];
	const unresolved: Unresolved[] = [];
	for (const voter of [...new Set(eligible)].sort(compareIds)) {
		const choice = direct.get(voter);
		if (choice !== undefined) {
			ballots.push({ voter, choice, via: [] });
			continue;
		}
		if (!delegations.has(voter)) continue;
		const { path, start, end, result } =
			links.get(voter) ?? follow(voter, direct, delegations, links);
		const via = path.slice(start, end);
		if ('choice' in result) ballots.push({ voter, choice: result.choice, via });
		else unresolved.push({ voter, reason: result.reason, via });
	}
	return { ballots, unresolved };
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Follows the chain from `from` (who did not vote but delegated) until it reaches a vote, a dead
 * end, a member already linked, or itself; records a link for every member on the way.
 */
function follow(
	from: string,
	direct: ReadonlyMap<string, Choice>,
	delegations: ReadonlyMap<string, string>,
	links: Map<string, Link>
): Link {
	const chain = [from];
	const onChain = new Map([[from, 0]]);
	for (;;) {
		const next = delegations.get(chain[chain.length - 1]!)!;
		const choice = direct.get(next);
		if (choice !== undefined || !delegations.has(next)) {
			chain.push(next);
			const result = choice !== undefined ? { choice } : ({ reason: 'no-vote' } as const);
			return linkAll(chain, chain.length - 1, result, links);
		}
		const joined = links.get(next);
		if (joined) {
			const path = [...chain, next, ...joined.path.slice(joined.start, joined.end)];
			return linkAll(path, chain.length, joined.result, links);
		}
		const seen = onChain.get(next);
		if (seen !== undefined) return linkCycle(chain, seen, links);
		onChain.set(next, chain.length);
		chain.push(next);
	}
}

/** Links the first `count` members of `path` to the end of it. */
function linkAll(
	path: readonly string[],
	count: number,
	result: Link['result'],
	links: Map<string, Link>
): Link {
	for (let index = 0; index < count; index++) {
		links.set(path[index]!, { path, start: index + 1, end: path.length, result });
	}
	return links.get(path[0]!)!;
}

/**
 * Links the members of a chain whose last member delegates back to `chain[loop]`: members before
 * the loop follow the chain up to that member again; a member of the loop goes round it back to
 * itself.
 */
function linkCycle(chain: readonly string[], loop: number, links: Map<string, Link>): Link {
	const result = { reason: 'cycle' } as const;
	const lead = [...chain, chain[loop]!];
	linkAll(lead, loop, result, links);
	const cycle = chain.slice(loop);
	const twice = [...cycle, ...cycle];
	cycle.forEach((member, index) => {
		links.set(member, { path: twice, start: index + 1, end: index + 1 + cycle.length, result });
	});
	return links.get(chain[0]!)!;
}

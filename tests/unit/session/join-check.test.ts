import { describe, expect, it } from 'vitest';
import { joinProblem, SETTLE_MS, WRONG_KEY_AFTER, type JoinFacts } from '$lib/session/join-check';
import type { Membership } from '$lib/session/membership';
import { initialSyncStatus } from '$lib/sync/sync-status';

const NOW = 1_000_000;

function facts(change: Partial<JoinFacts> = {}): JoinFacts {
	return {
		membership: { kind: 'waiting' },
		genesisKnown: false,
		status: initialSyncStatus,
		reachedAt: null,
		now: NOW,
		...change
	};
}

const connected = {
	...initialSyncStatus,
	state: 'connected' as const,
	peers: 1,
	lastSyncedAt: NOW
};

describe('judging a join that waits', () => {
	it('keeps waiting while no member has been reached', () => {
		expect(joinProblem(facts())).toBeNull();
		expect(joinProblem(facts({ status: { ...initialSyncStatus, relays: 1 } }))).toBeNull();
	});

	it('says the invite is unknown once a member was reached and the records settled', () => {
		const reached = facts({ genesisKnown: true, status: connected, reachedAt: NOW });
		expect(joinProblem(reached)).toBeNull();
		expect(joinProblem({ ...reached, now: NOW + SETTLE_MS - 1 })).toBeNull();
		expect(joinProblem({ ...reached, now: NOW + SETTLE_MS })).toBe('invite-unknown');
	});

	it('does not call an invite unknown before the co-op itself is known', () => {
		const noGenesis = facts({ status: connected, reachedAt: NOW, now: NOW + 60_000 });
		expect(joinProblem(noGenesis)).toBeNull();
	});

	it('leaves an invite found in the roster to the join, and refusals to the roster', () => {
		const later = { genesisKnown: true, status: connected, reachedAt: NOW, now: NOW + 60_000 };
		const kinds: Membership[] = [
			{ kind: 'joining' },
			{ kind: 'refused', reason: 'invite-revoked' },
			{ kind: 'outsider' }
		];
		for (const membership of kinds) {
			expect(joinProblem(facts({ ...later, membership }))).toBeNull();
		}
	});

	it('says the key is wrong when undecryptable messages keep coming and no peer connects', () => {
		const ignored = (count: number) => ({ ...initialSyncStatus, relays: 1, ignored: count });
		expect(joinProblem(facts({ status: ignored(WRONG_KEY_AFTER - 1) }))).toBeNull();
		expect(joinProblem(facts({ status: ignored(WRONG_KEY_AFTER) }))).toBe('wrong-key');
		// Also for a device link or an applicant, which wait on the same room.
		const joining = facts({ membership: { kind: 'joining' }, status: ignored(5) });
		expect(joinProblem(joining)).toBe('wrong-key');
		// A stranger's messages in a room where this device does sync are not its problem.
		expect(joinProblem(facts({ status: { ...connected, ignored: 5 } }))).toBeNull();
		expect(
			joinProblem(facts({ genesisKnown: true, status: ignored(5), reachedAt: null }))
		).toBeNull();
	});

	it('finds nothing wrong once the device is or was a member', () => {
		const member = { kind: 'left', member: {} } as unknown as Membership;
		expect(
			joinProblem(facts({ membership: member, status: { ...initialSyncStatus, ignored: 9 } }))
		).toBeNull();
	});
});

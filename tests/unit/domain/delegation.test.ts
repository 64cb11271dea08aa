import { describe, expect, it } from 'vitest';
import {
	delegationsFor,
	resolveBallots,
	type DelegationRecord,
	type Resolved,
	type Unresolved
} from '$lib/domain/governance/delegation';
import type { Choice } from '$lib/domain/governance/vocabulary';
import { pick, prng, shuffle } from './fixtures';

let serial = 0;
/** A delegation record; `at` is a small number turned into a sortable stamp. */
const record = (
	member: string,
	tag: string,
	to: string | null,
	at: number,
	id?: string
): DelegationRecord => ({
	member,
	tag,
	to,
	at: `${String(1_700_000_000_000 + at)}-0000`,
	id: id ?? `r${serial++}`
});

const entries = (map: ReadonlyMap<string, string>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));

describe('delegationsFor', () => {
	it('takes the latest record of each member, by stamp then id', () => {
		const records = [
			record('ada', '', 'bo', 2),
			record('ada', '', 'cy', 1),
			record('bo', '', 'cy', 5, 'b'),
			record('bo', '', 'ada', 5, 'a')
		];
		expect(entries(delegationsFor(records, ''))).toEqual([
			['ada', 'bo'],
			['bo', 'cy']
		]);
	});

	it('drops a revoked delegation', () => {
		const records = [record('ada', '', 'bo', 1), record('ada', '', null, 2)];
		expect(delegationsFor(records, '').size).toBe(0);
		expect(delegationsFor([...records, record('ada', '', 'cy', 3)], '').get('ada')).toBe('cy');
	});

	it('prefers the delegation for the tag to the one for all proposals', () => {
		const records = [record('ada', '', 'bo', 1), record('ada', 'budget', 'cy', 0)];
		expect(delegationsFor(records, 'budget').get('ada')).toBe('cy');
		expect(delegationsFor(records, 'rota').get('ada')).toBe('bo');
		expect(delegationsFor(records, '').get('ada')).toBe('bo');
	});

	it('falls back to the delegation for all proposals when the tag one is revoked', () => {
		const records = [
			record('ada', '', 'bo', 1),
			record('ada', 'budget', 'cy', 2),
			record('ada', 'budget', null, 3)
		];
		expect(delegationsFor(records, 'budget').get('ada')).toBe('bo');
	});

	it('keeps the tag delegation when the one for all proposals is revoked', () => {
		const records = [
			record('ada', 'budget', 'cy', 1),
			record('ada', '', 'bo', 2),
			record('ada', '', null, 3)
		];
		expect(delegationsFor(records, 'budget').get('ada')).toBe('cy');
		expect(delegationsFor(records, 'rota').has('ada')).toBe(false);
	});

	it('reads a delegation to oneself as none, and for a tag as keeping one’s own vote', () => {
		expect(delegationsFor([record('ada', '', 'ada', 1)], '').size).toBe(0);
		const records = [record('ada', '', 'bo', 1), record('ada', 'budget', 'ada', 2)];
		expect(delegationsFor(records, 'budget').has('ada')).toBe(false);
		expect(delegationsFor(records, 'rota').get('ada')).toBe('bo');
	});

	it('does not depend on the order of the records', () => {
		const random = prng(7);
		const members = ['ada', 'bo', 'cy', 'di', 'ed'];
		for (let round = 0; round < 50; round++) {
			const records = Array.from({ length: 30 }, () =>
				record(
					pick(random, members),
					pick(random, ['', 'budget', 'rota']),
					random() < 0.2 ? null : pick(random, members),
					Math.floor(random() * 10)
				)
			);
			for (const tag of ['', 'budget', 'rota']) {
				const expected = entries(delegationsFor(records, tag));
				expect(entries(delegationsFor(shuffle(random, records), tag))).toEqual(expected);
				expect(entries(delegationsFor([...records].reverse(), tag))).toEqual(expected);
			}
		}
	});
});

describe('resolveBallots', () => {
	const YES: Choice = [0];
	const NO: Choice = [1];
	const votes = (entries: Record<string, Choice>) => new Map(Object.entries(entries));
	const delegations = (entries: Record<string, string>) => new Map(Object.entries(entries));

	it('follows a chain to the member who voted', () => {
		const result = resolveBallots(
			['ada', 'bo', 'cy'],
			votes({ cy: YES }),
			delegations({ ada: 'bo', bo: 'cy' })
		);
		expect(result).toEqual({
			ballots: [
				{ voter: 'ada', choice: YES, via: ['bo', 'cy'] },
				{ voter: 'bo', choice: YES, via: ['cy'] },
				{ voter: 'cy', choice: YES, via: [] }
			],
			unresolved: []
		});
	});

	it('lets a direct vote win over the voter’s own delegation', () => {
		const result = resolveBallots(
			['ada', 'bo', 'cy'],
			votes({ bo: NO, cy: YES }),
			delegations({ ada: 'bo', bo: 'cy' })
		);
		expect(result.ballots).toEqual([
			{ voter: 'ada', choice: NO, via: ['bo'] },
			{ voter: 'bo', choice: NO, via: [] },
			{ voter: 'cy', choice: YES, via: [] }
		]);
	});

	it('gives no ballot to members on or leading into a cycle', () => {
		const result = resolveBallots(
			['ada', 'bo', 'di', 'ed'],
			votes({}),
			delegations({ ada: 'bo', bo: 'ada', di: 'ada', ed: 'ed' })
		);
		expect(result).toEqual({
			ballots: [],
			unresolved: [
				{ voter: 'ada', reason: 'cycle', via: ['bo', 'ada'] },
				{ voter: 'bo', reason: 'cycle', via: ['ada', 'bo'] },
				{ voter: 'di', reason: 'cycle', via: ['ada', 'bo', 'ada'] },
				{ voter: 'ed', reason: 'cycle', via: ['ed'] }
			]
		});
	});

	it('gives no ballot when nobody on the chain voted, and lists nobody who did nothing', () => {
		const result = resolveBallots(['ada', 'bo', 'cy'], votes({}), delegations({ ada: 'bo' }));
		expect(result).toEqual({
			ballots: [],
			unresolved: [{ voter: 'ada', reason: 'no-vote', via: ['bo'] }]
		});
	});

	it('passes through members who are not eligible, but gives them nothing', () => {
		const result = resolveBallots(
			['ada', 'cy'],
			votes({ cy: YES }),
			delegations({ ada: 'xi', xi: 'cy', yu: 'cy' })
		);
		expect(result.ballots).toEqual([
			{ voter: 'ada', choice: YES, via: ['xi', 'cy'] },
			{ voter: 'cy', choice: YES, via: [] }
		]);
		expect(result.unresolved).toEqual([]);
	});

	it('joins chains already followed', () => {
		// 'ada' is resolved first; 'bo' and 'fi' then end on chains already followed.
		const result = resolveBallots(
			['ada', 'bo', 'cy', 'di', 'fi', 'gu'],
			votes({ zu: YES }),
			delegations({
				ada: 'mo',
				mo: 'zu',
				bo: 'mo',
				cy: 'di',
				di: 'ed',
				ed: 'di',
				fi: 'cy',
				gu: 'ada'
			})
		);
		expect(result.ballots).toEqual([
			{ voter: 'ada', choice: YES, via: ['mo', 'zu'] },
			{ voter: 'bo', choice: YES, via: ['mo', 'zu'] },
			{ voter: 'gu', choice: YES, via: ['ada', 'mo', 'zu'] }
		]);
		expect(result.unresolved).toEqual([
			{ voter: 'cy', reason: 'cycle', via: ['di', 'ed', 'di'] },
			{ voter: 'di', reason: 'cycle', via: ['ed', 'di'] },
			{ voter: 'fi', reason: 'cycle', via: ['cy', 'di', 'ed', 'di'] }
		]);
	});

	it('sorts by voter and counts a member listed twice once, whatever the order', () => {
		const direct = votes({ ada: YES, bo: NO, cy: YES });
		const forward = resolveBallots(['ada', 'bo', 'cy'], direct, new Map());
		const backward = resolveBallots(['cy', 'bo', 'ada', 'bo'], direct, new Map());
		expect(backward).toEqual(forward);
		expect(forward.ballots.map((ballot) => ballot.voter)).toEqual(['ada', 'bo', 'cy']);
	});

	it('agrees with following every chain on its own, on random delegation graphs', () => {
		const random = prng(11);
		for (let round = 0; round < 200; round++) {
			const members = Array.from({ length: 2 + Math.floor(random() * 30) }, (_, i) => `m${i}`);
			const eligible = members.filter(() => random() < 0.8);
			const direct = new Map(
				eligible.filter(() => random() < 0.2).map((member) => [member, [Math.floor(random() * 3)]])
			);
			const delegated = new Map(
				members.filter(() => random() < 0.7).map((member) => [member, pick(random, members)])
			);
			expect(resolveBallots(shuffle(random, eligible), direct, delegated)).toEqual(
				followEachChain(eligible, direct, delegated)
			);
		}
	});

	it('follows a chain of 10,000 members without recursion', () => {
		const members = Array.from({ length: 10_000 }, (_, i) => `m${String(i).padStart(5, '0')}`);
		const next = new Map(members.slice(0, -1).map((member, i) => [member, members[i + 1]!]));
		const every100th = members.filter((_, i) => i % 100 === 0);

		const chain = resolveBallots(every100th, votes({ m09999: YES }), next);
		expect(chain.ballots).toHaveLength(100);
		expect(chain.ballots[0]!.via).toEqual(members.slice(1));
		expect(chain.ballots[99]!.via).toEqual(members.slice(9901));

		const loop = new Map([...next, ['m09999', 'm00000']]);
		const cycle = resolveBallots(every100th, votes({}), loop);
		expect(cycle.unresolved).toHaveLength(100);
		expect(cycle.unresolved[1]!.via).toEqual([...members.slice(101), ...members.slice(0, 101)]);
	});
});

/** The reference: each eligible member's chain followed on its own, one step at a time. */
function followEachChain(
	eligible: readonly string[],
	direct: ReadonlyMap<string, Choice>,
	delegations: ReadonlyMap<string, string>
): { ballots: Resolved[]; unresolved: Unresolved[] } {
	const ballots: Resolved[] = [];
	const unresolved: Unresolved[] = [];
	for (const voter of [...eligible].sort()) {
		const own = direct.get(voter);
		if (own) {
			ballots.push({ voter, choice: own, via: [] });
			continue;
		}
		const seen = new Set([voter]);
		const via: string[] = [];
		let at = delegations.get(voter);
		while (at !== undefined) {
			via.push(at);
			const choice = direct.get(at);
			const reason = seen.has(at) ? 'cycle' : delegations.has(at) ? null : 'no-vote';
			if (choice) ballots.push({ voter, choice, via });
			else if (reason) unresolved.push({ voter, reason, via });
			if (choice || reason) break;
			seen.add(at);
			at = delegations.get(at);
		}
	}
	return { ballots, unresolved };
}

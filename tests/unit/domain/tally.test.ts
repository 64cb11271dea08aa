import { describe, expect, it } from 'vitest';
import {
	CONSENT_POSITIONS,
	MAX_OPTIONS,
	MAX_SCORE,
	PROPOSAL_KINDS,
	THRESHOLDS,
	THRESHOLDS_BY_KIND,
	type Choice,
	type ProposalKind
} from '$lib/domain/governance/vocabulary';
import {
	compareChoices,
	tally,
	type Ballot,
	type TallyInput,
	type TallyResult
} from '$lib/domain/governance/tally';
import { pick, prng, randomChoice, shuffle } from './fixtures';

/** Ballots of voters v0, v1... casting `choices` in order. */
const cast = (...choices: Choice[]): Ballot[] =>
	choices.map((choice, index) => ({ voter: `v${index}`, choice }));

/** `count` copies of `choice`, for building electorates. */
const times = (count: number, choice: Choice): Choice[] =>
	Array.from({ length: count }, () => choice);

const base: Omit<TallyInput, 'ballots'> = {
	kind: 'single',
	options: 3,
	threshold: 'plurality',
	quorum: 0,
	eligible: 100
};

const run = (input: Partial<TallyInput>, ...choices: Choice[]) =>
	tally({ ...base, ballots: cast(...choices), ...input });

// Consent positions: 0 agree, 1 abstain, 2 disagree, 3 block.
const [AGREE, ABSTAIN, DISAGREE, BLOCK] = [[0], [1], [2], [3]];
// Time answers: 0 no, 1 maybe, 2 yes.

describe('consent', () => {
	const consent = (threshold: TallyInput['threshold'], ...choices: Choice[]) =>
		run({ kind: 'consent', options: 0, threshold }, ...choices);

	it('passes without a block, whatever the disagreements, and reports positions', () => {
		const result = consent('consent', AGREE, AGREE, AGREE, ABSTAIN, DISAGREE);
		expect(result).toEqual({
			ballots: 5,
			quorumMet: true,
			counts: [3, 1, 1, 0],
			maybes: [],
			rounds: [],
			winners: [],
			outcome: 'passed'
		});
		expect(consent('consent', ABSTAIN).outcome).toBe('passed');
	});

	it('is blocked by one block, whatever the threshold', () => {
		for (const threshold of THRESHOLDS_BY_KIND.consent) {
			const result = consent(threshold, ...times(9, AGREE), BLOCK);
			expect(result.counts).toEqual([9, 0, 0, 1]);
			expect(result.outcome).toBe('blocked');
		}
	});

	it('majority: more agree than disagree, abstentions left out', () => {
		expect(consent('majority', AGREE, AGREE, DISAGREE, DISAGREE, ABSTAIN).outcome).toBe('failed');
		expect(consent('majority', AGREE, AGREE, DISAGREE, ABSTAIN, ABSTAIN).outcome).toBe('passed');
		expect(consent('majority', ABSTAIN, ABSTAIN).outcome).toBe('failed');
	});

	it('two-thirds: agree at least twice disagree, and someone agrees', () => {
		const fourToTwo = [...times(4, AGREE), ...times(2, DISAGREE), ...times(5, ABSTAIN)];
		expect(consent('two-thirds', ...fourToTwo).outcome).toBe('passed');
		const threeToTwo = [...times(3, AGREE), ...times(2, DISAGREE)];
		expect(consent('two-thirds', ...threeToTwo).outcome).toBe('failed');
		expect(consent('two-thirds', ABSTAIN).outcome).toBe('failed');
	});

	it('unanimity: no disagreement and someone agrees', () => {
		expect(consent('unanimity', AGREE, AGREE, AGREE, ABSTAIN, ABSTAIN).outcome).toBe('passed');
		expect(consent('unanimity', AGREE, AGREE, AGREE, DISAGREE).outcome).toBe('failed');
		expect(consent('unanimity', ABSTAIN, ABSTAIN).outcome).toBe('failed');
	});

	it('never passes with a threshold consent proposals do not use', () => {
		expect(consent('plurality', AGREE, AGREE).outcome).toBe('failed');
	});
});

describe('single choice', () => {
	const single = (threshold: TallyInput['threshold'], counts: readonly number[]) =>
		run({ threshold }, ...counts.flatMap((count, option) => times(count, [option])));

	it('plurality: the option with most votes passes', () => {
		const result = single('plurality', [3, 2, 1]);
		expect(result).toMatchObject({
			ballots: 6,
			counts: [3, 2, 1],
			winners: [0],
			outcome: 'passed'
		});
	});

	it('majority: more than half of the ballots', () => {
		expect(single('majority', [3, 2, 1]).outcome).toBe('failed');
		expect(single('majority', [4, 2, 1]).outcome).toBe('passed');
	});

	it('two-thirds: at least two thirds of the ballots', () => {
		expect(single('two-thirds', [4, 2, 0]).outcome).toBe('passed');
		expect(single('two-thirds', [4, 3, 0]).outcome).toBe('failed');
	});

	it('unanimity: every ballot', () => {
		expect(single('unanimity', [0, 5, 0])).toMatchObject({ winners: [1], outcome: 'passed' });
		expect(single('unanimity', [0, 5, 1]).outcome).toBe('failed');
	});

	it('reports a tie between the options at the top, whatever the threshold', () => {
		for (const threshold of THRESHOLDS_BY_KIND.single) {
			expect(single(threshold, [2, 1, 2])).toMatchObject({ winners: [0, 2], outcome: 'tie' });
		}
	});

	it('never passes with the consent threshold', () => {
		expect(single('consent', [3, 0, 0]).outcome).toBe('failed');
	});
});

describe('multiple choice', () => {
	const ballots = [[0, 1], [0], [1, 2], [0, 2]];

	it('counts every option chosen and measures support against the voters', () => {
		const result = run({ kind: 'multiple', threshold: 'majority' }, ...ballots);
		expect(result).toMatchObject({
			ballots: 4,
			counts: [3, 2, 2],
			winners: [0],
			outcome: 'passed'
		});
		expect(run({ kind: 'multiple', threshold: 'two-thirds' }, ...ballots).outcome).toBe('passed');
		expect(run({ kind: 'multiple', threshold: 'unanimity' }, ...ballots).outcome).toBe('failed');
		expect(run({ kind: 'multiple', threshold: 'unanimity' }, [0, 1], [0]).outcome).toBe('passed');
	});

	it('reports a tie', () => {
		expect(run({ kind: 'multiple' }, [0, 1], [0, 1, 2], [2])).toMatchObject({
			counts: [2, 2, 2],
			winners: [0, 1, 2],
			outcome: 'tie'
		});
	});
});

describe('score', () => {
	const score = { kind: 'score' } as const;

	it('adds the scores; the highest total passes', () => {
		expect(run(score, [5, 0, 3], [4, 5, 3], [0, 5, 3])).toMatchObject({
			ballots: 3,
			counts: [9, 10, 9],
			winners: [1],
			outcome: 'passed'
		});
	});

	it('reports a tie, and no winner when every score is 0', () => {
		expect(run(score, [5, 0, 1], [0, 5, 1])).toMatchObject({ winners: [0, 1], outcome: 'tie' });
		expect(run(score, [0, 0, 0], [0, 0, 0])).toMatchObject({
			counts: [0, 0, 0],
			winners: [],
			outcome: 'failed'
		});
	});

	it('never passes with a threshold other than plurality', () => {
		expect(run({ ...score, threshold: 'majority' }, [5, 0, 0]).outcome).toBe('failed');
	});
});

describe('time poll', () => {
	const time = { kind: 'time' } as const;

	it('picks the most yes, then the most maybe', () => {
		expect(run(time, [2, 0, 0], [2, 2, 1], [1, 2, 1])).toEqual({
			ballots: 3,
			quorumMet: true,
			counts: [2, 2, 0],
			maybes: [1, 0, 2],
			rounds: [],
			winners: [0],
			outcome: 'passed'
		});
	});

	it('lets no number of maybes outweigh one yes', () => {
		expect(run(time, [2, 1, 0], [0, 1, 0], [0, 1, 0]).winners).toEqual([0]);
	});

	it('reports a tie on equal yes and maybe, and no winner when nobody can come', () => {
		expect(run(time, [2, 0, 2], [1, 2, 1])).toMatchObject({ winners: [0, 2], outcome: 'tie' });
		expect(run(time, [0, 0, 0], [0, 0, 0])).toMatchObject({ winners: [], outcome: 'failed' });
	});
});

describe('ranked choice (instant-runoff)', () => {
	const ranked = (options: number, ...choices: Choice[]) =>
		run({ kind: 'ranked', options, threshold: 'majority' }, ...choices);

	it('elects Knoxville in the Tennessee capital example', () => {
		const [memphis, nashville, chattanooga, knoxville] = [0, 1, 2, 3];
		const result = ranked(
			4,
			...times(42, [memphis, nashville, chattanooga, knoxville]),
			...times(26, [nashville, chattanooga, knoxville, memphis]),
			...times(15, [chattanooga, knoxville, nashville, memphis]),
			...times(17, [knoxville, chattanooga, nashville, memphis])
		);
		expect(result).toEqual({
			ballots: 100,
			quorumMet: true,
			counts: [42, 26, 15, 17],
			maybes: [],
			rounds: [
				{ counts: [42, 26, 15, 17], continuing: 100, eliminated: chattanooga },
				{ counts: [42, 26, null, 32], continuing: 100, eliminated: nashville },
				{ counts: [42, null, null, 58], continuing: 100, eliminated: null }
			],
			winners: [knoxville],
			outcome: 'passed'
		});
	});

	it('leaves exhausted ballots out of the majority', () => {
		const result = ranked(
			4,
			...times(6, [0]),
			...times(4, [1]),
			...times(3, [2, 0]),
			...times(2, [3, 2])
		);
		expect(result.rounds).toEqual([
			{ counts: [6, 4, 3, 2], continuing: 15, eliminated: 3 },
			{ counts: [6, 4, 5, null], continuing: 15, eliminated: 1 },
			{ counts: [6, null, 5, null], continuing: 11, eliminated: null }
		]);
		expect(result).toMatchObject({ ballots: 15, winners: [0], outcome: 'passed' });
	});

	it('wins in round 1 with a majority of first preferences', () => {
		const result = ranked(3, ...times(6, [0, 1]), ...times(2, [1]), ...times(3, [2]));
		expect(result.rounds).toEqual([{ counts: [6, 2, 3], continuing: 11, eliminated: null }]);
		expect(result.winners).toEqual([0]);
	});

	it('breaks a tie for elimination by the previous round', () => {
		// Round 2: B and C tie at 4; B had fewer in round 1, so B goes (not C, the last listed).
		const result = ranked(4, ...times(7, [0]), ...times(3, [1, 2]), ...times(4, [2, 1]), [3, 1, 0]);
		expect(result.rounds).toEqual([
			{ counts: [7, 3, 4, 1], continuing: 15, eliminated: 3 },
			{ counts: [7, 4, 4, null], continuing: 15, eliminated: 1 },
			{ counts: [8, null, 7, null], continuing: 15, eliminated: null }
		]);
		expect(result).toMatchObject({ winners: [0], outcome: 'passed' });
	});

	it('eliminates the option listed last when the tie goes back to round 1', () => {
		const result = ranked(3, ...times(3, [0]), ...times(2, [1, 0]), ...times(2, [2, 1]));
		expect(result.rounds).toEqual([
			{ counts: [3, 2, 2], continuing: 7, eliminated: 2 },
			{ counts: [3, 4, null], continuing: 7, eliminated: null }
		]);
		expect(result).toMatchObject({ winners: [1], outcome: 'passed' });
	});

	it('goes back as many rounds as it takes', () => {
		// Round 3: B and C tie at 5, as they did at 4 in round 2; round 1 (B 3, C 4) sends B out.
		const result = ranked(
			5,
			...times(7, [0]),
			...times(3, [1, 2]),
			...times(4, [2, 1]),
			[3, 1],
			[4, 1],
			[4, 2]
		);
		expect(result.rounds).toEqual([
			{ counts: [7, 3, 4, 1, 2], continuing: 17, eliminated: 3 },
			{ counts: [7, 4, 4, null, 2], continuing: 17, eliminated: 4 },
			{ counts: [7, 5, 5, null, null], continuing: 17, eliminated: 1 },
			{ counts: [7, null, 8, null, null], continuing: 15, eliminated: null }
		]);
		expect(result).toMatchObject({ winners: [2], outcome: 'passed' });
	});

	it('reports a tie when the last two options are level', () => {
		const result = ranked(3, ...times(3, [0]), ...times(3, [1]), [2]);
		expect(result.rounds).toEqual([
			{ counts: [3, 3, 1], continuing: 7, eliminated: 2 },
			{ counts: [3, 3, null], continuing: 6, eliminated: null }
		]);
		expect(result).toMatchObject({ winners: [0, 1], outcome: 'tie' });
	});

	it('records one empty round and no winner without ballots', () => {
		const result = run({ kind: 'ranked', threshold: 'majority' });
		expect(result).toMatchObject({
			ballots: 0,
			counts: [0, 0, 0],
			rounds: [{ counts: [0, 0, 0], continuing: 0, eliminated: null }],
			winners: [],
			outcome: 'no-votes'
		});
	});

	it('never passes with a threshold other than majority', () => {
		expect(run({ kind: 'ranked', threshold: 'plurality' }, [0], [0]).outcome).toBe('failed');
	});
});

describe('quorum', () => {
	const consent = (quorum: number, eligible: number, ...choices: Choice[]) =>
		run({ kind: 'consent', options: 0, threshold: 'consent', quorum, eligible }, ...choices);

	it('counts abstentions as taking part', () => {
		expect(consent(50, 10, AGREE, ...times(4, ABSTAIN))).toMatchObject({
			quorumMet: true,
			outcome: 'passed'
		});
	});

	it('is checked before the outcome, which still reports the counts', () => {
		expect(consent(50, 10, ...times(4, AGREE))).toMatchObject({
			ballots: 4,
			quorumMet: false,
			counts: [4, 0, 0, 0],
			outcome: 'no-quorum'
		});
		expect(consent(50, 10, ...times(3, AGREE), BLOCK).outcome).toBe('no-quorum');
		expect(run({ quorum: 50, eligible: 10 }, [0], [0], [1], [2])).toMatchObject({
			counts: [2, 1, 1],
			winners: [0],
			outcome: 'no-quorum'
		});
	});

	it('needs the exact share, without rounding', () => {
		expect(consent(50, 7, ...times(3, AGREE)).quorumMet).toBe(false);
		expect(consent(50, 7, ...times(4, AGREE)).quorumMet).toBe(true);
		expect(consent(34, 3, AGREE).quorumMet).toBe(false);
		expect(consent(33, 3, AGREE).quorumMet).toBe(true);
		expect(consent(100, 3, AGREE, AGREE).quorumMet).toBe(false);
		expect(consent(100, 3, AGREE, AGREE, AGREE).quorumMet).toBe(true);
	});

	it('is always met at 0, but no ballot at all is no-votes', () => {
		expect(consent(0, 1000, AGREE)).toMatchObject({ quorumMet: true, outcome: 'passed' });
		expect(consent(0, 1000)).toMatchObject({ ballots: 0, quorumMet: true, outcome: 'no-votes' });
		expect(consent(50, 10)).toMatchObject({ quorumMet: false, outcome: 'no-votes' });
	});
});

describe('ballots', () => {
	it('ignores invalid choices', () => {
		const result = run({}, [3], [-1], [0.5], [], [0, 1], [1]);
		expect(result).toMatchObject({ ballots: 1, counts: [0, 1, 0], winners: [1] });
		expect(run({}, [3], [])).toMatchObject({ ballots: 0, winners: [], outcome: 'no-votes' });
	});

	it('counts one ballot per voter, the smallest choice, in whatever order they come', () => {
		const twice: Ballot[] = [
			{ voter: 'ada', choice: [2] },
			{ voter: 'ada', choice: [0] },
			{ voter: 'bo', choice: [9] },
			{ voter: 'bo', choice: [2] }
		];
		for (const ballots of [twice, [...twice].reverse()]) {
			expect(tally({ ...base, ballots })).toMatchObject({ ballots: 2, counts: [1, 0, 1] });
		}
	});

	it('reads an impossible number of options as none', () => {
		expect(run({ options: 2.5 }, [0]).outcome).toBe('no-votes');
		expect(run({ options: MAX_OPTIONS + 1 }, [0]).outcome).toBe('no-votes');
		expect(run({ kind: 'score', options: -1 }, [])).toMatchObject({
			ballots: 1,
			counts: [],
			outcome: 'failed'
		});
	});

	it('orders choices number by number, prefixes first', () => {
		expect(compareChoices([0, 5], [1])).toBeLessThan(0);
		expect(compareChoices([1], [1, 0])).toBeLessThan(0);
		expect(compareChoices([2, 1], [2, 0])).toBeGreaterThan(0);
		expect(compareChoices([1, 2], [1, 2])).toBe(0);
	});
});

describe('tally properties (seeded random proposals)', () => {
	const range = (n: number) => Array.from({ length: n }, (_, index) => index);

	/**
	 * A proposal with one valid ballot per voter. Ranked ballots put option 0 first more often in
	 * some proposals, so that first-round majorities are common.
	 */
	function randomInput(random: () => number, kind = pick(random, PROPOSAL_KINDS)): TallyInput {
		const options = kind === 'consent' ? 0 : 2 + Math.floor(random() * 5);
		const voters = Math.floor(random() * 40);
		const favourite = kind === 'ranked' && random() < 0.3;
		const ballots = range(voters).map((index) => {
			const choice = randomChoice(random, kind, options);
			const skewed = favourite && random() < 0.6;
			return {
				voter: `v${index}`,
				choice: skewed ? [0, ...choice.filter((n) => n !== 0)] : choice
			};
		});
		return {
			kind,
			options,
			threshold: random() < 0.9 ? pick(random, THRESHOLDS_BY_KIND[kind]) : pick(random, THRESHOLDS),
			quorum: pick(random, [0, 25, 50, 75, 100]),
			eligible: voters + Math.floor(random() * 20),
			ballots
		};
	}

	/** Extra ballots of existing voters, valid or not. */
	function duplicates(random: () => number, input: TallyInput): Ballot[] {
		return input.ballots
			.filter(() => random() < 0.3)
			.map(({ voter }) => ({
				voter,
				choice:
					random() < 0.2
						? pick(random, [[], [-1], [0.5]])
						: randomChoice(random, input.kind, input.options)
			}));
	}

	const cases = (seed: number, count: number, kind?: ProposalKind) => {
		const random = prng(seed);
		return range(count).map(() => ({ random, input: randomInput(random, kind) }));
	};

	it('does not depend on the order of the ballots, duplicates and invalid ones included', () => {
		for (const { random, input } of cases(1, 400)) {
			const ballots = [...input.ballots, ...duplicates(random, input)];
			expect(tally({ ...input, ballots: shuffle(random, ballots) })).toEqual(
				tally({ ...input, ballots })
			);
		}
	});

	it('counts a voter once: a second ballot counts only if its choice is smaller, instead', () => {
		for (const { random, input } of cases(2, 400)) {
			if (input.ballots.length === 0) continue;
			const { voter, choice } = pick(random, input.ballots);
			const other = randomChoice(random, input.kind, input.options);
			const kept = compareChoices(other, choice) < 0 ? other : choice;
			const expected = input.ballots.map((ballot) =>
				ballot.voter === voter ? { voter, choice: kept } : ballot
			);
			const withDuplicate = shuffle(random, [...input.ballots, { voter, choice: other }]);
			expect(tally({ ...input, ballots: withDuplicate })).toEqual(
				tally({ ...input, ballots: expected })
			);
		}
	});

	it('counts at most one ballot per distinct voter, and keeps the counts consistent', () => {
		for (const { random, input } of cases(3, 400)) {
			const ballots = [...input.ballots, ...duplicates(random, input)];
			const result = tally({ ...input, ballots });
			const n = result.ballots;
			expect(n).toBe(new Set(input.ballots.map((ballot) => ballot.voter)).size);
			expect(result.outcome === 'no-votes').toBe(n === 0);
			const sum = result.counts.reduce((a, b) => a + b, 0);
			const width = input.kind === 'consent' ? CONSENT_POSITIONS.length : input.options;
			expect(result.counts).toHaveLength(width);
			switch (input.kind) {
				case 'consent':
				case 'single':
				case 'ranked':
					expect(sum).toBe(n);
					break;
				case 'multiple':
					expect(sum).toBeGreaterThanOrEqual(n);
					expect(Math.max(0, ...result.counts)).toBeLessThanOrEqual(n);
					break;
				case 'score':
					expect(Math.max(0, ...result.counts)).toBeLessThanOrEqual(MAX_SCORE * n);
					break;
				case 'time':
					result.counts.forEach((yes, option) =>
						expect(yes + result.maybes[option]!).toBeLessThanOrEqual(n)
					);
			}
			if (result.outcome === 'tie') expect(result.winners.length).toBeGreaterThan(1);
			if (result.outcome === 'passed' && input.kind !== 'consent') {
				expect(result.winners).toHaveLength(1);
			}
		}
	});

	it('instant-runoff never elects an eliminated option; a first-round majority wins', () => {
		let majorities = 0;
		for (const { input } of cases(4, 600, 'ranked')) {
			const result = tally(input);
			checkRounds(result);
			const eliminated = result.rounds.flatMap((round) => round.eliminated ?? []);
			for (const winner of result.winners) expect(eliminated).not.toContain(winner);
			if (result.ballots > 0) expect(result.winners.length).toBeGreaterThan(0);
			const leader = result.counts.findIndex((votes) => votes * 2 > result.ballots);
			if (leader >= 0) {
				majorities++;
				expect(result.rounds).toHaveLength(1);
				expect(result.winners).toEqual([leader]);
			}
		}
		expect(majorities).toBeGreaterThan(50);
	});

	/** Each round eliminates one more option and loses no continuing ballot to a live option. */
	function checkRounds(result: TallyResult): void {
		result.rounds.forEach((round, index) => {
			const live = round.counts.filter((votes) => votes !== null);
			expect(round.counts.length - live.length).toBe(index);
			expect(live.reduce((a, b) => a + b, 0)).toBe(round.continuing);
			const previous = result.rounds[index - 1];
			if (previous) {
				expect(round.continuing).toBeLessThanOrEqual(previous.continuing);
				expect(round.counts[previous.eliminated!]).toBeNull();
			}
			expect(round.eliminated === null).toBe(index === result.rounds.length - 1);
		});
	}
});

import {
	CONSENT_POSITIONS,
	hasOptions,
	isValidChoice,
	MAX_OPTIONS,
	THRESHOLDS_BY_KIND,
	TIME_ANSWERS,
	type Choice,
	type ProposalKind,
	type Threshold
} from './vocabulary';

/**
 * Counting the votes of one proposal: a pure function of its ballots, whatever order they come
 * in. It never throws.
 *
 * Ballots. A ballot whose choice is not `isValidChoice` for the kind and number of options is
 * ignored. If several valid ballots name the same voter, only one counts: the one whose choice is
 * smallest by `compareChoices` (number by number; a choice that is a prefix of another is
 * smaller). `options` that is not an integer from 0 to MAX_OPTIONS is read as 0 (no option can
 * win). "Ballots" below means the ballots counted, abstentions included.
 *
 * Quorum. Met when `ballots × 100 ≥ quorum × eligible` (integers, no rounding); a quorum of 0 is
 * always met. The outcome is 'no-votes' if no ballot counts, otherwise 'no-quorum' if the quorum
 * is not met; only then do the rules of the kind decide. Counts, rounds and winners are
 * reported whatever the outcome.
 *
 * Thresholds. With `support` votes for the leading option (or position) out of `total`:
 * 'plurality' and 'consent' always pass; 'majority' passes when support × 2 > total;
 * 'two-thirds' when support > 0 and support × 3 ≥ total × 2; 'unanimity' when support > 0 and
 * support = total. A threshold that THRESHOLDS_BY_KIND does not list for the kind never passes:
 * the outcome is 'failed' where it would have been 'passed'.
 *
 * consent: `counts` has one entry per CONSENT_POSITIONS (agree, abstain, disagree, block);
 * `winners` is empty. Any block: 'blocked', whatever the threshold. Otherwise the threshold is
 * applied with support = agree and total = agree + disagree (abstentions left out): 'passed' or
 * 'failed'.
 *
 * single, multiple: `counts` are the votes for each option. `winners` are the options with the
 * most votes, none if that is 0 ('failed'). Several winners: 'tie'. One winner: the threshold is
 * applied with support = its votes and total = ballots (in a multiple choice poll, the share of
 * voters who chose it).
 *
 * score: `counts` are the total scores of each option; `winners` are the options with the highest
 * total, none if that is 0 ('failed'). Several: 'tie'; one: 'passed'.
 *
 * time: `counts` are the 'yes' answers for each option, `maybes` the 'maybe' answers. The best
 * options have the most 'yes', then the most 'maybe' among those; none if they have neither
 * ('failed'). Several best: 'tie'; one: 'passed'.
 *
 * ranked: instant-runoff; `counts` are the first preferences. Each round counts every ballot for
 * its highest-ranked option still in the count; a ballot with none left is exhausted and left out
 * of that round's `continuing`. Then, in this order:
 * 1. no continuing ballot: no winner, 'failed' (only happens without ballots);
 * 2. an option with more than half of `continuing` wins: 'passed';
 * 3. two options left with equal votes: both are winners, 'tie';
 * 4. otherwise the option with the fewest votes is eliminated and a new round starts. A tie for
 *    fewest goes to the earlier rounds, latest first: the tied options with the fewest votes in
 *    that round stay tied, the others are safe; options still tied after round 1 lose the one
 *    listed last (highest index).
 * Every round is recorded: votes per option (null for options eliminated in earlier rounds),
 * `continuing`, and the option eliminated at its end (null in the last round).
 */

/** One member's say in a proposal: their own vote or the vote they delegated to. */
export interface Ballot {
	readonly voter: string;
	readonly choice: Choice;
}

export interface TallyInput {
	readonly kind: ProposalKind;
	/** Number of options (0 for consent). */
	readonly options: number;
	readonly threshold: Threshold;
	/** Percent (0..100) of eligible members who must take part. */
	readonly quorum: number;
	/** Members eligible when the proposal opened: the quorum's denominator. */
	readonly eligible: number;
	/** Effective ballots (direct or delegated), one per voter. */
	readonly ballots: readonly Ballot[];
}

export type Outcome = 'passed' | 'failed' | 'blocked' | 'no-quorum' | 'tie' | 'no-votes';

/** One round of an instant-runoff count. */
export interface IrvRound {
	/** Votes per option; null for options eliminated in earlier rounds. */
	readonly counts: readonly (number | null)[];
	/** Ballots that still rank an option in the count. */
	readonly continuing: number;
	/** The option eliminated at the end of this round; null in the last round. */
	readonly eliminated: number | null;
}

export interface TallyResult {
	/** Ballots counted. */
	readonly ballots: number;
	readonly quorumMet: boolean;
	/**
	 * consent: per CONSENT_POSITIONS; single, multiple: votes per option; score: total score per
	 * option; time: 'yes' per option; ranked: first preferences.
	 */
	readonly counts: readonly number[];
	/** time: 'maybe' per option; otherwise empty. */
	readonly maybes: readonly number[];
	/** ranked: the instant-runoff rounds; otherwise empty. */
	readonly rounds: readonly IrvRound[];
	/** The options at the top (several: a tie); empty for consent and when nothing leads. */
	readonly winners: readonly number[];
	readonly outcome: Outcome;
}

/** Orders choices number by number; a choice that is a prefix of another sorts first. */
export function compareChoices(a: Choice, b: Choice): number {
	const length = Math.min(a.length, b.length);
	for (let index = 0; index < length; index++) {
		const difference = a[index]! - b[index]!;
		if (difference !== 0) return difference;
	}
	return a.length - b.length;
}

/** What the rules of one kind make of the ballots, before the quorum and the threshold's fit. */
interface Count {
	readonly counts: readonly number[];
	readonly maybes: readonly number[];
	readonly rounds: readonly IrvRound[];
	readonly winners: readonly number[];
	readonly outcome: Outcome;
}

export function tally(input: TallyInput): TallyResult {
	const { kind, threshold } = input;
	const options =
		Number.isInteger(input.options) && input.options >= 0 && input.options <= MAX_OPTIONS
			? input.options
			: 0;
	const choices = countedChoices(kind, options, input.ballots);
	const ballots = choices.length;
	const quorumMet = ballots * 100 >= input.quorum * input.eligible;
	const count = countKind(kind, options, threshold, choices);
	const outcome: Outcome =
		ballots === 0
			? 'no-votes'
			: !quorumMet
				? 'no-quorum'
				: count.outcome === 'passed' && !THRESHOLDS_BY_KIND[kind].includes(threshold)
					? 'failed'
					: count.outcome;
	return { ballots, quorumMet, ...count, outcome };
}

/** The valid choices, one per voter: the smallest by `compareChoices` if a voter has several. */
function countedChoices(
	kind: ProposalKind,
	options: number,
	ballots: readonly Ballot[]
): readonly Choice[] {
	const byVoter = new Map<string, Choice>();
	for (const { voter, choice } of ballots) {
		if (!isValidChoice(kind, options, choice)) continue;
		const kept = byVoter.get(voter);
		if (kept === undefined || compareChoices(choice, kept) < 0) byVoter.set(voter, choice);
	}
	return [...byVoter.values()];
}

function countKind(
	kind: ProposalKind,
	options: number,
	threshold: Threshold,
	choices: readonly Choice[]
): Count {
	const width = hasOptions(kind) ? options : CONSENT_POSITIONS.length;
	const counts = new Array<number>(width).fill(0);
	const none = { maybes: [], rounds: [] } as const;
	switch (kind) {
		case 'consent': {
			for (const [position] of choices) counts[position!]! += 1;
			const [agree, , disagree, block] = counts as [number, number, number, number];
			const outcome: Outcome = block > 0 ? 'blocked' : verdict(threshold, agree, agree + disagree);
			return { counts, ...none, winners: [], outcome };
		}
		case 'single':
		case 'multiple': {
			for (const choice of choices) for (const option of choice) counts[option]! += 1;
			const winners = top(counts);
			const outcome = leaderOutcome(winners, (winner) =>
				verdict(threshold, counts[winner]!, choices.length)
			);
			return { counts, ...none, winners, outcome };
		}
		case 'score': {
			for (const choice of choices) choice.forEach((score, option) => (counts[option]! += score));
			const winners = top(counts);
			return { counts, ...none, winners, outcome: leaderOutcome(winners) };
		}
		case 'time': {
			const yes = TIME_ANSWERS.indexOf('yes');
			const maybe = TIME_ANSWERS.indexOf('maybe');
			const maybes = new Array<number>(width).fill(0);
			for (const choice of choices) {
				choice.forEach((answer, option) => {
					if (answer === yes) counts[option]! += 1;
					else if (answer === maybe) maybes[option]! += 1;
				});
			}
			// 'maybe' answers never exceed the ballots, so this orders by yes, then by maybe.
			const winners = top(
				counts.map((votes, option) => votes * (choices.length + 1) + maybes[option]!)
			);
			return { counts, maybes, rounds: [], winners, outcome: leaderOutcome(winners) };
		}
		case 'ranked':
			return instantRunoff(options, choices);
	}
}

/** Whether `support` out of `total` meets `threshold` (see the header). */
function verdict(threshold: Threshold, support: number, total: number): Outcome {
	switch (threshold) {
		case 'plurality':
		case 'consent':
			return 'passed';
		case 'majority':
			return support * 2 > total ? 'passed' : 'failed';
		case 'two-thirds':
			return support > 0 && support * 3 >= total * 2 ? 'passed' : 'failed';
		case 'unanimity':
			return support > 0 && support === total ? 'passed' : 'failed';
	}
}

/**
 * The outcome given the options at the top: none fails, several tie, and one passes if `decide`
 * says so (by default it does).
 */
function leaderOutcome(
	winners: readonly number[],
	decide: (winner: number) => Outcome = () => 'passed'
): Outcome {
	if (winners.length === 0) return 'failed';
	return winners.length > 1 ? 'tie' : decide(winners[0]!);
}

/** Indexes of the largest value, if it is above 0. */
function top(values: readonly number[]): number[] {
	const best = Math.max(0, ...values);
	if (best === 0) return [];
	return values.flatMap((value, index) => (value === best ? [index] : []));
}

function instantRunoff(options: number, choices: readonly Choice[]): Count {
	const out = new Array<boolean>(options).fill(false);
	/** Votes per option in each round so far (0 for options out). */
	const history: number[][] = [];
	const rounds: IrvRound[] = [];
	const finish = (winners: number[], outcome: Outcome, votes: number[], continuing: number) => {
		rounds.push(roundOf(votes, out, continuing, null));
		return { counts: history[0]!, maybes: [], rounds, winners, outcome };
	};
	for (;;) {
		const votes = new Array<number>(options).fill(0);
		let continuing = 0;
		for (const choice of choices) {
			const preferred = choice.find((option) => !out[option]);
			if (preferred === undefined) continue;
			votes[preferred]! += 1;
			continuing += 1;
		}
		history.push(votes);
		const left = votes.flatMap((_, option) => (out[option] ? [] : [option]));
		if (continuing === 0) return finish([], 'failed', votes, continuing);
		const majority = left.find((option) => votes[option]! * 2 > continuing);
		if (majority !== undefined) return finish([majority], 'passed', votes, continuing);
		if (left.length === 2 && votes[left[0]!] === votes[left[1]!]) {
			return finish(left, 'tie', votes, continuing);
		}
		const loser = weakest(left, history);
		rounds.push(roundOf(votes, out, continuing, loser));
		out[loser] = true;
	}
}

function roundOf(
	votes: readonly number[],
	out: readonly boolean[],
	continuing: number,
	eliminated: number | null
): IrvRound {
	return {
		counts: votes.map((count, option) => (out[option] ? null : count)),
		continuing,
		eliminated
	};
}

/**
 * The option to eliminate: fewest votes in the latest round, ties going back round by round, then
 * to the highest index.
 */
function weakest(left: readonly number[], history: readonly (readonly number[])[]): number {
	let tied = left;
	for (let round = history.length - 1; round >= 0 && tied.length > 1; round--) {
		const votes = history[round]!;
		const fewest = Math.min(...tied.map((option) => votes[option]!));
		tied = tied.filter((option) => votes[option] === fewest);
	}
	return tied[tied.length - 1]!;
}

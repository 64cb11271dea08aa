import { it } from 'vitest';
import { delegationsFor, resolveBallots } from '$lib/domain/governance/delegation';
import { tally, type Outcome, type TallyResult } from '$lib/domain/governance/tally';
import { generateGovernance, type BenchGovernance } from './generate';

/**
 * Throughput of counting proposals: for each one, the delegations in force for its tag, the
 * effective ballots of its eligible members, and the tally. Figures are printed, never asserted:
 * machines differ.
 */

const SEED = 1;
const PROPOSALS = 1_000;
const VOTES = 10_000;
const REPEATS = 5;

function countAll({ proposals, delegations }: BenchGovernance): TallyResult[] {
	return proposals.map((proposal) => {
		const { ballots } = resolveBallots(
			proposal.eligible,
			proposal.votes,
			delegationsFor(delegations, proposal.tag)
		);
		return tally({
			kind: proposal.kind,
			options: proposal.options,
			threshold: proposal.threshold,
			quorum: proposal.quorum,
			eligible: proposal.eligible.length,
			ballots
		});
	});
}

it('prints delegation and tally throughput', () => {
	const governance = generateGovernance(SEED, PROPOSALS, VOTES);
	const results = countAll(governance);
	const ballots = results.reduce((sum, result) => sum + result.ballots, 0);
	const outcomes = new Map<Outcome, number>();
	for (const { outcome } of results) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);

	const figure = (n: number) => n.toLocaleString('en-US');
	console.log(`\nGovernance benchmark (Node ${process.version}, seed ${SEED})`);
	console.log(
		`  ${figure(PROPOSALS)} proposals, ${figure(VOTES)} direct votes, ` +
			`${governance.members.length} members, ${governance.delegations.length} delegation records`
	);
	console.log(`  ballots counted, delegated ones included: ${figure(ballots)}`);
	console.log(`  outcomes: ${[...outcomes].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`);
	const rate = (ms: number) => `${figure(Math.round((VOTES / ms) * 1000))} votes/s`;
	let total = 0;
	for (let run = 1; run <= REPEATS; run++) {
		const start = performance.now();
		countAll(governance);
		const ms = performance.now() - start;
		total += ms;
		console.log(
			`  run ${run}: resolve delegations + tally all  ${ms.toFixed(1)} ms  (${rate(ms)})`
		);
	}
	console.log(`  total of ${REPEATS} runs  ${total.toFixed(1)} ms  (${rate(total / REPEATS)})\n`);
});

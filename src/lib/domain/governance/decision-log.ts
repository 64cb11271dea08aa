import { toCsv } from '../kernel/csv';
import { wallOf } from '../kernel/hlc';
import type { ProposalView } from './view';
import { CONSENT_POSITIONS } from './vocabulary';

/** One closed proposal, as the decision log lists and exports it. */
export interface Decision {
	readonly id: string;
	readonly title: string;
	readonly kind: ProposalView['kind'];
	readonly tag: string;
	readonly action: ProposalView['action'];
	readonly author: string;
	/** ISO 8601 dates. */
	readonly opened: string;
	readonly closed: string;
	readonly outcome: ProposalView['result']['outcome'];
	/** Labels of the winning options (several: a tie); empty for a consent proposal. */
	readonly winners: readonly string[];
	/** Label -> count: positions of a consent proposal, options of a poll (total score, yes). */
	readonly counts: Readonly<Record<string, number>>;
	readonly ballots: number;
	readonly eligible: number;
	readonly quorum: number;
	readonly threshold: ProposalView['threshold'];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Closed proposals, latest decision first; `nameOf` names a member id. */
export function decisionLog(
	proposals: readonly ProposalView[],
	nameOf: (member: string) => string
): Decision[] {
	return proposals
		.filter((proposal) => proposal.close !== null)
		.sort((a, b) =>
			a.close!.decidedAt !== b.close!.decidedAt
				? a.close!.decidedAt < b.close!.decidedAt
					? 1
					: -1
				: a.id < b.id
					? 1
					: -1
		)
		.map((proposal) => {
			const labels = proposal.kind === 'consent' ? CONSENT_POSITIONS : proposal.options;
			return {
				id: proposal.id,
				title: proposal.title,
				kind: proposal.kind,
				tag: proposal.tag,
				action: proposal.action,
				author: nameOf(proposal.author),
				opened: iso(wallOf(proposal.at)),
				closed: iso(wallOf(proposal.close!.decidedAt)),
				outcome: proposal.result.outcome,
				winners: proposal.result.winners.map((index) => proposal.options[index] ?? ''),
				counts: Object.fromEntries(
					labels.map((label, index) => [label, proposal.result.counts[index] ?? 0])
				),
				ballots: proposal.result.ballots,
				eligible: proposal.eligible.length,
				quorum: proposal.quorum,
				threshold: proposal.threshold
			};
		});
}

/** The log as JSON text. */
export function decisionsJson(decisions: readonly Decision[]): string {
	return `${JSON.stringify(decisions, null, 2)}\n`;
}

/**
 * The log as CSV (`toCsv`), one decision per row, counts as `label: n` pairs.
 */
export function decisionsCsv(decisions: readonly Decision[]): string {
	const columns = [
		'id',
		'title',
		'kind',
		'tag',
		'action',
		'author',
		'opened',
		'closed',
		'outcome',
		'winners',
		'counts',
		'ballots',
		'eligible',
		'quorum',
		'threshold'
	] as const;
	const rows = decisions.map((decision) =>
		columns.map((column) => {
			if (column === 'winners') return decision.winners.join('; ');
			if (column === 'counts') {
				return Object.entries(decision.counts)
					.map(([label, count]) => `${label}: ${count}`)
					.join('; ');
			}
			return decision[column];
		})
	);
	return toCsv(columns, rows, ['title', 'tag', 'winners', 'counts']);
}

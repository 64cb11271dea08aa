import { CONSENT_POSITIONS, TIME_ANSWERS, type Choice } from '$lib/domain/governance/vocabulary';
import type { ProposalView } from '$lib/domain/governance/view';
import { translate } from './messages';

/** The labels a proposal's counts are listed under: positions of a consent, else its options. */
export function countLabels(proposal: ProposalView): string[] {
	return proposal.kind === 'consent'
		? CONSENT_POSITIONS.map((position) => translate(`position_${position}`))
		: [...proposal.options];
}

/** A vote in words, as the recount and "your vote" show it. */
export function choiceText(proposal: ProposalView, choice: Choice): string {
	const option = (index: number) => proposal.options[index] ?? '?';
	switch (proposal.kind) {
		case 'consent':
			return translate(`position_${CONSENT_POSITIONS[choice[0] ?? 0]}`);
		case 'single':
		case 'multiple':
			return choice.map(option).join(', ');
		case 'ranked':
			return choice.map((index, place) => `${place + 1}. ${option(index)}`).join(' ');
		case 'score':
			return choice.map((score, index) => `${option(index)}: ${score}`).join(', ');
		case 'time':
			return choice
				.map((answer, index) => `${option(index)}: ${translate(`answer_${TIME_ANSWERS[answer]}`)}`)
				.join(', ');
	}
}

/**
 * The vocabulary of governance, shared by the record schemas, the tallies and the projection.
 * (The settings that decisions change are the settings area's: see settings/values.ts.)
 * See docs/governance.md for the counting and closing rules.
 */

/** What a proposal asks. */
export const PROPOSAL_KINDS = ['consent', 'single', 'multiple', 'score', 'ranked', 'time'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** How much support passes a proposal. */
export const THRESHOLDS = ['plurality', 'majority', 'two-thirds', 'unanimity', 'consent'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/** The thresholds that make sense for each kind; the first is the default. */
export const THRESHOLDS_BY_KIND: { readonly [K in ProposalKind]: readonly Threshold[] } = {
	consent: ['consent', 'majority', 'two-thirds', 'unanimity'],
	single: ['plurality', 'majority', 'two-thirds', 'unanimity'],
	multiple: ['plurality', 'majority', 'two-thirds', 'unanimity'],
	score: ['plurality'],
	ranked: ['majority'],
	time: ['plurality']
};

/** A consent vote is `[position]`, the index of one of these. */
export const CONSENT_POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const;
export type ConsentPosition = (typeof CONSENT_POSITIONS)[number];

/** A time poll vote has one answer per option, the index of one of these. */
export const TIME_ANSWERS = ['no', 'maybe', 'yes'] as const;

/** Scores of a score poll run from 0 to this. */
export const MAX_SCORE = 5;

/** Options of a poll: at least 2 (none for consent), at most this many. */
export const MAX_OPTIONS = 20;

/** Whether a proposal kind has options (every kind but consent). */
export const hasOptions = (kind: ProposalKind): boolean => kind !== 'consent';

/**
 * A vote, as numbers whose meaning depends on the kind:
 * - consent: `[p]`, p an index of CONSENT_POSITIONS;
 * - single: `[i]`, the option chosen;
 * - multiple: the options chosen, ascending, at least one;
 * - score: one score 0..MAX_SCORE per option;
 * - ranked: options in order of preference, distinct, at least one (the rest unranked);
 * - time: one answer per option, an index of TIME_ANSWERS.
 */
export type Choice = readonly number[];

/** Whether `choice` is a well-formed vote for a proposal of `kind` with `options` options. */
export function isValidChoice(kind: ProposalKind, options: number, choice: Choice): boolean {
	const inRange = (max: number) => choice.every((n) => Number.isInteger(n) && n >= 0 && n <= max);
	switch (kind) {
		case 'consent':
			return choice.length === 1 && inRange(CONSENT_POSITIONS.length - 1);
		case 'single':
			return choice.length === 1 && inRange(options - 1);
		case 'multiple':
			return (
				choice.length >= 1 &&
				inRange(options - 1) &&
				choice.every((n, i) => i === 0 || choice[i - 1]! < n)
			);
		case 'score':
			return choice.length === options && inRange(MAX_SCORE);
		case 'ranked':
			return (
				choice.length >= 1 &&
				choice.length <= options &&
				inRange(options - 1) &&
				new Set(choice).size === choice.length
			);
		case 'time':
			return choice.length === options && inRange(TIME_ANSWERS.length - 1);
	}
}

/** What a passed consent proposal does to the co-op. */
export const PROPOSAL_ACTIONS = ['none', 'admit', 'remove', 'setting', 'charter'] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

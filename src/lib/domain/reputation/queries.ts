import { queryKey } from '../kernel/module';
import { CRITERIA, MAX_FEEDBACK_SCORE, type Criterion } from './records';

/**
 * What reputation tells other areas. The skills area (folded before work) answers who is
 * qualified for a skill; the feedback area (after work) answers a member's feedback summary.
 */

export interface SkillsQueries {
	/**
	 * True if `member` is qualified for `skill` (compared without case) at this point of the order:
	 * with the co-op's `endorsementsToQualify` at 0, listing it (on their profile, or here at
	 * "can do" or "can teach") is enough; above 0, they list it here at "can do" or "can teach"
	 * and hold that many standing endorsements of it by other active members.
	 */
	isQualified(member: string, skill: string): boolean;
}

export const SKILLS = queryKey<SkillsQueries>('skills');

/**
 * Every piece of feedback a member received, counted: per criterion, how many times each score
 * was given (index 0 for 1, up to `MAX_FEEDBACK_SCORE`). Nothing is left out or chosen.
 */
export interface FeedbackSummary {
	readonly member: string;
	/** Pieces of feedback received. */
	readonly count: number;
	/** Distinct jobs they came from. */
	readonly jobs: number;
	readonly criteria: { readonly [C in Criterion]: readonly number[] };
}

export interface FeedbackQueries {
	feedbackSummary(member: string): FeedbackSummary;
}

export const FEEDBACK = queryKey<FeedbackQueries>('feedback');

/** The summary of a list of feedback about one member (a pure helper the fold and views share). */
export function summarise(
	member: string,
	items: Iterable<{
		readonly job: string;
		readonly member: string;
		readonly scores: { readonly [C in Criterion]: number };
	}>
): FeedbackSummary {
	const criteria = Object.fromEntries(
		CRITERIA.map((criterion) => [criterion, Array.from({ length: MAX_FEEDBACK_SCORE }, () => 0)])
	) as Record<Criterion, number[]>;
	const jobs = new Set<string>();
	let count = 0;
	for (const item of items) {
		if (item.member !== member) continue;
		count++;
		jobs.add(item.job);
		for (const criterion of CRITERIA) criteria[criterion][item.scores[criterion] - 1]!++;
	}
	return { member, count, jobs: jobs.size, criteria };
}

import { defineArea } from '../kernel/module';
import { FeedbackFold } from './feedback-fold';
import { FEEDBACK, SKILLS } from './queries';
import {
	FEEDBACK_RECORDS,
	SKILLS_RECORDS,
	type FeedbackBodies,
	type SkillsBodies
} from './records';
import { SkillsFold } from './skills-fold';

/**
 * Reputation, as two areas: the work area asks the first who is qualified for a skill, and the
 * second asks the work area who was on a job, so one is registered before work and one after it.
 */

/** Skills with a level, endorsements, learning goals, mentoring pairs and sessions. */
export const skillsArea = defineArea<SkillsBodies, SkillsFold>({
	name: 'skills',
	records: SKILLS_RECORDS,
	effects: [],
	provides: [SKILLS],
	create: (use) => new SkillsFold(use)
});

/** Feedback on completed jobs, and feedback rounds. */
export const feedbackArea = defineArea<FeedbackBodies, FeedbackFold>({
	name: 'feedback',
	records: FEEDBACK_RECORDS,
	effects: [],
	provides: [FEEDBACK],
	create: (use) => new FeedbackFold(use)
});

import type { SignedUnion } from '../kernel/envelope';
import {
	integer,
	object,
	oneOf,
	text,
	type Check,
	type FieldProblem
} from '../kernel/field-checks';
import { MAX_WALL, wallOf } from '../kernel/hlc';
import { LIMITS } from '../kernel/limits';
import type { RecordKinds } from '../kernel/module';
import { publicKey, recordIdCheck } from '../kernel/shape';
import { FUTURE_TOLERANCE_MS } from '../kernel/time';

/**
 * The records of reputation: skills with a level, endorsements and their withdrawal, learning
 * goals, mentoring pairs and sessions (the skills area, folded before work, which asks it who is
 * qualified), then feedback on completed jobs and feedback rounds (the feedback area, folded
 * after work, which it asks who was on a job). See docs/skills.md and docs/records.md.
 */

/** How well a member says they know a skill; `none` takes it off their list. */
export const SKILL_LEVELS = ['learning', 'can-do', 'can-teach'] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];

/** The fixed criteria of feedback on work, each scored on the fixed scale. */
export const CRITERIA = ['quality', 'reliability', 'cooperation'] as const;
export type Criterion = (typeof CRITERIA)[number];
/** Scores run from 1 (poor) to `MAX_FEEDBACK_SCORE` (excellent). */
export const MAX_FEEDBACK_SCORE = 5;

export type GoalStatus = 'open' | 'reached' | 'dropped';
export type PairRole = 'mentor' | 'mentee';

/** A member lists a skill, changes its level, or (`none`) takes it off. */
export interface SkillBody {
	readonly skill: string;
	readonly level: SkillLevel | 'none';
}

/** A member vouches for another member's skill. */
export interface EndorseBody {
	readonly member: string;
	readonly skill: string;
	/** An optional sentence ('' for none). */
	readonly note: string;
}

/** The endorser withdraws an endorsement. */
export interface UnendorseBody {
	readonly endorsement: string;
}

/** A member sets, reaches or drops a learning goal (the latest record per skill stands). */
export interface GoalBody {
	readonly skill: string;
	readonly note: string;
	readonly status: GoalStatus;
}

/** A member asks another to pair on a skill, as the author's `role`. */
export interface PairBody {
	readonly member: string;
	readonly role: PairRole;
	readonly skill: string;
}

/** The member asked accepts a pair. */
export interface PairAcceptBody {
	readonly pair: string;
}

/** Either member of an accepted pair logs a session. */
export interface SessionBody {
	readonly pair: string;
	readonly minutes: number;
	/** When the session ended (ms since the epoch), as the device knew it. */
	readonly endedAt: number;
	readonly note: string;
}

/** Feedback on a member's part of a completed job, by another member on it or its dispatcher. */
export interface FeedbackBody {
	readonly job: string;
	readonly member: string;
	readonly scores: { readonly [C in Criterion]: number };
	readonly comment: string;
}

/** A member asks the co-op a question, answered until `closesAt`. */
export interface RoundBody {
	readonly question: string;
	/** ms since the epoch. */
	readonly closesAt: number;
}

export interface AnswerBody {
	readonly round: string;
	readonly text: string;
}

export interface SkillsBodies {
	'rep.skill': SkillBody;
	'rep.endorse': EndorseBody;
	'rep.unendorse': UnendorseBody;
	'rep.goal': GoalBody;
	'rep.pair': PairBody;
	'rep.pair-accept': PairAcceptBody;
	'rep.session': SessionBody;
}

export interface FeedbackBodies {
	'rep.feedback': FeedbackBody;
	'rep.round': RoundBody;
	'rep.answer': AnswerBody;
}

export type ReputationBodies = SkillsBodies & FeedbackBodies;
export type SkillsType = keyof SkillsBodies;
export type SkillsRecord<T extends SkillsType = SkillsType> = SignedUnion<SkillsBodies, T>;
export type FeedbackType = keyof FeedbackBodies;
export type FeedbackRecord<T extends FeedbackType = FeedbackType> = SignedUnion<FeedbackBodies, T>;

/** A skill's name as compared: without case (as the work area compares them). */
export function skillKey(skill: string): string {
	return skill.toLowerCase();
}

const skill = text({ min: 1, max: LIMITS.skill });
const instant = integer(0, MAX_WALL);
const score = integer(1, MAX_FEEDBACK_SCORE);
const scores: Check = object(Object.fromEntries(CRITERIA.map((criterion) => [criterion, score])));

const problem = (field: string, kind: FieldProblem['problem'] = 'out-of-range'): FieldProblem => ({
	field,
	problem: kind
});

export const SKILLS_RECORDS: RecordKinds<SkillsBodies> = {
	'rep.skill': {
		body: { skill, level: oneOf([...SKILL_LEVELS, 'none']) },
		author: 'member'
	},
	'rep.endorse': {
		body: {
			member: publicKey,
			skill,
			note: text({ max: LIMITS.endorsementNote, multiline: true })
		},
		author: 'member'
	},
	'rep.unendorse': { body: { endorsement: recordIdCheck }, author: 'member' },
	'rep.goal': {
		body: {
			skill,
			note: text({ max: LIMITS.goalNote, multiline: true }),
			status: oneOf(['open', 'reached', 'dropped'])
		},
		author: 'member'
	},
	'rep.pair': {
		body: { member: publicKey, role: oneOf(['mentor', 'mentee']), skill },
		author: 'member'
	},
	'rep.pair-accept': { body: { pair: recordIdCheck }, author: 'member' },
	'rep.session': {
		body: {
			pair: recordIdCheck,
			minutes: integer(1, LIMITS.sessionMinutes),
			endedAt: instant,
			note: text({ max: LIMITS.sessionNote, multiline: true })
		},
		author: 'member',
		// Logged once it is over: it cannot end after the signing.
		cross: (draft) =>
			draft.endedAt > wallOf(draft.at) + FUTURE_TOLERANCE_MS ? problem('endedAt') : null
	}
};

export const FEEDBACK_RECORDS: RecordKinds<FeedbackBodies> = {
	'rep.feedback': {
		body: {
			job: recordIdCheck,
			member: publicKey,
			scores,
			comment: text({ max: LIMITS.feedbackComment, multiline: true })
		},
		author: 'member'
	},
	'rep.round': {
		body: {
			question: text({ min: 1, max: LIMITS.roundQuestion, multiline: true }),
			closesAt: instant
		},
		author: 'member',
		cross: (draft) => {
			const open = draft.closesAt - wallOf(draft.at);
			return open <= 0 || open > LIMITS.roundLifetimeMs ? problem('closesAt') : null;
		}
	},
	'rep.answer': {
		body: {
			round: recordIdCheck,
			text: text({ min: 1, max: LIMITS.roundAnswer, multiline: true })
		},
		author: 'member'
	}
};

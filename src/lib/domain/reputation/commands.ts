import {
	draftBuilder,
	line,
	paragraph,
	type DraftContext,
	type DraftResultIn
} from '../kernel/draft';
import { wallOf } from '../kernel/hlc';
import type { InputRefusal } from '../kernel/input-result';
import type { WorkView } from '../work/view';
import {
	CRITERIA,
	FEEDBACK_RECORDS,
	MAX_FEEDBACK_SCORE,
	SKILLS_RECORDS,
	skillKey,
	type Criterion,
	type FeedbackBodies,
	type GoalStatus,
	type PairRole,
	type SkillLevel,
	type SkillsBodies
} from './records';
import type { FeedbackView, SkillsView } from './view';

/**
 * Builders of reputation's drafts from what a member typed (see `draftBuilder`). Beyond the
 * record's own checks, each checks the member's view first, so a form says plainly what is wrong
 * (endorsing oneself, feedback on a job one was not on, an answer after the close) instead of
 * writing a record every device would reject.
 */

const buildSkills = draftBuilder(SKILLS_RECORDS);
const buildFeedback = draftBuilder(FEEDBACK_RECORDS);

type SkillsResult<T extends keyof SkillsBodies> = DraftResultIn<SkillsBodies, T>;
type FeedbackResult<T extends keyof FeedbackBodies> = DraftResultIn<FeedbackBodies, T>;

const refuse = (field: string, messageKey: string): InputRefusal => ({
	ok: false,
	field,
	messageKey
});

const listed = (view: SkillsView, member: string, skill: string) =>
	view.skills.find((entry) => entry.member === member && entry.key === skillKey(skill));

/** Lists a skill at a level, changes its level, or (`none`) takes it off. */
export function skillDraft(
	context: DraftContext,
	view: SkillsView,
	input: { readonly skill: string; readonly level: SkillLevel | 'none' }
): SkillsResult<'rep.skill'> {
	const skill = line(input.skill);
	if (skill === '') return refuse('skill', 'rep_skill_empty');
	if (input.level === 'none' && listed(view, context.author, skill) === undefined) {
		return refuse('skill', 'rep_skill_not_listed');
	}
	return buildSkills('rep.skill', context, { skill, level: input.level });
}

/** Endorses another member's listed skill. */
export function endorseDraft(
	context: DraftContext,
	view: SkillsView,
	input: {
		readonly member: string;
		readonly skill: string;
		readonly note: string;
		readonly me: string;
	}
): SkillsResult<'rep.endorse'> {
	if (input.member === input.me) return refuse('member', 'rep_endorse_self');
	const skill = listed(view, input.member, input.skill);
	if (skill === undefined) return refuse('skill', 'rep_skill_not_listed');
	if (skill.endorsements.some((endorsement) => endorsement.by === input.me)) {
		return refuse('skill', 'rep_already_endorsed');
	}
	return buildSkills('rep.endorse', context, {
		member: input.member,
		skill: skill.name,
		note: paragraph(input.note)
	});
}

/** Withdraws one's standing endorsement. */
export function unendorseDraft(
	context: DraftContext,
	view: SkillsView,
	input: { readonly endorsement: string; readonly me: string }
): SkillsResult<'rep.unendorse'> {
	const found = view.skills
		.flatMap((skill) => skill.endorsements)
		.find((endorsement) => endorsement.id === input.endorsement);
	if (found === undefined) return refuse('endorsement', 'rep_no_such_endorsement');
	if (found.by !== input.me) return refuse('endorsement', 'rep_not_your_endorsement');
	return buildSkills('rep.unendorse', context, { endorsement: input.endorsement });
}

/** Sets, reaches or drops a learning goal. */
export function goalDraft(
	context: DraftContext,
	input: { readonly skill: string; readonly note: string; readonly status: GoalStatus }
): SkillsResult<'rep.goal'> {
	const skill = line(input.skill);
	if (skill === '') return refuse('skill', 'rep_skill_empty');
	return buildSkills('rep.goal', context, {
		skill,
		note: paragraph(input.note),
		status: input.status
	});
}

/** Asks another member to pair on a skill, as mentor or mentee. */
export function pairDraft(
	context: DraftContext,
	view: SkillsView,
	input: {
		readonly member: string;
		readonly role: PairRole;
		readonly skill: string;
		readonly me: string;
	}
): SkillsResult<'rep.pair'> {
	if (input.member === '') return refuse('member', 'rep_pair_choose');
	if (input.member === input.me) return refuse('member', 'rep_pair_self');
	const skill = line(input.skill);
	if (skill === '') return refuse('skill', 'rep_skill_empty');
	const [mentor, mentee] =
		input.role === 'mentor' ? [input.me, input.member] : [input.member, input.me];
	if (
		view.pairs.some(
			(pair) =>
				pair.mentor === mentor && pair.mentee === mentee && skillKey(pair.skill) === skillKey(skill)
		)
	) {
		return refuse('member', 'rep_pair_exists');
	}
	return buildSkills('rep.pair', context, { member: input.member, role: input.role, skill });
}

/** Accepts a pair one was asked to join. */
export function pairAcceptDraft(
	context: DraftContext,
	view: SkillsView,
	input: { readonly pair: string; readonly me: string }
): SkillsResult<'rep.pair-accept'> {
	const pair = view.pairs.find((candidate) => candidate.id === input.pair);
	if (pair === undefined) return refuse('pair', 'rep_no_such_pair');
	if (pair.asked !== input.me) return refuse('pair', 'rep_pair_not_asked');
	if (pair.accepted !== null) return refuse('pair', 'rep_pair_already_accepted');
	return buildSkills('rep.pair-accept', context, { pair: input.pair });
}

/** Logs a mentoring session of an accepted pair one is in. */
export function sessionDraft(
	context: DraftContext,
	view: SkillsView,
	input: {
		readonly pair: string;
		readonly minutes: number;
		readonly endedAt: number;
		readonly note: string;
		readonly me: string;
	}
): SkillsResult<'rep.session'> {
	const pair = view.pairs.find((candidate) => candidate.id === input.pair);
	if (pair === undefined) return refuse('pair', 'rep_no_such_pair');
	if (pair.mentor !== input.me && pair.mentee !== input.me)
		return refuse('pair', 'rep_not_in_pair');
	if (pair.accepted === null) return refuse('pair', 'rep_pair_not_accepted');
	if (!Number.isSafeInteger(input.minutes) || input.minutes < 1) {
		return refuse('minutes', 'rep_session_minutes');
	}
	if (input.endedAt > wallOf(context.at)) return refuse('endedAt', 'rep_session_future');
	return buildSkills('rep.session', context, {
		pair: input.pair,
		minutes: input.minutes,
		endedAt: input.endedAt,
		note: paragraph(input.note)
	});
}

/** Who the author may give feedback about on a job: the others who completed their part. */
export function feedbackTargets(
	work: WorkView,
	feedback: FeedbackView,
	job: string,
	me: string
): string[] {
	const found = work.jobs.find((candidate) => candidate.id === job);
	if (found === undefined || found.status !== 'completed') return [];
	const done = found.assignees.filter((a) => a.done !== null).map((a) => a.member);
	const dispatcher = found.whys.some((why) => why.rule === 'assign' && why.by === me);
	if (!done.includes(me) && !dispatcher) return [];
	return done.filter(
		(member) =>
			member !== me &&
			!feedback.feedback.some(
				(item) => item.job === job && item.member === member && item.by === me
			)
	);
}

/** Leaves feedback on a member's part of a completed job. */
export function feedbackDraft(
	context: DraftContext,
	work: WorkView,
	feedback: FeedbackView,
	input: {
		readonly job: string;
		readonly member: string;
		readonly scores: Partial<Record<Criterion, number>>;
		readonly comment: string;
		readonly me: string;
	}
): FeedbackResult<'rep.feedback'> {
	const job = work.jobs.find((candidate) => candidate.id === input.job);
	if (job === undefined) return refuse('job', 'work_no_such_job');
	if (input.member === input.me) return refuse('member', 'rep_feedback_self');
	if (job.status !== 'completed') return refuse('job', 'rep_feedback_not_done');
	if (!feedbackTargets(work, feedback, input.job, input.me).includes(input.member)) {
		const given = feedback.feedback.some(
			(item) => item.job === input.job && item.member === input.member && item.by === input.me
		);
		return refuse('member', given ? 'rep_feedback_given' : 'rep_feedback_not_on_job');
	}
	const scores = {} as Record<Criterion, number>;
	for (const criterion of CRITERIA) {
		const score = input.scores[criterion];
		if (
			score === undefined ||
			!Number.isInteger(score) ||
			score < 1 ||
			score > MAX_FEEDBACK_SCORE
		) {
			return refuse(`scores.${criterion}`, 'rep_feedback_score');
		}
		scores[criterion] = score;
	}
	return buildFeedback('rep.feedback', context, {
		job: input.job,
		member: input.member,
		scores,
		comment: paragraph(input.comment)
	});
}

/** Opens a feedback round. */
export function roundDraft(
	context: DraftContext,
	input: { readonly question: string; readonly closesAt: number }
): FeedbackResult<'rep.round'> {
	const question = paragraph(input.question);
	if (question === '') return refuse('question', 'rep_round_question_empty');
	if (!Number.isSafeInteger(input.closesAt) || input.closesAt <= wallOf(context.at)) {
		return refuse('closesAt', 'rep_round_closes_past');
	}
	return buildFeedback('rep.round', context, { question, closesAt: input.closesAt });
}

/** Answers a round that is still open, once. */
export function answerDraft(
	context: DraftContext,
	view: FeedbackView,
	input: { readonly round: string; readonly text: string; readonly me: string }
): FeedbackResult<'rep.answer'> {
	const round = view.rounds.find((candidate) => candidate.id === input.round);
	if (round === undefined) return refuse('round', 'rep_no_such_round');
	if (round.by === input.me) return refuse('round', 'rep_round_own');
	if (wallOf(context.at) >= round.closesAt) return refuse('round', 'rep_round_closed');
	if (round.answers.some((answer) => answer.by === input.me)) {
		return refuse('round', 'rep_round_answered');
	}
	const text = paragraph(input.text);
	if (text === '') return refuse('text', 'rep_answer_empty');
	return buildFeedback('rep.answer', context, { round: input.round, text });
}

import type { AreaHost } from './area-host';
import type { InputResult } from '$lib/domain/kernel/input-result';
import {
	answerDraft,
	endorseDraft,
	feedbackDraft,
	feedbackTargets,
	goalDraft,
	pairAcceptDraft,
	pairDraft,
	roundDraft,
	sessionDraft,
	skillDraft,
	unendorseDraft
} from '$lib/domain/reputation/commands';
import type { Criterion, GoalStatus, PairRole, SkillLevel } from '$lib/domain/reputation/records';
import {
	feedbackAbout,
	feedbackSummary,
	progressOf,
	roundsShown,
	skillsOfMember,
	type Feedback,
	type FeedbackSummary,
	type Pair,
	type Progress,
	type RoundShown,
	type Session,
	type SkillView
} from '$lib/domain/reputation/view';
import type { JobView } from '$lib/domain/work/view';
import type { DraftBuilder } from '$lib/session/signed-records';

export { CRITERIA, MAX_FEEDBACK_SCORE, SKILL_LEVELS } from '$lib/domain/reputation/records';
export type { Criterion, FeedbackSummary, Pair, Progress, RoundShown, SkillLevel, SkillView };

type Result = InputResult;

/** A completed job the member may give feedback on, with whom. */
export interface FeedbackDue {
	readonly job: JobView;
	readonly members: readonly string[];
}

/** Skills, endorsements, mentoring and feedback of one open co-op. */
export class Reputation {
	readonly #host: AreaHost;

	constructor(host: AreaHost) {
		this.#host = host;
	}

	get #state() {
		return this.#host.roster().reputation;
	}

	get #me(): string {
		return this.#host.me()?.id ?? '';
	}

	/** Endorsements the co-op asks for a member to be qualified. */
	get threshold(): number {
		return this.#state.skills.threshold;
	}

	get mySkills(): SkillView[] {
		return skillsOfMember(this.#state.skills, this.#me);
	}

	/** Other members' skills, by member then name. */
	get othersSkills(): SkillView[] {
		return this.#state.skills.skills.filter((skill) => skill.member !== this.#me);
	}

	get progress(): Progress {
		return progressOf(this.#state.skills, this.#me);
	}

	/** Pairs the member is in, in the order they were asked. */
	get myPairs(): Pair[] {
		const me = this.#me;
		return this.#state.skills.pairs.filter((pair) => pair.mentor === me || pair.mentee === me);
	}

	sessionsOf(pair: string): Session[] {
		return this.#state.skills.sessions.filter((session) => session.pair === pair);
	}

	get feedbackAboutMe(): Feedback[] {
		return feedbackAbout(this.#state.feedback, this.#me);
	}

	get mySummary(): FeedbackSummary {
		return feedbackSummary(this.#state.feedback, this.#me);
	}

	/** Completed jobs on which the member still has feedback to give, newest first. */
	get feedbackDue(): FeedbackDue[] {
		const { work } = this.#host.roster();
		const me = this.#me;
		if (me === '') return [];
		return work.jobs
			.filter((job) => job.status === 'completed')
			.map((job) => ({ job, members: feedbackTargets(work, this.#state.feedback, job.id, me) }))
			.filter((due) => due.members.length > 0)
			.reverse();
	}

	/** Rounds, newest first, as this device shows them at its time `now`. */
	rounds(now: number): RoundShown[] {
		return roundsShown(this.#state.feedback, this.#host.me()?.id ?? null, now);
	}

	#write(build: DraftBuilder): Promise<Result> {
		return this.#host.write(build).then((result) => (result.ok ? { ok: true } : result));
	}

	setSkill(skill: string, level: SkillLevel | 'none'): Promise<Result> {
		return this.#write((context) => skillDraft(context, this.#state.skills, { skill, level }));
	}

	endorse(member: string, skill: string, note: string): Promise<Result> {
		const me = this.#me;
		return this.#write((context) =>
			endorseDraft(context, this.#state.skills, { member, skill, note, me })
		);
	}

	withdraw(endorsement: string): Promise<Result> {
		const me = this.#me;
		return this.#write((context) =>
			unendorseDraft(context, this.#state.skills, { endorsement, me })
		);
	}

	setGoal(skill: string, note: string, status: GoalStatus): Promise<Result> {
		return this.#write((context) => goalDraft(context, { skill, note, status }));
	}

	askPair(member: string, role: PairRole, skill: string): Promise<Result> {
		const me = this.#me;
		return this.#write((context) =>
			pairDraft(context, this.#state.skills, { member, role, skill, me })
		);
	}

	acceptPair(pair: string): Promise<Result> {
		const me = this.#me;
		return this.#write((context) => pairAcceptDraft(context, this.#state.skills, { pair, me }));
	}

	logSession(pair: string, minutes: number, note: string): Promise<Result> {
		const me = this.#me;
		return this.#write((context) =>
			sessionDraft(context, this.#state.skills, {
				pair,
				minutes,
				endedAt: Number(context.at.slice(0, 13)),
				note,
				me
			})
		);
	}

	giveFeedback(
		job: string,
		member: string,
		scores: Partial<Record<Criterion, number>>,
		comment: string
	): Promise<Result> {
		const me = this.#me;
		const { work } = this.#host.roster();
		return this.#write((context) =>
			feedbackDraft(context, work, this.#state.feedback, { job, member, scores, comment, me })
		);
	}

	openRound(question: string, closesAt: number): Promise<Result> {
		return this.#write((context) => roundDraft(context, { question, closesAt }));
	}

	answer(round: string, text: string): Promise<Result> {
		const me = this.#me;
		return this.#write((context) =>
			answerDraft(context, this.#state.feedback, { round, text, me })
		);
	}
}

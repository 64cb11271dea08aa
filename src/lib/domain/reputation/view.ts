import type { Stamp } from '../kernel/hlc';
import type { Answer, Feedback, FeedbackFold, Round } from './feedback-fold';
import { summarise, type FeedbackSummary } from './queries';
import { skillKey, type SkillLevel } from './records';
import type { Goal, Pair, Session, SkillsFold } from './skills-fold';

export type { Answer, Feedback, Goal, Pair, Round, Session };
export type { FeedbackSummary };

/** A standing endorsement, as the pages show it. */
export interface EndorsementView {
	readonly id: string;
	readonly by: string;
	readonly note: string;
	readonly at: Stamp;
}

/** A skill a member lists, with its standing endorsements and whether it qualifies them. */
export interface SkillView {
	readonly member: string;
	readonly name: string;
	/** The name without case: what work and endorsements compare. */
	readonly key: string;
	readonly level: SkillLevel;
	readonly at: Stamp;
	/** When it moved from learning to "can do" or "can teach", if it did. */
	readonly learnedAt: Stamp | null;
	/** Standing endorsements by active members, oldest first. */
	readonly endorsements: readonly EndorsementView[];
	readonly qualified: boolean;
}

/** The skills area's read model. */
export interface SkillsView {
	/** Endorsements needed to be qualified (the co-op's setting in force). */
	readonly threshold: number;
	/** Every listed skill, by member then name. */
	readonly skills: readonly SkillView[];
	/** Active member -> the skills (keys, ascending) they are qualified for, profile ones included. */
	readonly qualified: Readonly<Record<string, readonly string[]>>;
	readonly goals: readonly Goal[];
	/** In the order they were asked. */
	readonly pairs: readonly Pair[];
	/** In the order they were logged. */
	readonly sessions: readonly Session[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const skillViews = new WeakMap<SkillsFold, { key: string; view: SkillsView }>();

/**
 * Skills as the pages show them. Qualification also moves with membership (an endorser leaves)
 * and settings (the threshold), which leave this fold's version alone, so the view is rebuilt
 * when the version or what it qualifies changes.
 */
export function skillsView(fold: SkillsFold): SkillsView {
	const qualified = fold.qualifiedSkills();
	const threshold = fold.threshold();
	const key = `${fold.version} ${threshold} ${JSON.stringify(qualified)}`;
	const hit = skillViews.get(fold);
	if (hit?.key === key) return hit.view;
	const skills: SkillView[] = [...fold.skills.values()]
		.map((entry) => {
			const endorsements = fold
				.endorsementsOf(entry.member, entry.name)
				.map(({ id, by, note, at }) => ({ id, by, note, at }))
				.sort((a, b) => byText(a.at, b.at) || byText(a.id, b.id));
			return {
				member: entry.member,
				name: entry.name,
				key: skillKey(entry.name),
				level: entry.level,
				at: entry.at,
				learnedAt: entry.learnedAt,
				endorsements,
				qualified: (qualified[entry.member] ?? []).includes(skillKey(entry.name))
			};
		})
		.sort((a, b) => byText(a.member, b.member) || byText(a.key, b.key));
	const view: SkillsView = {
		threshold,
		skills,
		qualified,
		goals: [...fold.goals.values()].sort(
			(a, b) => byText(a.member, b.member) || byText(skillKey(a.skill), skillKey(b.skill))
		),
		pairs: [...fold.pairs.values()],
		sessions: [...fold.sessions]
	};
	skillViews.set(fold, { key, view });
	return view;
}

/** Whether a member is qualified for a skill (compared without case), as the view gives it. */
export function isQualified(view: SkillsView, member: string, skill: string): boolean {
	return (view.qualified[member] ?? []).includes(skillKey(skill));
}

/** A member's skills, by name. */
export function skillsOfMember(view: SkillsView, member: string): SkillView[] {
	return view.skills.filter((skill) => skill.member === member);
}

/** What a member made of their learning. */
export interface Progress {
	/** Skills they moved from learning to "can do" or "can teach". */
	readonly learned: readonly string[];
	/** Skills listed as learning now. */
	readonly learning: readonly string[];
	/** Sessions and minutes as a mentee, and as a mentor. */
	readonly sessionsLearning: number;
	readonly minutesLearning: number;
	readonly sessionsTeaching: number;
	readonly minutesTeaching: number;
	/** Standing endorsements received, over all their skills. */
	readonly endorsements: number;
	readonly goals: readonly Goal[];
}

export function progressOf(view: SkillsView, member: string): Progress {
	const mine = skillsOfMember(view, member);
	const sessions = view.sessions;
	const as = (role: 'mentor' | 'mentee') => sessions.filter((session) => session[role] === member);
	const minutes = (list: readonly Session[]) => list.reduce((sum, s) => sum + s.minutes, 0);
	const learning = as('mentee');
	const teaching = as('mentor');
	return {
		learned: mine.filter((skill) => skill.learnedAt !== null).map((skill) => skill.name),
		learning: mine.filter((skill) => skill.level === 'learning').map((skill) => skill.name),
		sessionsLearning: learning.length,
		minutesLearning: minutes(learning),
		sessionsTeaching: teaching.length,
		minutesTeaching: minutes(teaching),
		endorsements: mine.reduce((sum, skill) => sum + skill.endorsements.length, 0),
		goals: view.goals.filter((goal) => goal.member === member)
	};
}

/** The feedback area's read model: every piece of feedback and every round, raw. */
export interface FeedbackView {
	/** In fold order. */
	readonly feedback: readonly Feedback[];
	/** In the order they were opened. */
	readonly rounds: readonly Round[];
}

const feedbackViews = new WeakMap<FeedbackFold, { version: number; view: FeedbackView }>();

export function feedbackView(fold: FeedbackFold): FeedbackView {
	const hit = feedbackViews.get(fold);
	if (hit?.version === fold.version) return hit.view;
	const view: FeedbackView = { feedback: [...fold.feedback], rounds: [...fold.rounds.values()] };
	feedbackViews.set(fold, { version: fold.version, view });
	return view;
}

/** Feedback about a member, newest first. */
export function feedbackAbout(view: FeedbackView, member: string): Feedback[] {
	return view.feedback.filter((item) => item.member === member).reverse();
}

/** Every piece of feedback a member received, counted per criterion and score (none left out). */
export function feedbackSummary(view: FeedbackView, member: string): FeedbackSummary {
	return summarise(member, view.feedback);
}

/** A round as one device shows it at its own time `now`. */
export interface RoundShown {
	readonly id: string;
	readonly by: string;
	readonly question: string;
	readonly closesAt: number;
	readonly at: Stamp;
	/** By this device's clock. */
	readonly closed: boolean;
	readonly answerCount: number;
	/**
	 * Before the close, only the viewer's own answer; after it, every answer with its author.
	 * Hidden is a courtesy of the app: the records are readable by anyone with the room key.
	 */
	readonly answers: readonly Answer[];
	readonly answered: boolean;
}

/** The rounds, newest first, as shown to `viewer` at the device time `now`. */
export function roundsShown(view: FeedbackView, viewer: string | null, now: number): RoundShown[] {
	return view.rounds
		.map((round) => {
			const closed = now >= round.closesAt;
			return {
				id: round.id,
				by: round.by,
				question: round.question,
				closesAt: round.closesAt,
				at: round.at,
				closed,
				answerCount: round.answers.length,
				answers: closed ? round.answers : round.answers.filter((answer) => answer.by === viewer),
				answered: round.answers.some((answer) => answer.by === viewer)
			};
		})
		.reverse();
}

/** A member's record in this co-op: their skills with endorsements, and their feedback summary. */
export interface MemberRecord {
	readonly member: string;
	readonly skills: readonly {
		readonly name: string;
		readonly level: SkillLevel;
		readonly qualified: boolean;
		readonly endorsements: readonly EndorsementView[];
	}[];
	readonly feedback: FeedbackSummary;
}

export function memberRecord(
	skills: SkillsView,
	feedback: FeedbackView,
	member: string
): MemberRecord {
	return {
		member,
		skills: skillsOfMember(skills, member).map(({ name, level, qualified, endorsements }) => ({
			name,
			level,
			qualified,
			endorsements
		})),
		feedback: feedbackSummary(feedback, member)
	};
}

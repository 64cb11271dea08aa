import { describe, expect, it } from 'vitest';
import { draftBuilder } from '$lib/domain/kernel/draft';
import { wallOf } from '$lib/domain/kernel/hlc';
import {
	answerDraft,
	endorseDraft,
	feedbackDraft,
	feedbackTargets,
	pairAcceptDraft,
	pairDraft,
	roundDraft,
	sessionDraft,
	skillDraft,
	unendorseDraft
} from '$lib/domain/reputation/commands';
import {
	FEEDBACK_RECORDS,
	SKILLS_RECORDS,
	type FeedbackBodies,
	type SkillsBodies
} from '$lib/domain/reputation/records';
import {
	feedbackSummary,
	isQualified,
	memberRecord,
	progressOf,
	roundsShown
} from '$lib/domain/reputation/view';
import type { CoopState } from '$lib/domain/coop-state';
import type { DraftResult } from '$lib/domain/registry';
import {
	foundCoop,
	MINUTE,
	projectWorld,
	recordOutcome,
	type Device,
	type World
} from './fixtures';
import {
	assign,
	claim,
	complete,
	decideSetting,
	HOUR,
	jobOf,
	MONDAY,
	postJob
} from './work-fixtures';

/**
 * Reputation's rules: skills and endorsements (never one's own, one standing per endorser,
 * withdrawn by the endorser only), qualification by the co-op's threshold and the work area's
 * eligibility following it, mentoring pairs and sessions (counted as work hours when decided),
 * feedback on completed jobs (only by those on them) and feedback rounds (answers before the
 * close only, hidden until it on each device's own clock). Bad records get named reasons.
 */

const skillsRaw = draftBuilder(SKILLS_RECORDS);
const feedbackRaw = draftBuilder(FEEDBACK_RECORDS);

/** Writes a record the commands would refuse (as a hostile or outdated device would). */
async function raw<T extends keyof SkillsBodies>(
	world: World,
	device: Device,
	type: T,
	body: SkillsBodies[T]
) {
	return world.write(
		device,
		skillsRaw(type, world.advance(1000).context(device), body) as DraftResult<T>
	);
}

async function rawFeedback<T extends keyof FeedbackBodies>(
	world: World,
	device: Device,
	type: T,
	body: FeedbackBodies[T],
	at?: string
) {
	return world.write(
		device,
		feedbackRaw(
			type,
			world.advance(at === undefined ? 1000 : 0).context(device, at),
			body
		) as DraftResult<T>
	);
}

async function listSkill(
	world: World,
	device: Device,
	skill: string,
	level: 'learning' | 'can-do' | 'can-teach' | 'none'
) {
	const state = await projectWorld(world);
	return world.write(
		device,
		skillDraft(world.advance(1000).context(device), state.reputation.skills, { skill, level })
	);
}

async function endorse(world: World, by: Device, member: Device, skill: string, note = '') {
	const state = await projectWorld(world);
	return world.write(
		by,
		endorseDraft(world.advance(1000).context(by), state.reputation.skills, {
			member: member.id,
			skill,
			note,
			me: by.id
		})
	);
}

const scores = { quality: 4, reliability: 5, cooperation: 3 };

describe('skills and endorsements', () => {
	it('lists skills with a level and takes endorsements from others, once each', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		await listSkill(world, ada, 'Pastry', 'can-do');
		const good = await endorse(world, bo, ada, 'pastry', 'Her croissants are perfect.');
		const self = await raw(world, ada, 'rep.endorse', {
			member: ada.id,
			skill: 'Pastry',
			note: ''
		});
		const twice = await raw(world, bo, 'rep.endorse', {
			member: ada.id,
			skill: 'PASTRY',
			note: ''
		});
		const unlisted = await raw(world, cy, 'rep.endorse', {
			member: ada.id,
			skill: 'Welding',
			note: ''
		});
		let state = await projectWorld(world);
		expect(recordOutcome(state, good)).toBe('accepted');
		expect(recordOutcome(state, self)).toBe('self-endorsement');
		expect(recordOutcome(state, twice)).toBe('duplicate');
		expect(recordOutcome(state, unlisted)).toBe('unknown-skill');
		const pastry = state.reputation.skills.skills.find((skill) => skill.member === ada.id)!;
		expect(pastry).toMatchObject({ name: 'Pastry', level: 'can-do', qualified: true });
		expect(pastry.endorsements.map((e) => [e.by, e.note])).toEqual([
			[bo.id, 'Her croissants are perfect.']
		]);

		// The commands say so before anything is written.
		const view = state.reputation.skills;
		const context = world.context(ada);
		expect(
			endorseDraft(context, view, { member: ada.id, skill: 'Pastry', note: '', me: ada.id })
		).toMatchObject({ ok: false, messageKey: 'rep_endorse_self' });
		expect(
			endorseDraft(world.context(bo), view, {
				member: ada.id,
				skill: 'pastry',
				note: '',
				me: bo.id
			})
		).toMatchObject({ ok: false, messageKey: 'rep_already_endorsed' });

		// Only the endorser withdraws it; once.
		const byOther = await raw(world, cy, 'rep.unendorse', { endorsement: good.id });
		const withdrawn = await world.write(
			bo,
			unendorseDraft(world.advance(1000).context(bo), view, { endorsement: good.id, me: bo.id })
		);
		const again = await raw(world, bo, 'rep.unendorse', { endorsement: good.id });
		state = await projectWorld(world);
		expect(recordOutcome(state, byOther)).toBe('not-endorser');
		expect(recordOutcome(state, withdrawn)).toBe('accepted');
		expect(recordOutcome(state, again)).toBe('duplicate');
		expect(state.reputation.skills.skills[0]!.endorsements).toEqual([]);
		// Withdrawn, it can be given again.
		expect(recordOutcome(await projectWorld(world), await endorse(world, bo, ada, 'Pastry'))).toBe(
			'accepted'
		);
	});

	it('refuses taking off a skill not listed, and counts learning moved to "can do"', async () => {
		const { world, people } = await foundCoop(2);
		const [ada] = people as [Device];
		const off = await raw(world, ada, 'rep.skill', { skill: 'Welding', level: 'none' });
		await listSkill(world, ada, 'Bread', 'learning');
		await listSkill(world, ada, 'Bread', 'can-do');
		await listSkill(world, ada, 'Icing', 'learning');
		const state = await projectWorld(world);
		expect(recordOutcome(state, off)).toBe('unknown-skill');
		const progress = progressOf(state.reputation.skills, ada.id);
		expect(progress.learned).toEqual(['Bread']);
		expect(progress.learning).toEqual(['Icing']);
	});
});

describe('qualification and the work area', () => {
	it('follows the endorsements the co-op asks for: claims from members not qualified fail', async () => {
		const { world, people } = await foundCoop(4);
		const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
		await decideSetting(world, ada, bo, 'endorsementsToQualify', '2');
		await listSkill(world, bo, 'Pastry', 'can-do');
		await listSkill(world, cy, 'Pastry', 'learning');
		await endorse(world, ada, bo, 'Pastry');
		await endorse(world, ada, cy, 'Pastry');
		await endorse(world, di, cy, 'Pastry');
		const job = await postJob(world, ada, { skills: ['pastry'], people: 2 });
		const early = await claim(world, bo, job.id);
		const learner = await claim(world, cy, job.id);
		let state = await projectWorld(world);
		expect(recordOutcome(state, early)).toBe('missing-skills');
		// Two endorsements, but still learning: not qualified.
		expect(recordOutcome(state, learner)).toBe('missing-skills');
		expect(isQualified(state.reputation.skills, bo.id, 'Pastry')).toBe(false);

		await endorse(world, di, bo, 'Pastry');
		const later = await claim(world, bo, job.id);
		state = await projectWorld(world);
		expect(isQualified(state.reputation.skills, bo.id, 'pastry')).toBe(true);
		expect(recordOutcome(state, later)).toBe('accepted');
		expect(jobOf(state, job).assignees.map((a) => a.member)).toEqual([bo.id]);
	});

	it('counts only endorsers still active, and profile skills only while no endorsement is asked', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		await world.profile(bo, 'Bo'); // lists "baking"
		let state = await projectWorld(world);
		expect(isQualified(state.reputation.skills, bo.id, 'Baking')).toBe(true);
		await decideSetting(world, ada, bo, 'endorsementsToQualify', '1');
		state = await projectWorld(world);
		expect(isQualified(state.reputation.skills, bo.id, 'Baking')).toBe(false);
		await listSkill(world, bo, 'Baking', 'can-teach');
		await endorse(world, cy, bo, 'baking');
		state = await projectWorld(world);
		expect(isQualified(state.reputation.skills, bo.id, 'Baking')).toBe(true);
		await world.leave(cy);
		world.advance(MINUTE);
		state = await projectWorld(world);
		expect(isQualified(state.reputation.skills, bo.id, 'Baking')).toBe(false);
		expect(state.reputation.skills.skills.find((s) => s.member === bo.id)!.endorsements).toEqual(
			[]
		);
	});
});

describe('mentoring', () => {
	async function pairUp(world: World, mentor: Device, mentee: Device) {
		let state = await projectWorld(world);
		const pair = await world.write(
			mentee,
			pairDraft(world.advance(1000).context(mentee), state.reputation.skills, {
				member: mentor.id,
				role: 'mentee',
				skill: 'Pastry',
				me: mentee.id
			})
		);
		state = await projectWorld(world);
		return { pair, state };
	}

	it('pairs when the member asked accepts, and logs sessions of either member only', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const { pair, state: asked } = await pairUp(world, ada, bo);
		const early = await raw(world, bo, 'rep.session', {
			pair: pair.id,
			minutes: 60,
			endedAt: world.now - MINUTE,
			note: ''
		});
		const wrongAccept = await raw(world, bo, 'rep.pair-accept', { pair: pair.id });
		expect(
			pairAcceptDraft(world.context(bo), asked.reputation.skills, { pair: pair.id, me: bo.id })
		).toMatchObject({ ok: false, messageKey: 'rep_pair_not_asked' });
		await world.write(
			ada,
			pairAcceptDraft(world.advance(1000).context(ada), asked.reputation.skills, {
				pair: pair.id,
				me: ada.id
			})
		);
		const outsider = await raw(world, cy, 'rep.session', {
			pair: pair.id,
			minutes: 60,
			endedAt: world.now - MINUTE,
			note: ''
		});
		const self = await raw(world, ada, 'rep.pair', { member: ada.id, role: 'mentor', skill: 'X' });
		let state = await projectWorld(world);
		const session = await world.write(
			bo,
			sessionDraft(world.advance(1000).context(bo), state.reputation.skills, {
				pair: pair.id,
				minutes: 45,
				endedAt: world.now - MINUTE,
				note: 'Laminating dough',
				me: bo.id
			})
		);
		state = await projectWorld(world);
		expect(recordOutcome(state, early)).toBe('pair-not-accepted');
		expect(recordOutcome(state, wrongAccept)).toBe('not-asked');
		expect(recordOutcome(state, outsider)).toBe('not-in-pair');
		expect(recordOutcome(state, self)).toBe('self-pair');
		expect(recordOutcome(state, session)).toBe('accepted');
		const progress = progressOf(state.reputation.skills, bo.id);
		expect([progress.sessionsLearning, progress.minutesLearning]).toEqual([1, 45]);
		expect(progressOf(state.reputation.skills, ada.id).minutesTeaching).toBe(45);
		// Not counted as work: the co-op has not decided so.
		expect(state.work.hours[bo.id]).toBeUndefined();
		expect(state.reputation.skills.sessions[0]!.counted).toBe(false);
	});

	it('counts sessions as work hours of both members once the co-op decides so', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		await decideSetting(world, ada, bo, 'mentoringCountsAsWork', 'yes');
		const { pair } = await pairUp(world, ada, bo);
		let state = await projectWorld(world);
		await world.write(
			ada,
			pairAcceptDraft(world.advance(1000).context(ada), state.reputation.skills, {
				pair: pair.id,
				me: ada.id
			})
		);
		state = await projectWorld(world);
		const endedAt = world.now;
		await world.write(
			ada,
			sessionDraft(world.advance(1000).context(ada), state.reputation.skills, {
				pair: pair.id,
				minutes: 90,
				endedAt,
				note: '',
				me: ada.id
			})
		);
		state = await projectWorld(world);
		const period = new Date(endedAt).toISOString().slice(0, 7);
		expect(state.work.hours[ada.id]!.periods[period]).toBe(90);
		expect(state.work.hours[bo.id]!.periods[period]).toBe(90);
		expect(state.reputation.skills.sessions[0]!.counted).toBe(true);
	});
});

describe('feedback on work', () => {
	it('is given by the others on a completed job, once, and summed without choice', async () => {
		const { world, people } = await foundCoop(4);
		const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
		const job = await postJob(world, ada, { people: 2 });
		await claim(world, bo, job.id);
		await claim(world, cy, job.id);
		world.now = MONDAY + 11 * HOUR;
		let state = await projectWorld(world);
		await complete(world, bo, state, job.id, 120, MONDAY + 11 * HOUR);
		const notDone = await rawFeedback(world, bo, 'rep.feedback', {
			job: job.id,
			member: cy.id,
			scores,
			comment: ''
		});
		state = await projectWorld(world);
		await complete(world, cy, state, job.id, 100, MONDAY + 11 * HOUR);
		state = await projectWorld(world);
		expect(feedbackTargets(state.work, state.reputation.feedback, job.id, bo.id)).toEqual([cy.id]);
		expect(feedbackTargets(state.work, state.reputation.feedback, job.id, di.id)).toEqual([]);
		const good = await world.write(
			bo,
			feedbackDraft(world.advance(1000).context(bo), state.work, state.reputation.feedback, {
				job: job.id,
				member: cy.id,
				scores,
				comment: 'On time, careful.',
				me: bo.id
			})
		);
		const back = await rawFeedback(world, cy, 'rep.feedback', {
			job: job.id,
			member: bo.id,
			scores: { quality: 2, reliability: 5, cooperation: 3 },
			comment: ''
		});
		const outsider = await rawFeedback(world, di, 'rep.feedback', {
			job: job.id,
			member: cy.id,
			scores,
			comment: ''
		});
		const self = await rawFeedback(world, bo, 'rep.feedback', {
			job: job.id,
			member: bo.id,
			scores,
			comment: ''
		});
		const twice = await rawFeedback(world, bo, 'rep.feedback', {
			job: job.id,
			member: cy.id,
			scores: { quality: 5, reliability: 5, cooperation: 5 },
			comment: ''
		});
		const poster = await rawFeedback(world, ada, 'rep.feedback', {
			job: job.id,
			member: cy.id,
			scores,
			comment: ''
		});
		state = await projectWorld(world);
		expect(recordOutcome(state, notDone)).toBe('job-not-done');
		expect(recordOutcome(state, good)).toBe('accepted');
		expect(recordOutcome(state, back)).toBe('accepted');
		expect(recordOutcome(state, outsider)).toBe('not-on-job');
		expect(recordOutcome(state, self)).toBe('self-feedback');
		expect(recordOutcome(state, twice)).toBe('duplicate');
		// The poster is not a dispatcher: under the claim rule nobody dispatched it.
		expect(recordOutcome(state, poster)).toBe('not-on-job');
		const summary = feedbackSummary(state.reputation.feedback, cy.id);
		expect(summary).toEqual({
			member: cy.id,
			count: 1,
			jobs: 1,
			criteria: {
				quality: [0, 0, 0, 1, 0],
				reliability: [0, 0, 0, 0, 1],
				cooperation: [0, 0, 1, 0, 0]
			}
		});
		expect(
			memberRecord(state.reputation.skills, state.reputation.feedback, bo.id).feedback.count
		).toBe(1);
		expect(
			feedbackDraft(world.context(di), state.work, state.reputation.feedback, {
				job: job.id,
				member: cy.id,
				scores,
				comment: '',
				me: di.id
			})
		).toMatchObject({ ok: false, messageKey: 'rep_feedback_not_on_job' });
	});

	it('takes feedback from the dispatcher who assigned the job', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		await decideSetting(world, ada, bo, 'assignmentRule', 'assign');
		await decideSetting(world, ada, bo, 'dispatchers', ada.id);
		const job = await postJob(world, ada, { people: 1 });
		await assign(world, ada, job.id, [cy.id]);
		world.now = MONDAY + 11 * HOUR;
		let state = await projectWorld(world);
		await complete(world, cy, state, job.id, 120, MONDAY + 11 * HOUR);
		const fromDispatcher = await rawFeedback(world, ada, 'rep.feedback', {
			job: job.id,
			member: cy.id,
			scores,
			comment: 'Thanks'
		});
		state = await projectWorld(world);
		expect(recordOutcome(state, fromDispatcher)).toBe('accepted');
		expect(state.reputation.feedback.feedback[0]!.dispatcher).toBe(true);
	});
});

describe('feedback rounds', () => {
	it('takes answers from others until the close, hidden until then on the device clock', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const closesAt = world.now + 2 * HOUR;
		const round = await world.write(
			ada,
			roundDraft(world.advance(1000).context(ada), {
				question: 'How did this quarter go for you?',
				closesAt
			})
		);
		let state: CoopState = await projectWorld(world);
		const answer = await world.write(
			bo,
			answerDraft(world.advance(1000).context(bo), state.reputation.feedback, {
				round: round.id,
				text: 'Busy but good.',
				me: bo.id
			})
		);
		const own = await rawFeedback(world, ada, 'rep.answer', { round: round.id, text: 'Mine' });
		world.now = closesAt + MINUTE;
		const late = await rawFeedback(world, cy, 'rep.answer', { round: round.id, text: 'Late' });
		state = await projectWorld(world);
		expect(recordOutcome(state, answer)).toBe('accepted');
		expect(recordOutcome(state, own)).toBe('own-round');
		expect(recordOutcome(state, late)).toBe('round-closed');
		expect(
			answerDraft(world.context(cy), state.reputation.feedback, {
				round: round.id,
				text: 'Late',
				me: cy.id
			})
		).toMatchObject({ ok: false, messageKey: 'rep_round_closed' });

		const before = wallOf(round.record.at) + MINUTE;
		const [hidden] = roundsShown(state.reputation.feedback, ada.id, before);
		expect(hidden).toMatchObject({ closed: false, answerCount: 1, answers: [] });
		// The author of an answer sees their own.
		expect(roundsShown(state.reputation.feedback, bo.id, before)[0]!.answers).toHaveLength(1);
		const [shown] = roundsShown(state.reputation.feedback, ada.id, closesAt);
		expect(shown!.closed).toBe(true);
		expect(shown!.answers.map((a) => [a.by, a.text])).toEqual([[bo.id, 'Busy but good.']]);
	});

	it('refuses a round closing in the past or more than a year on', async () => {
		const { world, people } = await foundCoop(1);
		const [ada] = people as [Device];
		const context = world.context(ada);
		expect(roundDraft(context, { question: 'Q?', closesAt: world.now - 1 })).toMatchObject({
			ok: false,
			messageKey: 'rep_round_closes_past'
		});
		expect(
			roundDraft(world.context(ada), { question: 'Q?', closesAt: world.now + 400 * 24 * HOUR })
		).toMatchObject({ ok: false, field: 'closesAt' });
	});
});

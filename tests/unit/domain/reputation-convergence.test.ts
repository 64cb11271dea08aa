import { describe, expect, it } from 'vitest';
import { projectCoop, type CoopState } from '$lib/domain/coop-state';
import { verifyRecord, type VerifiedRecord } from '$lib/domain/registry';
import {
	endorseDraft,
	feedbackDraft,
	feedbackTargets,
	skillDraft,
	unendorseDraft
} from '$lib/domain/reputation/commands';
import { SKILL_LEVELS } from '$lib/domain/reputation/records';
import { feedbackSummary, memberRecord } from '$lib/domain/reputation/view';
import { claimDraft, completeDraft, jobDraft } from '$lib/domain/work/commands';
import { openJobs } from '$lib/domain/work/view';
import {
	catchUp,
	foundCoop,
	MINUTE,
	pick,
	prng,
	simulatedPeer,
	syncPeers,
	syncEveryone,
	wander,
	writeAs,
	type SimulatedPeer
} from './fixtures';
import { decideSetting, HOUR, jobInput } from './work-fixtures';

/**
 * N members, each on their own device with its own Y.Doc, list skills, endorse and withdraw
 * endorsements, post jobs that need a skill, claim and complete them and leave feedback, while
 * offline, and exchange Yjs updates in random pairs and orders. After a full exchange every
 * device shows the same skills, endorsements, qualifications, jobs and feedback summaries as a
 * projection from scratch; every qualification is what the endorsements give; and nobody holds
 * a job needing a skill without having been qualified for it when they got it.
 */

const SKILLS = ['Pastry', 'Cargo bike', 'Bread'];

async function act(
	peer: SimulatedPeer,
	coop: string,
	now: number,
	random: () => number
): Promise<void> {
	const state = await catchUp(peer, coop, now);
	const me = peer.device.id;
	const context = () => ({ coop, author: me, at: peer.device.stamp(now + peer.skew) });
	const { skills, feedback } = state.reputation;
	const roll = random();
	if (roll < 0.2) {
		const level = random() < 0.1 ? 'none' : pick(random, SKILL_LEVELS);
		const result = skillDraft(context(), skills, { skill: pick(random, SKILLS), level });
		if (result.ok) await writeAs(peer, result);
	} else if (roll < 0.45) {
		const others = skills.skills.filter((skill) => skill.member !== me);
		if (others.length === 0) return;
		const skill = pick(random, others);
		const result = endorseDraft(context(), skills, {
			member: skill.member,
			skill: skill.name,
			note: random() < 0.5 ? 'Seen it done well.' : '',
			me
		});
		if (result.ok) await writeAs(peer, result);
	} else if (roll < 0.52) {
		const mine = skills.skills.flatMap((skill) => skill.endorsements).filter((e) => e.by === me);
		if (mine.length === 0) return;
		const result = unendorseDraft(context(), skills, { endorsement: pick(random, mine).id, me });
		if (result.ok) await writeAs(peer, result);
	} else if (roll < 0.62) {
		const startsAt = now + Math.floor(1 + random() * 12) * HOUR;
		await writeAs(
			peer,
			jobDraft(
				context(),
				jobInput({
					title: `Job ${Math.floor(random() * 1000)}`,
					startsAt,
					endsAt: startsAt + HOUR,
					people: pick(random, [1, 2, 3]),
					skills: random() < 0.6 ? [pick(random, SKILLS)] : []
				})
			)
		);
	} else if (roll < 0.8) {
		const open = openJobs(state.work);
		if (open.length === 0) return;
		const result = claimDraft(context(), state.work, { job: pick(random, open).id, member: me });
		if (result.ok) await writeAs(peer, result);
	} else if (roll < 0.9) {
		const mine = state.work.jobs.filter(
			(job) =>
				job.endsAt <= now + peer.skew &&
				job.status !== 'cancelled' &&
				job.assignees.some((a) => a.member === me && a.done === null)
		);
		if (mine.length === 0) return;
		const job = pick(random, mine);
		const result = completeDraft(context(), state.work, {
			target: job.id,
			member: me,
			minutes: 60,
			endedAt: job.endsAt
		});
		if (result.ok) await writeAs(peer, result);
	} else {
		const done = state.work.jobs.filter(
			(job) => feedbackTargets(state.work, feedback, job.id, me).length > 0
		);
		if (done.length === 0) return;
		const job = pick(random, done);
		const member = pick(random, feedbackTargets(state.work, feedback, job.id, me));
		const score = () => 1 + Math.floor(random() * 5);
		const result = feedbackDraft(context(), state.work, feedback, {
			job: job.id,
			member,
			scores: { quality: score(), reliability: score(), cooperation: score() },
			comment: '',
			me
		});
		if (result.ok) await writeAs(peer, result);
	}
}

async function simulate(seed: number, threshold: number) {
	const random = prng(seed);
	const { world, people } = await foundCoop(4);
	if (threshold > 0) {
		await decideSetting(world, people[0]!, people[1]!, 'endorsementsToQualify', String(threshold));
	}
	const coop = world.coop;
	const peers = people.map((device, index) =>
		simulatedPeer(index, device, coop, random, { checkpointEvery: 9, skewRange: 2 * MINUTE })
	);
	for (const entry of world.entries) peers[0]!.records.set(entry.id, entry.record);
	for (const peer of peers.slice(1)) syncPeers(peers[0]!, peer);
	const now = await wander(
		random,
		peers,
		world.now,
		{ steps: 260, maxStep: 20 * MINUTE, meet: 0.4 },
		(peer, at) => act(peer, coop, at, random)
	);
	syncEveryone(peers, 2);
	const states: CoopState[] = [];
	for (const peer of peers) states.push(await catchUp(peer, coop, now));
	return { peers, people, coop, states, now };
}

async function fromScratch(peer: SimulatedPeer, coop: string, now: number): Promise<CoopState> {
	const verified: VerifiedRecord[] = [];
	for (const [key, value] of peer.records.entries()) {
		const result = await verifyRecord(key, value, coop);
		if (result.ok) verified.push(result.verified);
	}
	return projectCoop(coop, verified, [], now);
}

describe('convergence of skills, endorsements, qualification and feedback (Yjs, seeded)', () => {
	const totals = { endorsements: 0, qualified: 0, feedback: 0, skilledJobsHeld: 0, refused: 0 };

	it.each([
		[1, 1],
		[2, 2],
		[3, 0],
		[5, 1],
		[8, 2]
	])(
		'gives every device the same state (seed %i, %i endorsements to qualify)',
		async (seed, threshold) => {
			const { peers, people, coop, states, now } = await simulate(seed, threshold);
			const reference = await fromScratch(peers[0]!, coop, now);
			for (const state of states) {
				expect(state.reputation).toEqual(reference.reputation);
				expect(state.work).toEqual(reference.work);
				expect(state.integrity).toEqual(reference.integrity);
				for (const person of people) {
					expect(feedbackSummary(state.reputation.feedback, person.id)).toEqual(
						feedbackSummary(reference.reputation.feedback, person.id)
					);
					expect(
						memberRecord(state.reputation.skills, state.reputation.feedback, person.id)
					).toEqual(
						memberRecord(reference.reputation.skills, reference.reputation.feedback, person.id)
					);
				}
			}
			const { skills, feedback } = reference.reputation;
			expect(skills.threshold).toBe(threshold);
			// Every qualification is what the standing endorsements and the level give.
			for (const skill of skills.skills) {
				const expected = skill.level !== 'learning' && skill.endorsements.length >= threshold;
				expect(skill.qualified).toBe(expected);
				expect(skill.endorsements.every((e) => e.by !== skill.member)).toBe(true);
				expect(new Set(skill.endorsements.map((e) => e.by)).size).toBe(skill.endorsements.length);
				totals.endorsements += skill.endorsements.length;
				if (skill.qualified) totals.qualified++;
			}
			// Whoever got a job needing a skill was ranked eligible (qualified) when they got it.
			for (const job of reference.work.jobs) {
				if (job.skills.length === 0) continue;
				for (const why of job.whys) {
					for (const member of why.chosen) {
						const candidate = why.candidates.find((c) => c.member === member)!;
						expect(candidate.excluded).toBeNull();
						totals.skilledJobsHeld++;
					}
				}
			}
			totals.refused += reference.integrity.rejections.filter(
				(rejection) => rejection.reason === 'missing-skills'
			).length;
			// Feedback sums count every piece once.
			for (const person of people) {
				const summary = feedbackSummary(feedback, person.id);
				const about = feedback.feedback.filter((item) => item.member === person.id);
				expect(summary.count).toBe(about.length);
				for (const counts of Object.values(summary.criteria)) {
					expect(counts.reduce((a, b) => a + b, 0)).toBe(about.length);
				}
			}
			totals.feedback += feedback.feedback.length;
		}
	);

	it('exercised endorsements, qualifications, skilled jobs, refusals and feedback', () => {
		expect(totals.endorsements).toBeGreaterThan(5);
		expect(totals.qualified).toBeGreaterThan(0);
		expect(totals.skilledJobsHeld).toBeGreaterThan(0);
		expect(totals.refused).toBeGreaterThan(0);
		expect(totals.feedback).toBeGreaterThan(0);
	});
});

import { describe, expect, it } from 'vitest';
import { formatHlc, wallOf } from '$lib/domain/kernel/hlc';
import { profileDraft } from '$lib/domain/membership/commands';
import { endorseDraft, skillDraft } from '$lib/domain/reputation/commands';
import {
	cancelDraft,
	claimDraft,
	completeDraft,
	jobDraft,
	releaseAllDraft,
	releaseDraft,
	startDraft
} from '$lib/domain/work/commands';
import { rotationContext } from '$lib/domain/work/eligibility';
import { completedWorkOf, hoursCsv, jobsCsv } from '$lib/domain/work/export';
import { expectedWork } from '$lib/domain/ledger/dashboard';
import { WORK, type WorkQueries } from '$lib/domain/work/queries';
import {
	claimOutcome,
	inTurn,
	mySchedule,
	openJobs,
	shiftOccurrences,
	unfitFor,
	whyThisMember
} from '$lib/domain/work/view';
import { zonedInstant } from '$lib/domain/work/calendar';
import { workArea } from '$lib/domain/work/module';
import { KernelFold } from '$lib/domain/kernel/fold';
import { REGISTRY } from '$lib/domain/registry';
import {
	foundCoop,
	MINUTE,
	next,
	projectWorld,
	recordOutcome,
	type Device,
	type World
} from './fixtures';
import {
	assign,
	available,
	claim,
	complete,
	decideSetting,
	HOUR,
	jobInput,
	jobOf,
	MONDAY,
	postJob,
	postShift,
	signup
} from './work-fixtures';

/**
 * The work area's rules: claims (first valid claim wins), rotation (fewest hours, documented
 * tie-break, checked against recomputation), dispatchers, completion with the device's end
 * time, bad input refused by the commands and rejected with a named reason as records, shifts,
 * hand-backs ("I'm ill"), fairness and the published query for the books.
 */

async function skills(world: World, device: Device, list: string[]) {
	await world.write(
		device,
		profileDraft(world.advance(1000).context(device), {
			displayName: device.id.slice(0, 5),
			bio: '',
			skills: list,
			contact: ''
		})
	);
}

describe('claims', () => {
	it('gives a job to the first valid claim in record order, and tells the other', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const job = await postJob(world, ada);
		world.advance(MINUTE);
		// Bo and Cy claim offline at the same millisecond; the order is (at, id).
		const stampBo = bo.stamp(world.now);
		const stampCy = cy.stamp(world.now);
		const first = await claim(world, bo, job.id, stampBo);
		const second = await claim(world, cy, job.id, stampCy);
		const state = await projectWorld(world);
		const [winner, loser] =
			first.record.at < second.record.at ||
			(first.record.at === second.record.at && first.id < second.id)
				? [bo, cy]
				: [cy, bo];
		expect(jobOf(state, job).assignees.map((a) => a.member)).toEqual([winner.id]);
		expect(jobOf(state, job).status).toBe('assigned');
		expect(claimOutcome(state.work, job.id, winner.id)).toEqual({ kind: 'assigned' });
		expect(claimOutcome(state.work, job.id, loser.id)).toEqual({
			kind: 'not-assigned',
			takenBy: [winner.id],
			closed: false
		});
		const [why] = whyThisMember(state.work, job.id);
		expect(why).toMatchObject({ rule: 'claim', chosen: [winner.id], by: null });
		expect(openJobs(state.work)).toEqual([]);
		// Whatever order the records arrive in, the same winner.
		const reversed = await projectWorld(world, []);
		expect(reversed.work).toEqual(state.work);
	});

	it('hands a place back to the next standing claim when its holder hands the job back', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const job = await postJob(world, ada);
		await claim(world, bo, job.id);
		await claim(world, cy, job.id);
		const before = await projectWorld(world);
		await world.write(
			bo,
			releaseDraft(world.advance(1000).context(bo), before.work, {
				target: job.id,
				member: bo.id,
				reason: ''
			})
		);
		const state = await projectWorld(world);
		expect(jobOf(state, job).assignees.map((a) => a.member)).toEqual([cy.id]);
		expect(jobOf(state, job).released.map((r) => r.member)).toEqual([bo.id]);
		expect(claimOutcome(state.work, job.id, bo.id)).toEqual({ kind: 'handed-back' });
		expect(whyThisMember(state.work, job.id)).toHaveLength(2);
	});

	it('rejects claims on cancelled and finished jobs, and refuses them in the form', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const job = await postJob(world, ada);
		const posted = await projectWorld(world);
		await world.write(
			ada,
			cancelDraft(world.advance(1000).context(ada), posted.work, {
				target: job.id,
				reason: 'Shop closed'
			})
		);
		const state = await projectWorld(world);
		expect(jobOf(state, job).status).toBe('cancelled');
		expect(jobOf(state, job).cancelled?.reason).toBe('Shop closed');
		const refused = claimDraft(world.advance(1000).context(bo), state.work, {
			job: job.id,
			member: bo.id
		});
		expect(refused).toMatchObject({ ok: false, messageKey: 'work_job_closed' });
		// Written anyway (an offline device that had not seen the cancel): rejected by name.
		const late = await claim(world, bo, job.id);
		expect(recordOutcome(await projectWorld(world), late)).toBe('job-closed');
	});

	it('keeps skills and time off: a claim without the skill or during time off is rejected', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const job = await postJob(world, ada, { skills: ['Cargo bike'] });
		await skills(world, bo, ['cargo bike']);
		await skills(world, cy, ['Cargo bike']);
		await available(world, cy, {
			timeZone: 'UTC',
			weekly: [],
			off: [{ from: MONDAY, until: MONDAY + 24 * HOUR }]
		});
		const noSkill = await claim(world, ada, job.id);
		const off = await claim(world, cy, job.id);
		const ok = await claim(world, bo, job.id);
		const state = await projectWorld(world);
		expect(recordOutcome(state, noSkill)).toBe('missing-skills');
		expect(recordOutcome(state, off)).toBe('unavailable');
		expect(recordOutcome(state, ok)).toBe('accepted');
	});

	it('tells a form beforehand what the fold would reject: a missing skill, time off, the weekly limit', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const job = await postJob(world, ada, { skills: ['Cargo bike'] });
		await skills(world, bo, ['cargo bike']);
		await skills(world, cy, ['Cargo bike']);
		await available(world, cy, {
			timeZone: 'UTC',
			weekly: [],
			off: [{ from: MONDAY, until: MONDAY + 24 * HOUR }]
		});
		const state = await projectWorld(world);
		const need = jobOf(state, job);
		const context = (maxWeeklyHours: number) => ({ ...rotationContext(state), maxWeeklyHours });
		expect(unfitFor(state.work, context(0), ada.id, need)).toBe('missing-skills');
		expect(unfitFor(state.work, context(0), cy.id, need)).toBe('unavailable');
		expect(unfitFor(state.work, context(0), bo.id, need)).toBeNull();
		expect(unfitFor(state.work, context(1), bo.id, need)).toBe('over-weekly-hours');
		expect(unfitFor(state.work, context(0), 'nobody', need)).toBe('not-a-member');
	});

	it('asks the skills area who is qualified, as the fold does: endorsements, not the profile', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		await decideSetting(world, ada, bo, 'endorsementsToQualify', '1');
		// Cy's profile lists the skill, unendorsed; Bo lists it in the skills area, endorsed.
		await skills(world, cy, ['Cargo bike']);
		let state = await projectWorld(world);
		await world.write(
			bo,
			skillDraft(world.advance(1000).context(bo), state.reputation.skills, {
				skill: 'Cargo bike',
				level: 'can-do'
			})
		);
		state = await projectWorld(world);
		await world.write(
			ada,
			endorseDraft(world.advance(1000).context(ada), state.reputation.skills, {
				member: bo.id,
				skill: 'cargo bike',
				note: '',
				me: ada.id
			})
		);
		const job = await postJob(world, ada, { skills: ['Cargo bike'] });
		state = await projectWorld(world);
		const need = jobOf(state, job);
		const context = { ...rotationContext(state), maxWeeklyHours: 0 };
		expect(unfitFor(state.work, context, bo.id, need)).toBeNull();
		expect(unfitFor(state.work, context, cy.id, need)).toBe('missing-skills');
		// Every device agrees: the fold takes Bo's claim and refuses Cy's.
		const fromCy = await claim(world, cy, job.id);
		const fromBo = await claim(world, bo, job.id);
		state = await projectWorld(world);
		expect(recordOutcome(state, fromCy)).toBe('missing-skills');
		expect(recordOutcome(state, fromBo)).toBe('accepted');
	});
});

describe('completion', () => {
	it('keeps the time the work ended, signed on the device, not the time it synced', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const job = await postJob(world, ada);
		await claim(world, bo, job.id);
		let state = await projectWorld(world);
		await world.write(
			bo,
			startDraft(world.advance(1000).context(bo), state.work, { job: job.id, member: bo.id })
		);
		// Written offline at 10:55 on the job's day, synced two days later.
		const endedAt = MONDAY + 10 * HOUR + 55 * MINUTE;
		world.now = MONDAY + 11 * HOUR;
		state = await projectWorld(world);
		await complete(world, bo, state, job.id, 110, endedAt);
		world.now = MONDAY + 50 * HOUR;
		state = await projectWorld(world);
		const done = jobOf(state, job);
		expect(done.status).toBe('completed');
		expect(done.assignees[0]?.done).toMatchObject({ minutes: 110, endedAt });
		const fold = new KernelFold(REGISTRY, world.coop, world.now);
		for (const entry of await world.verifiedEntries()) fold.apply(entry);
		const work: WorkQueries = fold.of(workArea);
		expect(work.completedWork(MONDAY, MONDAY + DAY_MS)).toEqual([
			expect.objectContaining({
				member: bo.id,
				minutes: 110,
				pay: 2500,
				endedAt,
				period: '2025-01'
			})
		]);
		expect(WORK.name).toBe('work');
		// The view gives the pages the same rows the books get from the query.
		expect(completedWorkOf(state.work)).toEqual(work.completedWork(0, Number.MAX_SAFE_INTEGER));
		// Ids are written as they are, even one starting with '-' (only typed text is escaped).
		expect(hoursCsv(work.completedWork(0, Number.MAX_SAFE_INTEGER)).split('\r\n')[1]).toBe(
			`2025-01,${bo.id},1,110,1.83,2500`
		);
		expect(jobsCsv(state.work).split('\r\n')[1]).toContain(`${bo.id},110,`);
	});

	it.each([
		['more minutes than the job lasted', 2, 121, MONDAY + 11 * HOUR, 'work_minutes_beyond_job'],
		['beyond 24 hours', 26, 25 * 60, MONDAY + 35 * HOUR, 'work_minutes_beyond_day'],
		['ending before it began', 2, 60, MONDAY + 9 * HOUR + 30 * MINUTE, 'work_ended_before_start']
	])('refuses and rejects hours %s', async (_, hours, minutes, endedAt, messageKey) => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const job = await postJob(world, ada, { endsAt: MONDAY + (9 + hours) * HOUR, minutes: 60 });
		await claim(world, bo, job.id);
		world.now = MONDAY + 40 * HOUR;
		const state = await projectWorld(world);
		const form = completeDraft(world.advance(1000).context(bo), state.work, {
			target: job.id,
			member: bo.id,
			minutes,
			endedAt
		});
		expect(form).toMatchObject({ ok: false, messageKey });
		// A hostile device writes it anyway.
		const entry = await world.write(bo, {
			ok: true,
			draft: {
				v: 1,
				type: 'work.complete',
				coop: world.coop,
				author: bo.id,
				at: bo.stamp(world.now),
				target: job.id,
				minutes,
				endedAt
			}
		});
		expect(recordOutcome(await projectWorld(world), entry)).toBe(
			minutes > 24 * 60 ? 'over-daily-hours' : 'bad-hours'
		);
	});

	it('rejects more than 24 hours of work done on one day', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const day = MONDAY;
		const long = await postJob(world, ada, { startsAt: day, endsAt: day + 24 * HOUR });
		const more = await postJob(world, ada, { startsAt: day, endsAt: day + 24 * HOUR });
		await claim(world, bo, long.id);
		await claim(world, bo, more.id);
		world.now = day + 24 * HOUR;
		let state = await projectWorld(world);
		await complete(world, bo, state, long.id, 20 * 60, day + 23 * HOUR);
		state = await projectWorld(world);
		const entry = await complete(world, bo, state, more.id, 5 * 60, day + 23 * HOUR);
		expect(recordOutcome(await projectWorld(world), entry)).toBe('over-daily-hours');
	});
});

describe('bad jobs', () => {
	it('refuses negative pay and jobs ending before they start, in the form and as records', async () => {
		const { world, people } = await foundCoop(1);
		const [ada] = people as [Device];
		const context = world.advance(1000).context(ada);
		expect(jobDraft(context, jobInput({ pay: -1 }))).toMatchObject({
			ok: false,
			field: 'pay',
			messageKey: 'work_pay_negative'
		});
		expect(
			jobDraft(context, jobInput({ startsAt: MONDAY + 2 * HOUR, endsAt: MONDAY + HOUR }))
		).toMatchObject({ ok: false, field: 'endsAt', messageKey: 'work_ends_before_start' });
		const { verifyRecord } = await import('$lib/domain/registry');
		const { signAs } = await import('./fixtures');
		const good = jobDraft(world.advance(1000).context(ada), jobInput());
		if (!good.ok) throw new Error('expected a draft');
		for (const change of [{ pay: -5 }, { endsAt: MONDAY }, { minutes: 10_000 }]) {
			const forged = await signAs({ ...good.draft, ...change }, ada.key);
			const result = await verifyRecord(forged.id, forged.record, world.coop);
			expect(result.ok ? 'ok' : result.rejection.reason).toBe('invalid-shape');
		}
	});
});

describe('rotation', () => {
	it('picks the eligible member with the fewest hours, and rejects an assignment out of turn', async () => {
		const { world, people } = await foundCoop(4);
		const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
		await decideSetting(world, ada, bo, 'assignmentRule', 'rotation');
		// Bo already has two hours this month; Cy and Di none. Di is available by the week.
		const earlier = await postJob(world, ada, { startsAt: MONDAY, endsAt: MONDAY + 2 * HOUR });
		await claim(world, bo, earlier.id);
		let state = await projectWorld(world);
		expect(jobOf(state, earlier).rule).toBe('rotation');
		await assign(world, ada, earlier.id, [bo.id]);
		await available(world, di, {
			timeZone: 'Europe/Paris',
			weekly: [{ day: 1, start: '08:00', end: '18:00' }],
			off: []
		});
		const job = await postJob(world, ada);
		await claim(world, bo, job.id);
		await claim(world, cy, job.id);
		state = await projectWorld(world);
		// Any device computes who is in turn from its records, as the fold will check it.
		const context = { ...rotationContext(state), maxWeeklyHours: 0 };
		expect(
			inTurn(state.work, context, job.id)
				.filter((c) => c.chosen)
				.map((c) => c.member)
		).toEqual([cy.id]);
		const wrong = await assign(world, ada, job.id, [bo.id]);
		// Cy and Di both have 0 minutes: Cy offered, Di did not, so Cy is first.
		const right = await assign(world, di, job.id, [cy.id]);
		state = await projectWorld(world);
		expect(recordOutcome(state, wrong)).toBe('not-in-turn');
		expect(recordOutcome(state, right)).toBe('accepted');
		expect(jobOf(state, job).assignees.map((a) => a.member)).toEqual([cy.id]);
		const [why] = whyThisMember(state.work, job.id);
		expect(why?.rule).toBe('rotation');
		expect(why?.candidates.map((c) => [c.member, c.minutes, c.rank, c.chosen])).toEqual([
			[cy.id, 0, 1, true],
			[di.id, 0, 2, false],
			[bo.id, 120, 3, false]
		]);
	});

	it('lets only named dispatchers assign under the assign rule', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		await decideSetting(world, ada, bo, 'assignmentRule', 'assign');
		await decideSetting(world, ada, bo, 'dispatchers', ada.id);
		const job = await postJob(world, bo);
		const byBo = await assign(world, bo, job.id, [cy.id]);
		const byAda = await assign(world, ada, job.id, [cy.id]);
		const state = await projectWorld(world);
		expect(state.governance.settings.dispatchers).toEqual([ada.id]);
		expect(recordOutcome(state, byBo)).toBe('not-dispatcher');
		expect(recordOutcome(state, byAda)).toBe('accepted');
		expect(whyThisMember(state.work, job.id)[0]).toMatchObject({ rule: 'assign', by: ada.id });
	});

	it('keeps the weekly limit the co-op decided', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		await decideSetting(world, ada, bo, 'maxWeeklyHours', '3');
		const first = await postJob(world, ada);
		const second = await postJob(world, ada, {
			startsAt: MONDAY + 12 * HOUR,
			endsAt: MONDAY + 14 * HOUR
		});
		await claim(world, bo, first.id);
		const over = await claim(world, bo, second.id);
		expect(recordOutcome(await projectWorld(world), over)).toBe('over-weekly-hours');
	});
});

describe('shifts', () => {
	it('lays out occurrences in the shift time zone and fills its slots', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const shift = await postShift(world, ada, { slots: 1 });
		const state0 = await projectWorld(world);
		const week = shiftOccurrences(state0.work, MONDAY, 7);
		expect(week.map((o) => o.date)).toEqual([
			'2025-01-06',
			'2025-01-07',
			'2025-01-08',
			'2025-01-09',
			'2025-01-10'
		]);
		// 11:30 in Paris in winter is 10:30 UTC.
		expect(week[0]?.startsAt).toBe(MONDAY + 10.5 * HOUR);
		const mine = await signup(world, bo, shift.id, '2025-01-06');
		const full = await signup(world, cy, shift.id, '2025-01-06');
		const sunday = await signup(world, cy, shift.id, '2025-01-12');
		const state = await projectWorld(world);
		expect(recordOutcome(state, mine)).toBe('accepted');
		expect(recordOutcome(state, full)).toBe('shift-full');
		expect(recordOutcome(state, sunday)).toBe('not-an-occurrence');
		expect(mySchedule(state.work, bo.id, MONDAY).map((item) => item.kind)).toEqual(['shift']);
	});

	it('stops a recurring shift: occurrences to come go with their sign-ups, begun ones stay', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const shift = await postShift(world, ada, { slots: 2 });
		const begun = await signup(world, bo, shift.id, '2025-01-06');
		const coming = await signup(world, bo, shift.id, '2025-01-13');
		// Monday 6 January, 12:00 UTC: the first occurrence (10:30 to 13:30 UTC) has begun.
		world.now = MONDAY + 12 * HOUR;
		let state = await projectWorld(world);
		const stop = (device: Device, reason = 'The market moved') =>
			world.write(
				device,
				cancelDraft(world.advance(1000).context(device), state.work, {
					target: shift.id,
					reason
				})
			);
		expect(
			cancelDraft(world.context(ada), state.work, { target: shift.id, reason: ' ' })
		).toMatchObject({ ok: false, field: 'reason', messageKey: 'work_reason_needed' });
		const notTheirs = await stop(cy);
		const stopped = await stop(ada);
		const again = await stop(ada);
		const late = await signup(world, cy, shift.id, '2025-01-14');
		state = await projectWorld(world);
		expect(recordOutcome(state, notTheirs)).toBe('not-poster');
		expect(recordOutcome(state, stopped)).toBe('accepted');
		expect(recordOutcome(state, again)).toBe('job-closed');
		expect(recordOutcome(state, late)).toBe('job-closed');
		expect(state.work.shifts[0]!.cancelled).toMatchObject({
			member: ada.id,
			reason: 'The market moved'
		});
		const status = (entry: { id: string }) =>
			state.work.signups.find((held) => held.id === entry.id)!.status;
		expect(status(begun)).toBe('signed-up');
		expect(status(coming)).toBe('cancelled');
		// No occurrence after the stop is offered; Bo still expects the one begun, not the next.
		expect(shiftOccurrences(state.work, MONDAY + 12 * HOUR, 14)).toEqual([]);
		expect(expectedWork(state.work, bo.id, 0).items.map((item) => item.id)).toEqual([begun.id]);
		expect(mySchedule(state.work, bo.id, MONDAY).map((item) => item.id)).toEqual([begun.id]);
	});

	it('takes summer time into account', () => {
		expect(zonedInstant('2025-07-07', '11:30', 'Europe/Paris')).toBe(Date.UTC(2025, 6, 7, 9, 30));
		expect(zonedInstant('2025-03-30', '02:30', 'Europe/Paris')).toBe(Date.UTC(2025, 2, 30, 1, 30));
	});
});

describe("I'm ill", () => {
	it('hands back every coming job and shift in one record, and they are offered again', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const shift = await postShift(world, ada);
		const jobs = [
			await postJob(world, ada),
			await postJob(world, ada, { startsAt: MONDAY + 30 * HOUR, endsAt: MONDAY + 31 * HOUR })
		];
		for (const job of jobs) await claim(world, bo, job.id);
		await claim(world, cy, jobs[1]!.id);
		await signup(world, bo, shift.id, '2025-01-07');
		await signup(world, bo, shift.id, '2025-01-08');
		world.now = MONDAY + 12 * HOUR;
		// The first job (this morning) is past; everything from now on goes back.
		const ill = await world.write(
			bo,
			releaseAllDraft(world.advance(1000).context(bo), { from: world.now, reason: 'Flu' })
		);
		const state = await projectWorld(world);
		expect(recordOutcome(state, ill)).toBe('accepted');
		expect(jobOf(state, jobs[0]!).assignees.map((a) => a.member)).toEqual([bo.id]);
		expect(jobOf(state, jobs[1]!).assignees.map((a) => a.member)).toEqual([cy.id]);
		expect(mySchedule(state.work, bo.id, world.now)).toEqual([]);
		const occurrences = shiftOccurrences(state.work, MONDAY + 24 * HOUR, 2);
		expect(occurrences.map((o) => o.free)).toEqual([3, 3]);
		const again = await world.write(
			bo,
			releaseAllDraft(world.advance(1000).context(bo), { from: world.now, reason: '' })
		);
		expect(recordOutcome(await projectWorld(world), again)).toBe('not-assigned');
	});
});

describe('fairness', () => {
	it('shows the spread of hours among members who wanted work in the period', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const job = await postJob(world, ada);
		await claim(world, bo, job.id);
		await claim(world, cy, job.id);
		const state = await projectWorld(world);
		expect(state.work.fairness).toEqual([
			{
				period: '2025-01',
				members: [
					{ member: bo.id, minutes: 120 },
					{ member: cy.id, minutes: 0 }
				],
				min: 0,
				max: 120,
				spread: 120,
				mean: 60,
				variation: 1
			}
		]);
	});
});

describe('waits', () => {
	it('holds a claim until its job arrives, and rejects one stamped before its job', async () => {
		const { world, people } = await foundCoop(2);
		const [ada, bo] = people as [Device, Device];
		const job = await postJob(world, ada);
		const early = await claim(
			world,
			bo,
			job.id,
			formatHlc({ wall: wallOf(job.record.at) - 1, counter: 0 })
		);
		const fine = await claim(world, bo, job.id, next(job.record.at));
		const without = await projectWorld(world, [job]);
		expect(recordOutcome(without, fine)).toBe('pending:missing-record');
		const state = await projectWorld(world);
		expect(recordOutcome(state, early)).toBe('back-dated');
		expect(recordOutcome(state, fine)).toBe('accepted');
	});
});

const DAY_MS = 24 * HOUR;

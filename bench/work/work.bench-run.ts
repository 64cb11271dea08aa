import { it } from 'vitest';
import { CoopProjector, projectCoop } from '$lib/domain/coop-state';
import type { VerifiedRecord } from '$lib/domain/registry';
import { availabilityDraft, claimDraft, completeDraft, jobDraft } from '$lib/domain/work/commands';
import type { WorkView } from '$lib/domain/work/view';
import { Device, MINUTE, pick, prng, verifiedAll, World } from '../../tests/unit/domain/fixtures';
import { jobInput } from '../../tests/unit/domain/work-fixtures';

/**
 * A co-op of 1,000 members and 20,000 jobs over a year, as signed records: every member says
 * when they are available, every job is posted, one or two members claim it (some lose the
 * race), and most jobs are completed with the minutes worked. Then the whole path a device
 * takes: verify, fold and build the state from scratch; and one new record arriving, folded and
 * turned into the updated state. Figures are printed with the goals; timings are not asserted.
 */

const SEED = 1;
const MEMBERS = Number(process.env.WORK_BENCH_MEMBERS ?? 1_000);
const JOBS = Number(process.env.WORK_BENCH_JOBS ?? 20_000);
const HOUR = 60 * MINUTE;
const YEAR = 365 * 24 * HOUR;
const GOALS = { projectMs: 1000, incrementalMs: 16 };

const figure = (n: number) => Math.round(n).toLocaleString('en-US');
const met = (value: number, goal: number) => (value <= goal ? 'goal met' : 'goal NOT met');

/** A view holding just the jobs the claims and completions below name. */
function viewOf(jobs: WorkView['jobs']): WorkView {
	return { jobs, shifts: [], signups: [], availability: [], fairness: [], hours: {} };
}

it('prints the work projection times', async () => {
	const random = prng(SEED);
	let start = performance.now();
	const world = await World.found();
	const members: Device[] = [world.founder];
	while (members.length < MEMBERS) members.push(await world.newMember(world.founder));
	const t0 = world.now;
	for (const member of members) {
		const day = 1 + Math.floor(random() * 5);
		world.advance(1);
		await world.write(
			member,
			availabilityDraft(world.context(member), {
				timeZone: pick(random, ['Europe/Paris', 'UTC', 'Europe/Lisbon']),
				weekly: [{ day, start: '08:00', end: '18:00' }],
				off: []
			})
		);
	}
	world.advance(MINUTE);
	const jobs: { id: string; startsAt: number; endsAt: number; holders: Device[] }[] = [];
	for (let index = 0; index < JOBS; index++) {
		const poster = pick(random, members);
		const startsAt = t0 + HOUR + Math.floor((index / JOBS) * YEAR);
		const endsAt = startsAt + pick(random, [1, 2, 3]) * HOUR;
		const entry = await world.write(
			poster,
			jobDraft(
				world.context(poster),
				jobInput({ title: `Job ${index}`, startsAt, endsAt, pay: 1000 + index })
			)
		);
		jobs.push({ id: entry.id, startsAt, endsAt, holders: [] });
	}
	world.advance(MINUTE);
	let lost = 0;
	for (const job of jobs) {
		const claimers = random() < 0.3 ? 2 : 1;
		for (let n = 0; n < claimers; n++) {
			const member = pick(random, members);
			if (job.holders.includes(member)) continue;
			// A millisecond apart: claims of different devices sort in the order they are written.
			world.advance(1);
			const view = viewOf([{ ...openJob(job.id) }]);
			const result = claimDraft(world.context(member), view, { job: job.id, member: member.id });
			if (!result.ok) continue;
			await world.write(member, result);
			if (job.holders.length === 0) job.holders.push(member);
			else lost++;
		}
	}
	world.now = t0 + YEAR + 10 * 24 * HOUR;
	let completed = 0;
	for (const job of jobs) {
		const holder = job.holders[0];
		if (holder === undefined || random() < 0.3) continue;
		const minutes = Math.floor((job.endsAt - job.startsAt) / MINUTE);
		const view = viewOf([
			{
				...openJob(job.id),
				startsAt: job.startsAt,
				endsAt: job.endsAt,
				assignees: [{ member: holder.id, at: '', by: '', startedAt: null, done: null }]
			}
		]);
		const result = completeDraft(world.context(holder), view, {
			target: job.id,
			member: holder.id,
			minutes,
			endedAt: job.endsAt
		});
		if (!result.ok) throw new Error(`Completion refused: ${result.messageKey}`);
		await world.write(holder, result);
		completed++;
	}
	const signMs = performance.now() - start;

	start = performance.now();
	const verified = await world.verifiedEntries();
	const verifyMs = performance.now() - start;

	// Warm up the code paths once, then measure from scratch.
	projectCoop(world.coop, verified);
	const profile = await startProfile();
	start = performance.now();
	const state = projectCoop(world.coop, verified);
	const projectMs = performance.now() - start;
	await profile?.('project');
	const rejected = state.integrity.rejected;
	const assigned = state.work.jobs.filter((job) => job.assignees.length > 0).length;
	const done = state.work.jobs.filter((job) => job.status === 'completed').length;

	// One new record at a time, as a peer's arrive: a claim on a job, folded, state rebuilt.
	const projector = new CoopProjector(world.coop);
	projector.add(verified);
	projector.snapshot();
	world.advance(MINUTE);
	const late: VerifiedRecord[] = [];
	for (let index = 0; index < 20; index++) {
		world.advance(1);
		const member = pick(random, members);
		const startsAt = world.now + 24 * HOUR;
		const entry = await world.write(
			member,
			jobDraft(
				world.context(member),
				jobInput({ title: `Late ${index}`, startsAt, endsAt: startsAt + HOUR })
			)
		);
		late.push(...(await verifiedAll([entry], world.coop)));
	}
	const profileLate = await startProfile();
	start = performance.now();
	let foldMs = 0;
	for (const entry of late) {
		const before = performance.now();
		projector.add([entry]);
		foldMs += performance.now() - before;
		projector.snapshot();
	}
	const incrementalMs = (performance.now() - start) / late.length;
	await profileLate?.('incremental');
	if (projector.refolds > 0) throw new Error('Records after everything else should not refold');

	console.log(`\nWork projection benchmark (Node ${process.version}, seed ${SEED})`);
	console.log(
		`  ${figure(verified.length)} signed records: ${figure(MEMBERS)} members, ${figure(JOBS)} jobs ` +
			`(${figure(assigned)} assigned, ${figure(done)} completed, ${figure(lost)} claims too late), ` +
			`${figure(completed)} completions, ${rejected} rejected`
	);
	console.log(`  write and sign all              ${figure(signMs)} ms`);
	console.log(`  verify all                      ${figure(verifyMs)} ms`);
	console.log(
		`  project from scratch            ${figure(projectMs)} ms (goal <= ${GOALS.projectMs} ms: ${met(projectMs, GOALS.projectMs)})`
	);
	console.log(
		`  one new record to updated state ${incrementalMs.toFixed(1)} ms, mean of ${late.length} ` +
			`(goal <= ${GOALS.incrementalMs} ms: ${met(incrementalMs, GOALS.incrementalMs)}); ` +
			`of which the fold ${(foldMs / late.length).toFixed(1)} ms\n`
	);
});

/** With WORK_BENCH_PROFILE set, a CPU profile of what follows, written to /tmp. */
async function startProfile(): Promise<((name: string) => Promise<void>) | null> {
	if (process.env.WORK_BENCH_PROFILE === undefined) return null;
	const { Session } = await import('node:inspector/promises');
	const { writeFile } = await import('node:fs/promises');
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.start');
	return async (name) => {
		const { profile } = await session.post('Profiler.stop');
		await writeFile(`/tmp/work-${name}.cpuprofile`, JSON.stringify(profile));
		session.disconnect();
	};
}

/** An open job as a device that holds it sees it: enough for the forms' checks. */
function openJob(id: string): WorkView['jobs'][number] {
	return {
		...jobInput(),
		minutes: 60,
		endsAt: Number.MAX_SAFE_INTEGER,
		id,
		poster: '',
		at: '',
		rule: 'claim',
		status: 'open',
		freePlaces: 1,
		offers: [],
		assignees: [],
		released: [],
		whys: [],
		startedAt: null,
		completedAt: null,
		cancelled: null
	};
}

import { availabilityDraft, claimDraft, completeDraft, jobDraft } from '$lib/domain/work/commands';
import type { WorkView } from '$lib/domain/work/view';
import { Device, MINUTE, pick, prng, World } from '../../tests/unit/domain/fixtures';
import { decideSetting, jobInput } from '../../tests/unit/domain/work-fixtures';
import { isoDateOf } from '$lib/domain/ledger/dates';
import { booksSummary, planBooks, SHARE, writeBooks, type PaidWork } from './books';

/**
 * The benchmark's co-op, as signed records: members who say when they are available, a year of
 * jobs (posted, claimed by one or two members, some losing the race, most completed with the
 * minutes worked) and a year of books (see books.ts). Benchmarks of other read models can build
 * the same co-op with `buildCoop`.
 */

export const HOUR = 60 * MINUTE;
const YEAR = 365 * 24 * HOUR;

export interface CoopSize {
	readonly seed: number;
	readonly members: number;
	readonly jobs: number;
	readonly postings: number;
	/** When its year of work starts (ms since the epoch); 1 January 2025 by default. */
	readonly start?: number;
}

export interface BenchCoop {
	readonly world: World;
	readonly members: readonly Device[];
	readonly random: () => number;
	readonly counts: {
		readonly lost: number;
		readonly completed: number;
		readonly books: ReturnType<typeof booksSummary>;
	};
}

/** The size asked for in the environment (`WORK_BENCH_MEMBERS`, `_JOBS`, `_POSTINGS`), or 1,000 / 20,000 / 100,000. */
export function sizeFromEnvironment(seed: number): CoopSize {
	return {
		seed,
		members: Number(process.env.WORK_BENCH_MEMBERS ?? 1_000),
		jobs: Number(process.env.WORK_BENCH_JOBS ?? 20_000),
		postings: Number(process.env.WORK_BENCH_POSTINGS ?? 100_000)
	};
}

/** A view holding just the jobs the claims and completions below name. */
function viewOf(jobs: WorkView['jobs']): WorkView {
	return { jobs, shifts: [], signups: [], availability: [], fairness: [], hours: {} };
}

export async function buildCoop(size: CoopSize): Promise<BenchCoop> {
	const random = prng(size.seed);
	const world = await World.found();
	if (size.start !== undefined) world.now = Math.max(world.now, size.start);
	const members: Device[] = [world.founder];
	members.push(await world.newMember(world.founder));
	// The co-op's share of members' job payments, decided while it is two.
	await decideSetting(world, world.founder, members[1]!, 'jobShare', String(SHARE));
	while (members.length < size.members) members.push(await world.newMember(world.founder));
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
	const jobs: { id: string; startsAt: number; endsAt: number; pay: number; holders: Device[] }[] =
		[];
	for (let index = 0; index < size.jobs; index++) {
		const poster = pick(random, members);
		const startsAt = t0 + HOUR + Math.floor((index / size.jobs) * YEAR);
		const endsAt = startsAt + pick(random, [1, 2, 3]) * HOUR;
		const pay = 1000 + index;
		const entry = await world.write(
			poster,
			jobDraft(world.context(poster), jobInput({ title: `Job ${index}`, startsAt, endsAt, pay }))
		);
		jobs.push({ id: entry.id, startsAt, endsAt, pay, holders: [] });
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
	const paid: PaidWork[] = [];
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
		paid.push({ job: job.id, member: holder.id, pay: job.pay, endedAt: job.endsAt });
	}
	// The books of the year, recorded by three treasurers after its end.
	const ids = members.map((member) => member.id);
	const events = planBooks(paid, ids, {
		postings: size.postings,
		seed: size.seed,
		// A calendar year, or the 365 days from the day the work started.
		from: size.start === undefined ? `${new Date(t0).getUTCFullYear()}-01-01` : isoDateOf(t0)
	});
	await writeBooks(world, members.slice(0, 3), ids, events);
	return {
		world,
		members,
		random,
		counts: { lost, completed: paid.length, books: booksSummary(events) }
	};
}

/** An open job as a device that holds it sees it: enough for the forms' checks. */
export function openJob(id: string): WorkView['jobs'][number] {
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

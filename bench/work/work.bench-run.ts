import { loadavg } from 'node:os';
import { it } from 'vitest';
import { CoopProjector, projectCoop } from '$lib/domain/coop-state';
import { booksContext, incomeDraft } from '$lib/domain/ledger/commands';
import { coopDashboard, memberDashboard, unbookedWork } from '$lib/domain/ledger/dashboard';
import type { CoopState } from '$lib/domain/coop-state';
import type { VerifiedRecord } from '$lib/domain/registry';
import { jobDraft } from '$lib/domain/work/commands';
import { MINUTE, pick, verifiedAll, type Entry } from '../../tests/unit/domain/fixtures';
import { jobInput } from '../../tests/unit/domain/work-fixtures';
import { SHARE } from './books';
import { buildCoop, HOUR, sizeFromEnvironment } from './coop';

/**
 * A co-op of 1,000 members, 20,000 jobs and 100,000 postings over a year, as signed records
 * (coop.ts, books.ts). Then the whole path a device takes: verify, fold and build the state from
 * scratch; and one new record arriving, folded and turned into the updated state: a posting, and
 * a job. The machine may be shared, so each figure is the median of several runs, printed with
 * the load average; timings are printed with the goals, not asserted.
 */

const SEED = 1;
/** Projections from scratch measured (after one to warm up). */
const RUNS = Number(process.env.WORK_BENCH_RUNS ?? 5);
/** New records of each kind measured one at a time. */
const LATE = 20;
const GOALS = { projectMs: 1000, incrementalMs: 16 };

const figure = (n: number) => Math.round(n).toLocaleString('en-US');
const met = (value: number, goal: number) => (value <= goal ? 'goal met' : 'goal NOT met');
const load = () =>
	loadavg()
		.map((average) => average.toFixed(2))
		.join(', ');

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const spread = (values: readonly number[], digits: number) =>
	`median of ${values.length}, ${Math.min(...values).toFixed(digits)} to ${Math.max(...values).toFixed(digits)}`;

it('prints the work projection times', async () => {
	const size = sizeFromEnvironment(SEED);
	const loadAtStart = load();
	let start = performance.now();
	const { world, members, random, counts } = await buildCoop(size);
	const signMs = performance.now() - start;

	if (process.env.WORK_BENCH_SAVE !== undefined) {
		// The signed records, to profile the projection again without signing them again.
		const { writeFile } = await import('node:fs/promises');
		await writeFile(
			process.env.WORK_BENCH_SAVE,
			JSON.stringify({ coop: world.coop, entries: world.entries })
		);
	}
	start = performance.now();
	const verified = await world.verifiedEntries();
	const verifyMs = performance.now() - start;

	// Warm up the code paths once, then measure from scratch, several times.
	projectCoop(world.coop, verified);
	const projectRuns: number[] = [];
	// The process's CPU time too: on a shared machine the wall time waits for other programs.
	const projectCpu: number[] = [];
	let state = null as ReturnType<typeof projectCoop> | null;
	for (let run = 0; run < RUNS; run++) {
		const profile = run === RUNS - 1 ? await startProfile() : null;
		const cpu = process.cpuUsage();
		start = performance.now();
		state = projectCoop(world.coop, verified);
		projectRuns.push(performance.now() - start);
		const used = process.cpuUsage(cpu);
		projectCpu.push((used.user + used.system) / 1000);
		await profile?.('project');
	}
	const { integrity, work, ledger } = state!;
	const assigned = work.jobs.filter((job) => job.assignees.length > 0).length;
	const done = work.jobs.filter((job) => job.status === 'completed').length;
	const postings = ledger.transactions.reduce((sum, t) => sum + t.postings.length, 0);

	// New records, written after everything else: client payments for members' work, then jobs.
	const projector = new CoopProjector(world.coop);
	projector.add(verified);
	// Completed jobs not in the books yet: the late payments are for some of them.
	const first = projector.snapshot();
	start = performance.now();
	const unbookedBefore = unbookedWork(first.work, first.ledger);
	const firstUnbookedMs = performance.now() - start;
	world.advance(MINUTE);
	const books = booksContext(
		members.map((member) => member.id),
		SHARE
	);
	const latePostings: Entry[] = [];
	for (let index = 0; index < LATE; index++) {
		world.advance(1);
		// Every other one pays a part of a job not in the books yet (it leaves the list).
		const part = index % 2 === 0 ? unbookedBefore[index] : undefined;
		const member = part === undefined ? pick(random, members).id : part.member;
		const result = incomeDraft(
			world.context(members[index % 3]!),
			{
				date: new Date(world.now).toISOString().slice(0, 10),
				memo: `Late payment ${index}`,
				amount: part === undefined ? '84.50' : (part.job.pay / 100).toFixed(2),
				currency: 'EUR',
				into: 'bank',
				client: 'Corner shop',
				ref: part?.job.id ?? '',
				member,
				source: 'jobs'
			},
			books
		);
		latePostings.push(await world.write(members[index % 3]!, result));
	}
	const lateJobs: Entry[] = [];
	for (let index = 0; index < LATE; index++) {
		world.advance(1);
		const member = pick(random, members);
		const startsAt = world.now + 24 * HOUR;
		lateJobs.push(
			await world.write(
				member,
				jobDraft(
					world.context(member),
					jobInput({ title: `Late ${index}`, startsAt, endsAt: startsAt + HOUR })
				)
			)
		);
	}
	// What the money page shows after each record: the member's dashboard and the co-op's.
	const today = new Date(world.now).toISOString().slice(0, 10);
	const member = members[3]!.id;
	const dashboards = (state: CoopState) => {
		memberDashboard({
			ledger: state.ledger,
			work: state.work,
			member,
			today,
			jobShare: state.governance.settings.jobShare
		});
		coopDashboard(state.ledger, today);
	};
	// What a bookkeeper sees on the money page: work not yet in the books.
	const unbooked = (state: CoopState) => unbookedWork(state.work, state.ledger).length;
	const posting = await oneAtATime(
		projector,
		await verifiedAll(latePostings, world.coop),
		'posting',
		dashboards,
		unbooked
	);
	const job = await oneAtATime(
		projector,
		await verifiedAll(lateJobs, world.coop),
		'job',
		dashboards,
		unbooked
	);
	if (projector.refolds > 0) throw new Error('Records after everything else should not refold');
	const after = projector.snapshot();
	if (after.integrity.rejected > 0) throw new Error('A late record was rejected');
	if (after.ledger.total !== 0) throw new Error('The books do not balance');
	const unbookedAfter = unbookedWork(after.work, after.ledger).length;
	const paidLate = latePostings.filter(
		(_, index) => index % 2 === 0 && unbookedBefore[index] !== undefined
	);
	if (unbookedAfter !== unbookedBefore.length - paidLate.length) {
		throw new Error('The late payments should have left the unbooked list');
	}

	// The unbooked list at its longest: the same co-op with no books kept, every completed job on
	// it; then payments for some of them arriving one at a time, each leaving the list.
	const unkept = new CoopProjector(world.coop);
	unkept.add(verified.filter((entry) => !entry.record.type.startsWith('ledger.')));
	const bare = unkept.snapshot();
	start = performance.now();
	const longest = unbookedWork(bare.work, bare.ledger);
	const longestFirstMs = performance.now() - start;
	const payments: Entry[] = [];
	for (let index = 0; index < LATE; index++) {
		world.advance(1);
		const part = longest[index * 97]!;
		const result = incomeDraft(
			world.context(members[index % 3]!),
			{
				date: new Date(world.now).toISOString().slice(0, 10),
				memo: `Payment ${index}`,
				amount: (part.job.pay / 100).toFixed(2),
				currency: 'EUR',
				into: 'bank',
				client: part.job.client,
				ref: part.job.id,
				member: part.member,
				source: 'jobs'
			},
			books
		);
		payments.push(await world.write(members[index % 3]!, result));
	}
	const longTimes = await oneAtATime(
		unkept,
		await verifiedAll(payments, world.coop),
		'unbooked',
		() => undefined,
		unbooked
	);
	const bareAfter = unkept.snapshot();
	const longestAfter = unbookedWork(bareAfter.work, bareAfter.ledger).length;
	if (longestAfter !== longest.length - LATE) {
		throw new Error('The payments should have left the unbooked list');
	}

	const projectMs = median(projectRuns);
	const { books: planned } = counts;
	console.log(`\nWork projection benchmark (Node ${process.version}, seed ${SEED})`);
	console.log(`  load average (1, 5, 15 min): ${loadAtStart} at start, ${load()} at end`);
	console.log(
		`  ${figure(verified.length)} signed records: ${figure(size.members)} members, ` +
			`${figure(size.jobs)} jobs (${figure(assigned)} assigned, ${figure(done)} completed, ` +
			`${figure(counts.lost)} claims too late), ${figure(counts.completed)} completions, ` +
			`${integrity.rejected} rejected`
	);
	console.log(
		`  books: ${figure(postings)} postings in ${figure(ledger.transactions.length)} transactions ` +
			`(${figure(planned.incomes)} incomes, ${figure(planned.expenses)} expenses, ` +
			`${figure(planned.payouts)} payouts, ${figure(planned.reversals)} reversals), ` +
			`${figure(planned.assertions)} assertions`
	);
	console.log(`  write and sign all              ${figure(signMs)} ms`);
	console.log(`  verify all                      ${figure(verifyMs)} ms`);
	console.log(
		`  project from scratch            ${figure(projectMs)} ms, ${spread(projectRuns, 0)} ` +
			`(goal <= ${GOALS.projectMs} ms: ${met(projectMs, GOALS.projectMs)})`
	);
	const cpuMs = median(projectCpu);
	console.log(
		`    CPU time used                 ${figure(cpuMs)} ms, ${spread(projectCpu, 0)} ` +
			`(all threads, the collector's included)`
	);
	console.log(
		`  work not in the books, first read ${firstUnbookedMs.toFixed(1)} ms ` +
			`(every job and transaction taken in once)`
	);
	for (const [name, times] of [
		['one new posting to updated dashboard', posting],
		['one new job to updated dashboard    ', job]
	] as const) {
		const total = median(times.total);
		console.log(
			`  ${name} ${total.toFixed(1)} ms, ${spread(times.total, 1)} ` +
				`(goal <= ${GOALS.incrementalMs} ms: ${met(total, GOALS.incrementalMs)}); ` +
				`of which the fold ${median(times.fold).toFixed(1)} ms, ` +
				`the state ${median(times.state).toFixed(1)} ms, ` +
				`the dashboards ${median(times.read).toFixed(2)} ms`
		);
		const unbookedTotal = median(times.unbookedTotal);
		console.log(
			`    and to the updated unbooked list ${unbookedTotal.toFixed(1)} ms, ` +
				`${spread(times.unbookedTotal, 1)} ` +
				`(goal <= ${GOALS.incrementalMs} ms: ${met(unbookedTotal, GOALS.incrementalMs)}); ` +
				`the list itself ${median(times.unbooked).toFixed(2)} ms ` +
				`(${figure(unbookedBefore.length)} parts before the late records, ${figure(unbookedAfter)} after)`
		);
	}
	const longTotal = median(longTimes.unbookedTotal);
	console.log(
		`  with no books kept (${figure(longest.length)} parts unbooked; the first read ` +
			`${longestFirstMs.toFixed(1)} ms), one new payment to the updated unbooked list ` +
			`${longTotal.toFixed(1)} ms, ${spread(longTimes.unbookedTotal, 1)} ` +
			`(goal <= ${GOALS.incrementalMs} ms: ${met(longTotal, GOALS.incrementalMs)}); ` +
			`the list itself ${median(longTimes.unbooked).toFixed(2)} ms`
	);
	console.log('');
});

/**
 * Adds records one at a time, as a peer's arrive, each folded, the state rebuilt and the
 * dashboards read again.
 */
async function oneAtATime(
	projector: CoopProjector,
	records: readonly VerifiedRecord[],
	name: string,
	read: (state: CoopState) => void,
	unbooked: (state: CoopState) => void
): Promise<{
	total: number[];
	fold: number[];
	state: number[];
	read: number[];
	unbooked: number[];
	unbookedTotal: number[];
}> {
	const times = {
		total: [] as number[],
		fold: [] as number[],
		state: [] as number[],
		read: [] as number[],
		unbooked: [] as number[],
		unbookedTotal: [] as number[]
	};
	const profile = await startProfile();
	for (const entry of records) {
		const start = performance.now();
		projector.add([entry]);
		const folded = performance.now();
		const state = projector.snapshot();
		const built = performance.now();
		read(state);
		const end = performance.now();
		unbooked(state);
		const listed = performance.now();
		times.fold.push(folded - start);
		times.state.push(built - folded);
		times.read.push(end - built);
		times.total.push(end - start);
		times.unbooked.push(listed - end);
		times.unbookedTotal.push(built - start + (listed - end));
	}
	await profile?.(name);
	return times;
}

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

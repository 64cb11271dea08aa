import { deepFreeze } from '../kernel/freeze';
import { wallOf, type Stamp } from '../kernel/hlc';
import type { AssignmentRule } from '../settings/values';
import { addDays, localParts, minutesOfDay, periodOf, weekOf } from './calendar';
import type { MemberHours } from './hours';
import type { RuleReason } from '../kernel/reasons';
import { rotationRanking, unfit, type Facts, type Need, type Windows } from './rotation';
import {
	workIndexFrom,
	workIndexOf,
	type HeldItem,
	type MemberWork,
	type WorkIndex
} from './by-member';
import { occurrenceTimes, type WorkFold } from './fold';
import type { CompletedWork } from './queries';
import type { JobBody, ShiftBody } from './records';
import {
	freePlaces,
	type Assignee,
	type AvailabilityDraft,
	type Cancellation,
	type Done,
	type JobDraft,
	type Offer,
	type Release,
	type ShiftDraft,
	type SignupDraft,
	type Why
} from './state';

export type { Candidate, Why } from './state';
import type { Candidate } from './state';

/**
 * The work area's read model: jobs with their offers, assignments and why, shifts and sign-ups,
 * availability, and the fairness figure per period; built once per version of the fold, each job
 * rebuilt only when it changed. The functions below it answer the pages' questions (open jobs,
 * my jobs, my schedule, the next occurrences of shifts) from the view alone.
 */

/** open: places free; assigned: every place taken; started; completed; cancelled. */
export type JobStatus = 'open' | 'assigned' | 'started' | 'completed' | 'cancelled';

export interface OfferView extends Offer {
	/** True while the member holds a place on the job. */
	readonly assigned: boolean;
}

export interface JobView extends JobBody {
	readonly id: string;
	readonly poster: string;
	readonly at: Stamp;
	readonly rule: AssignmentRule;
	readonly status: JobStatus;
	readonly freePlaces: number;
	/** Standing offers, in record order. */
	readonly offers: readonly OfferView[];
	readonly assignees: readonly Assignee[];
	readonly released: readonly Release[];
	/** One per assignment, in order. */
	readonly whys: readonly Why[];
	readonly startedAt: Stamp | null;
	readonly completedAt: Stamp | null;
	readonly cancelled: Cancellation | null;
}

export interface ShiftView extends ShiftBody {
	readonly id: string;
	readonly poster: string;
	readonly at: Stamp;
	readonly cancelled: Cancellation | null;
}

export type SignupStatus = 'signed-up' | 'handed-back' | 'cancelled' | 'completed';

/** A sign-up as pages see it: what the fold keeps of it, with its status in place of its cancellation. */
export type SignupView = Readonly<Omit<SignupDraft, 'cancelled' | 'rev'>> & {
	readonly status: SignupStatus;
};

export interface AvailabilityView {
	readonly member: string;
	readonly timeZone: string;
	readonly weekly: readonly {
		readonly day: number;
		readonly start: string;
		readonly end: string;
	}[];
	readonly off: readonly { readonly from: number; readonly until: number }[];
	readonly at: Stamp;
}

/**
 * How evenly work was shared in a period (a UTC month) among the members who wanted work: those
 * who offered for a job starting in it, were assigned one, or signed up for a shift in it (even
 * if they handed it back later). Minutes count work done (at its end) and work planned (at its
 * start).
 */
export interface Fairness {
	readonly period: string;
	/** Members who wanted work, with their minutes, most first (then by id). */
	readonly members: readonly { readonly member: string; readonly minutes: number }[];
	readonly min: number;
	readonly max: number;
	/** max - min, in minutes. */
	readonly spread: number;
	readonly mean: number;
	/** Standard deviation over the mean (0 when everyone has the same), 3 decimals. */
	readonly variation: number;
}

export interface WorkView {
	/** In the order they were posted. */
	readonly jobs: readonly JobView[];
	/** In the order they were laid out. */
	readonly shifts: readonly ShiftView[];
	/** In the order they were made. */
	readonly signups: readonly SignupView[];
	readonly availability: readonly AvailabilityView[];
	/** Oldest period first. */
	readonly fairness: readonly Fairness[];
	/** Minutes per member (done, or planned for what they hold), per period and per week. */
	readonly hours: Readonly<Record<string, MemberHours>>;
}

function jobStatus(job: JobDraft): JobStatus {
	if (job.cancelled !== null) return 'cancelled';
	if (job.completedAt !== null) return 'completed';
	if (job.startedAt !== null) return 'started';
	return freePlaces(job) > 0 ? 'open' : 'assigned';
}

/**
 * Field by field rather than `{ rev, ...rest }`: a rest pattern copies through a slow generic
 * path, and a co-op with many jobs makes as many views when it opens. Keys keep the fold's order.
 */
function jobView(job: JobDraft): JobView {
	const holding = (member: string) => job.assignees.some((assignee) => assignee.member === member);
	return {
		title: job.title,
		details: job.details,
		client: job.client,
		place: job.place,
		startsAt: job.startsAt,
		endsAt: job.endsAt,
		window: job.window,
		minutes: job.minutes,
		pay: job.pay,
		skills: [...job.skills],
		people: job.people,
		id: job.id,
		poster: job.poster,
		at: job.at,
		rule: job.rule,
		offers: job.offers.map(({ member, at, id }) => ({ member, at, id, assigned: holding(member) })),
		assignees: job.assignees.map(({ member, at, by, startedAt, done }) => ({
			member,
			at,
			by,
			startedAt,
			done
		})),
		released: [...job.released],
		whys: [...job.whys],
		startedAt: job.startedAt,
		completedAt: job.completedAt,
		cancelled: job.cancelled,
		status: jobStatus(job),
		freePlaces: freePlaces(job)
	};
}

function shiftView(shift: ShiftDraft): ShiftView {
	const { rev, bookings, ...rest } = shift;
	void [rev, bookings];
	return { ...rest, weekdays: [...shift.weekdays], skills: [...shift.skills] };
}

function signupView(signup: SignupDraft): SignupView {
	const { rev, cancelled, ...rest } = signup;
	void rev;
	const status: SignupStatus =
		signup.done !== null
			? 'completed'
			: signup.released !== null
				? 'handed-back'
				: cancelled !== null
					? 'cancelled'
					: 'signed-up';
	return { ...rest, status };
}

const itemViews = new WeakMap<object, { rev: number; view: object }>();

function cached<D extends { rev: number }, V extends object>(draft: D, make: (d: D) => V): V {
	const hit = itemViews.get(draft);
	if (hit?.rev === draft.rev) return hit.view as V;
	// Frozen as made, so the state's freezing never walks them again.
	const view = deepFreeze(make(draft));
	itemViews.set(draft, { rev: draft.rev, view });
	return view;
}

const figures = new WeakMap<
	object,
	Map<string, { readonly key: string; readonly figure: Fairness }>
>();

/** The figure of each period, rebuilt only for periods whose minutes or members changed. */
function fairness(fold: WorkFold): Fairness[] {
	let cache = figures.get(fold.hours);
	if (cache === undefined) {
		cache = new Map<string, { readonly key: string; readonly figure: Fairness }>();
		figures.set(fold.hours, cache);
	}
	const out: Fairness[] = [];
	for (const period of [...fold.wanted.keys()].sort()) {
		const wanted = fold.wanted.get(period)!;
		// `wanted` only grows, so its size tells whether it changed.
		const key = `${fold.hours.periodRevision(period)}/${wanted.size}`;
		let hit = cache.get(period);
		if (hit?.key !== key)
			cache.set(period, (hit = { key, figure: figureOf(fold, period, wanted) }));
		out.push(hit.figure);
	}
	return out;
}

function figureOf(fold: WorkFold, period: string, wanted: ReadonlySet<string>): Fairness {
	const members = [...wanted]
		.map((member) => ({ member, minutes: fold.hours.inPeriod(member, period) }))
		.sort((a, b) => b.minutes - a.minutes || (a.member < b.member ? -1 : 1));
	const minutes = members.map((row) => row.minutes);
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	for (const n of minutes) {
		min = Math.min(min, n);
		max = Math.max(max, n);
		sum += n;
	}
	const mean = sum / minutes.length;
	const variance = minutes.reduce((total, n) => total + (n - mean) ** 2, 0) / minutes.length;
	const variation = mean === 0 ? 0 : Math.round((Math.sqrt(variance) / mean) * 1000) / 1000;
	return { period, members, min, max, spread: max - min, mean: Math.round(mean), variation };
}

/**
 * The jobs' views in posting order. The fold lists the jobs it posted or changed (`touched`);
 * a view built after an earlier one of the same fold replaces only those.
 */
const jobLists = new WeakMap<
	WorkFold,
	{ readonly consumed: number; readonly jobs: JobView[]; readonly index: Map<string, number> }
>();

function jobsOf(fold: WorkFold): readonly JobView[] {
	const previous = jobLists.get(fold);
	let jobs: JobView[];
	let index: Map<string, number>;
	if (previous === undefined) {
		jobs = [...fold.jobs.values()].map((job) => cached(job, jobView));
		index = new Map(jobs.map((job, position) => [job.id, position]));
	} else {
		jobs = [...previous.jobs];
		index = previous.index;
		for (const id of new Set(fold.touched.slice(previous.consumed))) {
			const view = cached(fold.jobs.get(id)!, jobView);
			const position = index.get(id);
			if (position === undefined) {
				index.set(id, jobs.length);
				jobs.push(view);
			} else {
				jobs[position] = view;
			}
		}
	}
	jobLists.set(fold, { consumed: fold.touched.length, jobs, index });
	return Object.freeze([...jobs]);
}

const availabilityViews = new WeakMap<object, AvailabilityView>();

function availabilityView(member: string, availability: AvailabilityDraft): AvailabilityView {
	let view = availabilityViews.get(availability);
	if (view === undefined) {
		const { timeZone, weekly, off, at } = availability;
		view = deepFreeze({ member, timeZone, weekly, off, at });
		availabilityViews.set(availability, view);
	}
	return view;
}

const memberHours = new WeakMap<object, Map<string, { rev: number; hours: MemberHours }>>();

function hoursOf(fold: WorkFold): Readonly<Record<string, MemberHours>> {
	let rows = memberHours.get(fold.hours);
	if (rows === undefined) {
		memberHours.set(fold.hours, (rows = new Map<string, { rev: number; hours: MemberHours }>()));
	}
	const out: Record<string, MemberHours> = {};
	for (const [member, rev] of fold.hours.revisions()) {
		let row = rows.get(member);
		if (row?.rev !== rev) {
			rows.set(member, (row = { rev, hours: deepFreeze(fold.hours.of(member)) }));
		}
		out[member] = row.hours;
	}
	return Object.freeze(out);
}

const views = new WeakMap<WorkFold, { version: number; view: WorkView }>();

/** Where `prepareWorkView` stands in each fold's jobs. */
const preparing = new WeakMap<WorkFold, Iterator<JobDraft>>();

/**
 * Makes, until about `until` (a `performance.now()` time), the job views `workView` will need
 * of the fold; true once they all are. Lets a large co-op's first view (20,000 jobs, a few
 * hundred milliseconds in a browser) be made over several tasks.
 */
export function prepareWorkView(fold: WorkFold, until: number): boolean {
	if (views.get(fold)?.version === fold.version) return true;
	let jobs = preparing.get(fold);
	if (jobs === undefined) preparing.set(fold, (jobs = fold.jobs.values()));
	for (let count = 1; ; count++) {
		const next = jobs.next();
		if (next.done === true) break;
		cached(next.value, jobView);
		if (count % 64 === 0 && performance.now() > until) return false;
	}
	// Then the list of jobs, the per-member index, the fairness figures and the hours, each in a
	// task of its own (each is kept for the view to reuse), and the view in the next.
	const step = preparedSteps.get(fold) ?? 0;
	const next = PREPARE_STEPS[step];
	if (next === undefined) {
		workView(fold);
		return true;
	}
	next(fold);
	preparedSteps.set(fold, step + 1);
	return false;
}

/** The parts of a view `prepareWorkView` makes one task each, after the jobs' views. */
const PREPARE_STEPS: readonly ((fold: WorkFold) => unknown)[] = [
	jobsOf,
	workIndexOf,
	fairness,
	hoursOf
];
/** How many of `PREPARE_STEPS` each fold has had. */
const preparedSteps = new WeakMap<WorkFold, number>();

/** Jobs, shifts and figures as the pages show them; built once per version of the fold. */
export function workView(fold: WorkFold): WorkView {
	const hit = views.get(fold);
	if (hit?.version === fold.version) return hit.view;
	const signups = [...fold.signups.values()].map((signup) => cached(signup, signupView));
	// Every part is frozen as it is made (or was, when it last changed): the state's freezing
	// then stops at the view instead of walking every job again.
	const view: WorkView = Object.freeze({
		jobs: jobsOf(fold),
		shifts: Object.freeze([...fold.shifts.values()].map((shift) => cached(shift, shiftView))),
		signups: Object.freeze(signups),
		availability: Object.freeze(
			[...fold.availability].map(([member, availability]) => availabilityView(member, availability))
		),
		fairness: Object.freeze(fairness(fold)),
		hours: hoursOf(fold)
	});
	views.set(fold, { version: fold.version, view });
	indexes.set(view, workIndexOf(fold));
	logs.set(view, { rows: fold.completions, upTo: fold.completions.length });
	jobPlaces.set(view, jobLists.get(fold)!.index);
	return view;
}

/**
 * The fold's completions as one view of it holds them: `rows` is the fold's own list, only ever
 * appended to and shared by every view of that fold (a checkpoint's copy has its own), of which
 * this view holds the first `upTo`. A read model kept up to date across views of one fold takes
 * in the rows it has not seen yet.
 */
export interface CompletionLog {
	readonly rows: readonly CompletedWork[];
	readonly upTo: number;
}

const logs = new WeakMap<WorkView, CompletionLog>();

/** The view's completion log, or null for a view not made by `workView` (built by hand). */
export function completionLog(view: WorkView): CompletionLog | null {
	return logs.get(view) ?? null;
}

/** Each view's job id -> place in `jobs` (a fold's map, grown as jobs are posted). */
const jobPlaces = new WeakMap<WorkView, ReadonlyMap<string, number>>();

/**
 * The place of the job `id` in `view.jobs`, or -1. A job keeps its place in every later view of
 * the same fold (jobs are only ever added at the end), so a read model kept across them may
 * remember it.
 */
export function jobPlace(view: WorkView, id: string): number {
	let places = jobPlaces.get(view);
	if (places === undefined) {
		places = new Map(view.jobs.map((job, place) => [job.id, place]));
		jobPlaces.set(view, places);
	}
	const place = places.get(id);
	return place === undefined || place >= view.jobs.length ? -1 : place;
}

export type { HeldItem, MemberWork } from './by-member';

/** Each view's per-member index: kept by the fold's (see `by-member.ts`), or made once from it. */
const indexes = new WeakMap<WorkView, WorkIndex>();

/**
 * One member's completed work and what they hold, from the per-member index: the cost is that
 * member's entries, not the co-op's jobs. A view not made by `workView` (built by hand) is read
 * once in full to index it.
 */
export function memberWork(view: WorkView, member: string): MemberWork {
	let index = indexes.get(view);
	if (index === undefined) indexes.set(view, (index = indexOfView(view)));
	return index.of(member);
}

function indexOfView(view: WorkView): WorkIndex {
	const completed: CompletedWork[] = [];
	const held: { member: string; item: HeldItem }[] = [];
	const done = (item: string, kind: 'job' | 'shift', member: string, pay: number, d: Done) =>
		completed.push({
			item,
			kind,
			member,
			minutes: d.minutes,
			pay,
			endedAt: d.endedAt,
			period: periodOf(d.endedAt),
			record: d.id
		});
	for (const job of view.jobs) {
		const open = job.status !== 'cancelled' && job.status !== 'completed';
		for (const { member, done: d } of job.assignees) {
			if (d !== null) done(job.id, 'job', member, job.pay, d);
			else if (open) {
				const { id, title, startsAt, minutes, pay } = job;
				held.push({ member, item: { kind: 'job', id, title, startsAt, minutes, pay } });
			}
		}
	}
	const titles = new Map(view.shifts.map((shift) => [shift.id, shift.title]));
	for (const signup of view.signups) {
		if (signup.done !== null) done(signup.id, 'shift', signup.member, signup.pay, signup.done);
		if (signup.status !== 'signed-up') continue;
		held.push({
			member: signup.member,
			item: {
				kind: 'shift',
				id: signup.id,
				title: titles.get(signup.shift) ?? '',
				startsAt: signup.startsAt,
				minutes: Math.round((signup.endsAt - signup.startsAt) / 60_000),
				pay: signup.pay
			}
		});
	}
	return workIndexFrom(completed, held);
}

// Questions the pages ask.

/** Jobs with a free place, not started, soonest first. */
export function openJobs(view: WorkView): JobView[] {
	return view.jobs
		.filter((job) => job.status === 'open')
		.sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1));
}

/** Jobs a member holds or has offered for, not cancelled or completed, soonest first. */
export function myJobs(view: WorkView, member: string): JobView[] {
	return view.jobs
		.filter(
			(job) =>
				job.status !== 'cancelled' &&
				job.status !== 'completed' &&
				(job.assignees.some((a) => a.member === member) ||
					job.offers.some((offer) => offer.member === member))
		)
		.sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1));
}

/** Completed and cancelled jobs, latest first. */
export function jobHistory(view: WorkView): JobView[] {
	return view.jobs
		.filter((job) => job.status === 'completed' || job.status === 'cancelled')
		.sort((a, b) => b.startsAt - a.startsAt || (a.id < b.id ? -1 : 1));
}

/** Where a member stands on a job they offered for. */
export type ClaimOutcome =
	| { readonly kind: 'assigned' }
	/** Their offer stands but the places are taken (by `takenBy`); or the job is closed. */
	| { readonly kind: 'not-assigned'; readonly takenBy: readonly string[]; readonly closed: boolean }
	| { readonly kind: 'handed-back' }
	| { readonly kind: 'no-offer' };

export function claimOutcome(view: WorkView, jobId: string, member: string): ClaimOutcome {
	const job = view.jobs.find((candidate) => candidate.id === jobId);
	if (job === undefined) return { kind: 'no-offer' };
	if (job.assignees.some((assignee) => assignee.member === member)) return { kind: 'assigned' };
	if (job.offers.some((offer) => offer.member === member)) {
		const closed = job.status === 'cancelled' || job.status === 'completed';
		return { kind: 'not-assigned', takenBy: job.assignees.map((a) => a.member), closed };
	}
	if (job.released.some((release) => release.member === member)) return { kind: 'handed-back' };
	return { kind: 'no-offer' };
}

/**
 * Why the members holding a job got it: each assignment's rule, the members considered with
 * their minutes in the period and their rank, and who was chosen. Empty if never assigned.
 */
export function whyThisMember(view: WorkView, jobId: string): readonly Why[] {
	return view.jobs.find((job) => job.id === jobId)?.whys ?? [];
}

/** One occurrence of a shift. */
export interface Occurrence {
	readonly shift: ShiftView;
	readonly date: string;
	readonly startsAt: number;
	readonly endsAt: number;
	/** Members signed up (live sign-ups), in order. */
	readonly members: readonly string[];
	readonly free: number;
}

/** Occurrences of the shifts that start in [from, from + days), soonest first. */
export function shiftOccurrences(view: WorkView, from: number, days: number): Occurrence[] {
	const until = from + days * 86_400_000;
	const booked = new Map<string, string[]>();
	for (const signup of view.signups) {
		if (signup.status !== 'signed-up' && signup.status !== 'completed') continue;
		const key = `${signup.shift} ${signup.date}`;
		booked.set(key, [...(booked.get(key) ?? []), signup.member]);
	}
	const out: Occurrence[] = [];
	for (const shift of view.shifts) {
		// A day before and after: the local date of `from` depends on the zone.
		let date = localParts(from, shift.timeZone).date;
		date = addDays(date, -1);
		for (let day = 0; day <= days + 1; day++, date = addDays(date, 1)) {
			if (date < shift.firstDate || (shift.lastDate !== '' && date > shift.lastDate)) continue;
			const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
			if (!shift.weekdays.includes(weekday)) continue;
			const { startsAt, endsAt } = occurrenceTimes(shift, date);
			if (startsAt < from || startsAt >= until) continue;
			if (shift.cancelled !== null && startsAt >= wallOf(shift.cancelled.at)) continue;
			const members = booked.get(`${shift.id} ${date}`) ?? [];
			out.push({ shift, date, startsAt, endsAt, members, free: shift.slots - members.length });
		}
	}
	return out.sort((a, b) => a.startsAt - b.startsAt || (a.shift.id < b.shift.id ? -1 : 1));
}

/** One thing in a member's schedule. */
export interface ScheduleItem {
	readonly kind: 'job' | 'shift';
	/** The job's id, or the sign-up's. */
	readonly id: string;
	readonly title: string;
	readonly place: string;
	readonly details: string;
	readonly startsAt: number;
	readonly endsAt: number;
	/** When it was assigned or signed up for. */
	readonly at: Stamp;
	readonly done: boolean;
}

/**
 * What a member holds (jobs assigned, shifts signed up for, done or to come), ending after
 * `from` and starting before `until`, soonest first. `member` null: everyone's, as
 * [member, item] pairs.
 */
export function schedule(
	view: WorkView,
	member: string | null,
	from = 0,
	until = Number.MAX_SAFE_INTEGER
): { readonly member: string; readonly item: ScheduleItem }[] {
	const shifts = new Map(view.shifts.map((shift) => [shift.id, shift]));
	const out: { member: string; item: ScheduleItem }[] = [];
	const within = (startsAt: number, endsAt: number) => endsAt > from && startsAt < until;
	for (const job of view.jobs) {
		if (job.status === 'cancelled' || !within(job.startsAt, job.endsAt)) continue;
		for (const assignee of job.assignees) {
			if (member !== null && assignee.member !== member) continue;
			out.push({
				member: assignee.member,
				item: {
					kind: 'job',
					id: job.id,
					title: job.title,
					place: job.place,
					details: job.details,
					startsAt: job.startsAt,
					endsAt: job.endsAt,
					at: assignee.at,
					done: assignee.done !== null
				}
			});
		}
	}
	for (const signup of view.signups) {
		if (signup.status !== 'signed-up' && signup.status !== 'completed') continue;
		if ((member !== null && signup.member !== member) || !within(signup.startsAt, signup.endsAt)) {
			continue;
		}
		const shift = shifts.get(signup.shift)!;
		out.push({
			member: signup.member,
			item: {
				kind: 'shift',
				id: signup.id,
				title: shift.title,
				place: shift.place,
				details: shift.details,
				startsAt: signup.startsAt,
				endsAt: signup.endsAt,
				at: signup.at,
				done: signup.done !== null
			}
		});
	}
	return out.sort(
		(a, b) =>
			a.item.startsAt - b.item.startsAt ||
			(a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0) ||
			(a.member < b.member ? -1 : 1)
	);
}

/** A member's schedule from `from` on (what is coming), soonest first. */
export function mySchedule(view: WorkView, member: string, from: number): ScheduleItem[] {
	return schedule(view, member, from).map((row) => row.item);
}

/** What the rotation needs of the rest of the co-op: its members and its settings. */
export interface RotationContext {
	readonly members: readonly { readonly id: string; readonly status: string }[];
	readonly maxWeeklyHours: number;
	/**
	 * Whether a member is qualified for a skill: the skills area's answer, as the fold asks it
	 * (`rotationContext` in `eligibility.ts` gives it from the co-op's state).
	 */
	readonly isQualified: (member: string, skill: string) => boolean;
}

/**
 * The rotation's ranking for an open job as this device's records give it: the same
 * computation the fold checks a `work.assign` against, so the members marked `chosen` are the
 * ones an assignment must name. Empty for a job that is not open or not assigned in turn.
 */
export function inTurn(view: WorkView, context: RotationContext, jobId: string): Candidate[] {
	const job = view.jobs.find((candidate) => candidate.id === jobId);
	if (job?.rule !== 'rotation' || job.freePlaces === 0) return [];
	if (job.status === 'cancelled' || job.status === 'completed') return [];
	return rotationRanking(factsOf(view, context), job);
}

/**
 * Why `member` cannot take on `need` as this device's records give it (not active, a skill
 * missing, time off, past the weekly hours), or `null`: the check the fold makes of a claim or
 * a sign-up, so a form can say so before writing a record every device would reject.
 */
export function unfitFor(
	view: WorkView,
	context: RotationContext,
	member: string,
	need: Need
): RuleReason | null {
	return unfit(factsOf(view, context), member, need, { weekly: true });
}

/** The rules' facts as the view holds them. */
function factsOf(view: WorkView, context: RotationContext): Facts {
	const members = new Map(context.members.map((member) => [member.id, member]));
	const availability = new Map(view.availability.map((entry) => [entry.member, entry]));
	const windowsOf = (entry: AvailabilityView): Windows => {
		const windows: [number, number][][] = Array.from({ length: 8 }, () => []);
		for (const { day, start, end } of entry.weekly) {
			windows[day]!.push([minutesOfDay(start), minutesOfDay(end)]);
		}
		return windows;
	};
	return {
		isActive: (member) => members.get(member)?.status === 'active',
		isQualified: context.isQualified,
		offOf: (member) => availability.get(member)?.off ?? [],
		inPeriod: (member, period) => view.hours[member]?.periods[period] ?? 0,
		inWeekOf: (member, instant) => view.hours[member]?.weeks[weekOf(instant)] ?? 0,
		maxWeeklyMinutes: () => context.maxWeeklyHours * 60,
		availability: () =>
			view.availability.map(
				(entry) => [entry.member, { timeZone: entry.timeZone, windows: windowsOf(entry) }] as const
			)
	};
}

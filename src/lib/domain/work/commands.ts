import {
	draftBuilder,
	line,
	paragraph,
	type DraftContext,
	type DraftResultIn
} from '../kernel/draft';
import type { InputRefusal } from '../kernel/input-result';
import { MINUTE_MS } from './calendar';
import { WORK_RECORDS, type AvailabilityBody, type ShiftBody, type WorkBodies } from './records';
import type { JobView, SignupView, WorkView } from './view';

/**
 * Builders of the work area's drafts from what a member typed (see `draftBuilder`). Beyond the
 * record's own checks, the commands that act on a job or a sign-up check it against the
 * member's view first, so a form says plainly what is wrong (a job already cancelled, more hours
 * than the job lasted) instead of writing a record every device would reject.
 */

type Result<T extends keyof WorkBodies> = DraftResultIn<WorkBodies, T>;

const build = draftBuilder(WORK_RECORDS);

const refuse = (field: string, messageKey: string): InputRefusal => ({
	ok: false,
	field,
	messageKey
});

/** Tags trimmed, blanks and repeats (ignoring case) dropped. */
function tags(input: readonly string[]): string[] {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const raw of input) {
		const tag = line(raw);
		if (tag === '' || seen.has(tag.toLowerCase())) continue;
		seen.add(tag.toLowerCase());
		out.push(tag);
	}
	return out;
}

export interface JobInput {
	readonly title: string;
	readonly details: string;
	readonly client: string;
	readonly place: string;
	readonly startsAt: number;
	readonly endsAt: number;
	/** true: done some time between start and end. */
	readonly window: boolean;
	/** Minutes of work expected of each person; by default the whole time from start to end. */
	readonly minutes?: number;
	/** Each person's pay, in minor units. */
	readonly pay: number;
	readonly skills: readonly string[];
	readonly people: number;
}

/** Posts a job. */
export function jobDraft(context: DraftContext, input: JobInput): Result<'work.job'> {
	if (input.endsAt <= input.startsAt) return refuse('endsAt', 'work_ends_before_start');
	if (input.pay < 0) return refuse('pay', 'work_pay_negative');
	const span = Math.floor((input.endsAt - input.startsAt) / MINUTE_MS);
	const minutes = input.minutes ?? span;
	if (minutes > span) return refuse('minutes', 'work_minutes_beyond_job');
	return build('work.job', context, {
		title: line(input.title),
		details: paragraph(input.details),
		client: line(input.client),
		place: line(input.place),
		startsAt: input.startsAt,
		endsAt: input.endsAt,
		window: input.window,
		minutes,
		pay: input.pay,
		skills: tags(input.skills),
		people: input.people
	});
}

function openJob(view: WorkView, jobId: string): JobView | InputRefusal {
	const job = view.jobs.find((candidate) => candidate.id === jobId);
	if (job === undefined) return refuse('job', 'work_no_such_job');
	if (job.status === 'cancelled' || job.status === 'completed') {
		return refuse('job', 'work_job_closed');
	}
	return job;
}

/** Claims (offers to take) a job. */
export function claimDraft(
	context: DraftContext,
	view: WorkView,
	input: { readonly job: string; readonly member: string }
): Result<'work.claim'> {
	const job = openJob(view, input.job);
	if ('ok' in job) return job;
	if (job.endsAt <= Number(context.at.slice(0, 13))) return refuse('job', 'work_job_over');
	if (job.offers.some((offer) => offer.member === input.member)) {
		return refuse('job', 'work_already_offered');
	}
	return build('work.claim', context, { job: input.job });
}

/** Names who takes a job (a dispatcher), or confirms the rotation's pick. */
export function assignDraft(
	context: DraftContext,
	view: WorkView,
	input: { readonly job: string; readonly members: readonly string[] }
): Result<'work.assign'> {
	const job = openJob(view, input.job);
	if ('ok' in job) return job;
	if (input.members.length > job.freePlaces) return refuse('members', 'work_no_free_place');
	return build('work.assign', context, {
		job: input.job,
		members: [...new Set(input.members)].sort()
	});
}

/** Starts a job the member holds. */
export function startDraft(
	context: DraftContext,
	view: WorkView,
	input: { readonly job: string; readonly member: string }
): Result<'work.start'> {
	const job = openJob(view, input.job);
	if ('ok' in job) return job;
	if (!job.assignees.some((assignee) => assignee.member === input.member)) {
		return refuse('job', 'work_not_yours');
	}
	return build('work.start', context, { job: input.job });
}

/**
 * Completes the member's part of a job, or a shift sign-up: `minutes` worked, `endedAt` when the
 * work ended (the device's time when the member says it is done, kept in the record).
 */
export function completeDraft(
	context: DraftContext,
	view: WorkView,
	input: {
		readonly target: string;
		readonly member: string;
		readonly minutes: number;
		readonly endedAt: number;
	}
): Result<'work.complete'> {
	const job = view.jobs.find((candidate) => candidate.id === input.target);
	const signup = view.signups.find((candidate) => candidate.id === input.target);
	let item: { startsAt: number; endsAt: number };
	if (job !== undefined) {
		const open = openJob(view, job.id);
		if ('ok' in open) return open;
		const mine = job.assignees.find((assignee) => assignee.member === input.member);
		if (mine === undefined) return refuse('target', 'work_not_yours');
		if (mine.done !== null) return refuse('target', 'work_already_done');
		item = job;
	} else if (signup !== undefined) {
		const refusal = signupRefusal(signup, input.member);
		if (refusal !== null) return refusal;
		item = signup;
	} else {
		return refuse('target', 'work_no_such_job');
	}
	if (!Number.isSafeInteger(input.minutes) || input.minutes < 1) {
		return refuse('minutes', 'record_minutes_out_of_range');
	}
	if (input.minutes > 24 * 60) return refuse('minutes', 'work_minutes_beyond_day');
	if (input.minutes * MINUTE_MS > item.endsAt - item.startsAt) {
		return refuse('minutes', 'work_minutes_beyond_job');
	}
	if (input.endedAt - input.minutes * MINUTE_MS < item.startsAt) {
		return refuse('endedAt', 'work_ended_before_start');
	}
	return build('work.complete', context, {
		target: input.target,
		minutes: input.minutes,
		endedAt: input.endedAt
	});
}

function signupRefusal(signup: SignupView, member: string): InputRefusal | null {
	if (signup.member !== member) return refuse('target', 'work_not_yours');
	if (signup.status === 'completed') return refuse('target', 'work_already_done');
	if (signup.status !== 'signed-up') return refuse('target', 'work_job_closed');
	return null;
}

/** Cancels a job or a shift, with a reason. */
export function cancelDraft(
	context: DraftContext,
	view: WorkView,
	input: { readonly target: string; readonly reason: string }
): Result<'work.cancel'> {
	const job = view.jobs.find((candidate) => candidate.id === input.target);
	if (job !== undefined) {
		const open = openJob(view, job.id);
		if ('ok' in open) return open;
	}
	const reason = paragraph(input.reason);
	if (reason === '') return refuse('reason', 'work_reason_needed');
	return build('work.cancel', context, { target: input.target, reason });
}

/** Hands back one job or sign-up. */
export function releaseDraft(
	context: DraftContext,
	view: WorkView,
	input: { readonly target: string; readonly member: string; readonly reason: string }
): Result<'work.release'> {
	const job = view.jobs.find((candidate) => candidate.id === input.target);
	const signup = view.signups.find((candidate) => candidate.id === input.target);
	if (job !== undefined) {
		const open = openJob(view, job.id);
		if ('ok' in open) return open;
		if (!job.assignees.some((assignee) => assignee.member === input.member)) {
			return refuse('target', 'work_not_yours');
		}
	} else if (signup !== undefined) {
		const refusal = signupRefusal(signup, input.member);
		if (refusal !== null) return refusal;
	} else {
		return refuse('target', 'work_no_such_job');
	}
	return build('work.release', context, {
		target: input.target,
		from: 0,
		reason: paragraph(input.reason)
	});
}

/** "I'm ill": hands back, in one record, every job and shift of the member starting from `from`. */
export function releaseAllDraft(
	context: DraftContext,
	input: { readonly from: number; readonly reason: string }
): Result<'work.release'> {
	return build('work.release', context, {
		target: '',
		from: input.from,
		reason: paragraph(input.reason)
	});
}

/** A shift as the form gives it: what the record holds. */
export type ShiftInput = ShiftBody;

/** Lays out a recurring shift. */
export function shiftDraft(context: DraftContext, input: ShiftInput): Result<'work.shift'> {
	if (input.pay < 0) return refuse('pay', 'work_pay_negative');
	return build('work.shift', context, {
		title: line(input.title),
		details: paragraph(input.details),
		place: line(input.place),
		weekdays: [...new Set(input.weekdays)].sort((a, b) => a - b),
		startTime: input.startTime,
		endTime: input.endTime,
		timeZone: input.timeZone,
		firstDate: input.firstDate,
		lastDate: input.lastDate,
		slots: input.slots,
		skills: tags(input.skills),
		pay: input.pay
	});
}

/** Takes a slot of a shift on a date. */
export function signupDraft(
	context: DraftContext,
	input: { readonly shift: string; readonly date: string }
): Result<'work.signup'> {
	return build('work.signup', context, { shift: input.shift, date: input.date });
}

/** The member's weekly availability and time off (replaces what they said before). */
export function availabilityDraft(
	context: DraftContext,
	input: AvailabilityBody
): Result<'work.availability'> {
	return build('work.availability', context, {
		timeZone: input.timeZone,
		weekly: input.weekly.map(({ day, start, end }) => ({ day, start, end })),
		off: input.off.map(({ from, until }) => ({ from, until }))
	});
}

import type { Stamp } from '../kernel/hlc';
import type { RuleReason } from '../kernel/reasons';
import type { AssignmentRule } from '../settings/values';
import type { JobBody, ShiftBody } from './records';

/**
 * The work area's state as its fold keeps it: jobs, shifts, sign-ups, availability. Plain
 * objects, copied by `clone*` for checkpoints; `rev` goes up when an item changes, so the view
 * rebuilds only what changed.
 */

/** Work reported done. */
export interface Done {
	readonly minutes: number;
	/** When the work ended, as the worker's device signed it (ms since the epoch). */
	readonly endedAt: number;
	readonly at: Stamp;
	/** The completion record. */
	readonly id: string;
}

export interface Assignee {
	readonly member: string;
	readonly at: Stamp;
	/** The record that assigned them (a claim or an assignment). */
	readonly by: string;
	startedAt: Stamp | null;
	done: Done | null;
}

/** A member's standing offer to take a job (a claim). */
export interface Offer {
	readonly member: string;
	readonly at: Stamp;
	readonly id: string;
}

/** One member considered for an assignment, as the fold saw them at that point. */
export interface Candidate {
	readonly member: string;
	/** Minutes of work in the period (done, or planned for what is assigned), before this job. */
	readonly minutes: number;
	/** Stamp of their offer, `null` if they had not offered (rotation: available by the week). */
	readonly offeredAt: Stamp | null;
	/** 1 for the first in the ranking; 0 for someone not eligible. */
	readonly rank: number;
	/** Why they could not take it, `null` if they could. */
	readonly excluded: RuleReason | null;
	readonly chosen: boolean;
}

/** Why these members: the rule, who was considered, their hours and the ranking. */
export interface Why {
	/** The record that made the assignment (a claim, an assignment, or a hand-back that promoted). */
	readonly id: string;
	readonly at: Stamp;
	readonly rule: AssignmentRule;
	/** The period whose hours count (`YYYY-MM`, UTC). */
	readonly period: string;
	/** The dispatcher who assigned, or the member who confirmed the rotation; `null` for claims. */
	readonly by: string | null;
	readonly chosen: readonly string[];
	/** In ranking order; those not eligible last. */
	readonly candidates: readonly Candidate[];
}

export interface Release {
	readonly member: string;
	readonly at: Stamp;
	readonly id: string;
	readonly reason: string;
}

export interface Cancellation {
	readonly member: string;
	readonly at: Stamp;
	readonly id: string;
	readonly reason: string;
}

export interface JobDraft extends JobBody {
	readonly id: string;
	readonly poster: string;
	readonly at: Stamp;
	/** The rule in force when it was posted: the one it is assigned by. */
	readonly rule: AssignmentRule;
	offers: Offer[];
	assignees: Assignee[];
	released: Release[];
	whys: Why[];
	startedAt: Stamp | null;
	completedAt: Stamp | null;
	cancelled: Cancellation | null;
	rev: number;
}

export interface ShiftDraft extends ShiftBody {
	readonly id: string;
	readonly poster: string;
	readonly at: Stamp;
	cancelled: Cancellation | null;
	/** Live sign-up ids by occurrence date. */
	bookings: Map<string, string[]>;
	rev: number;
}

export interface SignupDraft {
	readonly id: string;
	readonly shift: string;
	readonly date: string;
	readonly member: string;
	readonly at: Stamp;
	readonly startsAt: number;
	readonly endsAt: number;
	readonly pay: number;
	released: Release | null;
	cancelled: Cancellation | null;
	done: Done | null;
	rev: number;
}

export interface AvailabilityDraft {
	readonly timeZone: string;
	/** Per weekday (index 1 to 7), windows as [start, end) minutes of the day. */
	readonly windows: readonly (readonly (readonly [number, number])[])[];
	readonly weekly: readonly {
		readonly day: number;
		readonly start: string;
		readonly end: string;
	}[];
	readonly off: readonly { readonly from: number; readonly until: number }[];
	readonly at: Stamp;
}

export function cloneJob(job: JobDraft): JobDraft {
	return {
		...job,
		offers: [...job.offers],
		assignees: job.assignees.map((assignee) => ({ ...assignee })),
		released: [...job.released],
		whys: [...job.whys]
	};
}

export function cloneShift(shift: ShiftDraft): ShiftDraft {
	return {
		...shift,
		bookings: new Map([...shift.bookings].map(([date, ids]) => [date, [...ids]]))
	};
}

export function cloneSignup(signup: SignupDraft): SignupDraft {
	return { ...signup };
}

/** A job is closed once cancelled or completed: nothing more happens to it. */
export function jobClosed(job: JobDraft): boolean {
	return job.cancelled !== null || job.completedAt !== null;
}

/** Places still free on a job. */
export function freePlaces(job: JobDraft): number {
	return job.people - job.assignees.length;
}

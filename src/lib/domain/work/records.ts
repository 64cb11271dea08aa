import type { SignedUnion } from '../kernel/envelope';
import {
	boolean,
	format,
	integer,
	list,
	object,
	tagList,
	text,
	type Check,
	type FieldProblem
} from '../kernel/field-checks';
import { MAX_WALL, wallOf } from '../kernel/hlc';
import { LIMITS } from '../kernel/limits';
import type { RecordKinds } from '../kernel/module';
import { publicKey, recordIdCheck } from '../kernel/shape';
import { FUTURE_TOLERANCE_MS } from '../kernel/time';
import {
	daysBetween,
	isLocalDate,
	isLocalTime,
	isTimeZone,
	MINUTE_MS,
	minutesOfDay
} from './calendar';

/**
 * The records of the work area: jobs and what happens to them (claims, assignments, start,
 * completion, cancellation, hand-back), recurring shifts and sign-ups, and each member's
 * availability. See docs/work.md and docs/records.md.
 */

export interface JobBody {
	readonly title: string;
	readonly details: string;
	/** Who the work is for ('' if the co-op's own). */
	readonly client: string;
	readonly place: string;
	/** ms since the epoch. */
	readonly startsAt: number;
	/** ms since the epoch; after `startsAt`. */
	readonly endsAt: number;
	/** false: the work runs from start to end; true: it is done some time between them. */
	readonly window: boolean;
	/** Minutes of work expected of each person (at most the time from start to end). */
	readonly minutes: number;
	/** Pay of each person, in minor units of the co-op's currency. */
	readonly pay: number;
	readonly skills: readonly string[];
	/** How many people the job takes. */
	readonly people: number;
}

/** A member offers to take a job (under the `claim` rule, the first valid claims win). */
export interface ClaimBody {
	readonly job: string;
}

/** A dispatcher names who takes a job, or a member confirms the rotation's pick. */
export interface AssignBody {
	readonly job: string;
	/** Member ids, ascending. */
	readonly members: readonly string[];
}

export interface StartBody {
	readonly job: string;
}

/** An assignee's part of a job, or a shift sign-up, done. */
export interface CompleteBody {
	/** A job or a sign-up. */
	readonly target: string;
	/** Minutes worked. */
	readonly minutes: number;
	/** When the work really ended (ms since the epoch), as the device knew it. */
	readonly endedAt: number;
}

export interface CancelBody {
	/** A job or a shift. */
	readonly target: string;
	readonly reason: string;
}

/** Hands back one job or sign-up, or (`target` empty) every one starting from `from` on. */
export interface ReleaseBody {
	/** A job or a sign-up; '' for all of the author's coming ones. */
	readonly target: string;
	/** With an empty target: items starting at or after it (ms since the epoch) go back. */
	readonly from: number;
	readonly reason: string;
}

export interface ShiftBody {
	readonly title: string;
	readonly details: string;
	readonly place: string;
	/** 1 Monday to 7 Sunday, ascending. */
	readonly weekdays: readonly number[];
	/** Local times `HH:MM`; an end at or before the start is on the next day. */
	readonly startTime: string;
	readonly endTime: string;
	/** IANA time zone the times are in. */
	readonly timeZone: string;
	/** First and last date (`YYYY-MM-DD`, local) of the occurrences; `lastDate` '' for open-ended. */
	readonly firstDate: string;
	readonly lastDate: string;
	/** People each occurrence takes. */
	readonly slots: number;
	readonly skills: readonly string[];
	/** Pay of each slot, in minor units. */
	readonly pay: number;
}

/** A member takes a slot of a shift on one date. */
export interface SignupBody {
	readonly shift: string;
	/** The occurrence's local date. */
	readonly date: string;
}

export interface WeeklyWindow {
	/** 1 Monday to 7 Sunday. */
	readonly day: number;
	readonly start: string;
	readonly end: string;
}

export interface TimeOff {
	readonly from: number;
	readonly until: number;
}

/** A member's weekly availability and time off; each record replaces the member's previous one. */
export interface AvailabilityBody {
	readonly timeZone: string;
	readonly weekly: readonly WeeklyWindow[];
	readonly off: readonly TimeOff[];
}

export interface WorkBodies {
	'work.job': JobBody;
	'work.claim': ClaimBody;
	'work.assign': AssignBody;
	'work.start': StartBody;
	'work.complete': CompleteBody;
	'work.cancel': CancelBody;
	'work.release': ReleaseBody;
	'work.shift': ShiftBody;
	'work.signup': SignupBody;
	'work.availability': AvailabilityBody;
}

export type WorkType = keyof WorkBodies;
export type WorkRecord<T extends WorkType = WorkType> = SignedUnion<WorkBodies, T>;

/** Longest shift pattern: dates from first to last. */
export const MAX_SHIFT_DAYS = 2 * 366;

const instant = integer(0, MAX_WALL);
const localDate = format(isLocalDate, 10);
const localTime = format(isLocalTime, 5);
const timeZone = format(isTimeZone, LIMITS.timeZone);
const skills = tagList(LIMITS.skills, LIMITS.skill);
const pay = integer(0, LIMITS.pay);
const recordIdOrEmpty: Check = (value) => (value === '' ? null : recordIdCheck(value));
const weekday = integer(1, 7);

const problem = (field: string, kind: FieldProblem['problem'] = 'out-of-range'): FieldProblem => ({
	field,
	problem: kind
});

export const WORK_RECORDS: RecordKinds<WorkBodies> = {
	'work.job': {
		body: {
			title: text({ min: 1, max: LIMITS.jobTitle }),
			details: text({ max: LIMITS.jobDetails, multiline: true }),
			client: text({ max: LIMITS.client }),
			place: text({ max: LIMITS.place }),
			startsAt: instant,
			endsAt: instant,
			window: boolean,
			minutes: integer(1, LIMITS.jobSpanMs / MINUTE_MS),
			pay,
			skills,
			people: integer(1, LIMITS.jobPeople)
		},
		author: 'member',
		cross: (draft) => {
			const span = draft.endsAt - draft.startsAt;
			if (span <= 0 || span > LIMITS.jobSpanMs) return problem('endsAt');
			return draft.minutes * MINUTE_MS > span ? problem('minutes') : null;
		}
	},
	'work.claim': { body: { job: recordIdCheck }, author: 'member' },
	'work.assign': {
		body: { job: recordIdCheck, members: list(publicKey, LIMITS.jobPeople, { ascending: true }) },
		author: 'member',
		cross: (draft) => (draft.members.length === 0 ? problem('members', 'empty') : null)
	},
	'work.start': { body: { job: recordIdCheck }, author: 'member' },
	'work.complete': {
		body: {
			target: recordIdCheck,
			minutes: integer(1, LIMITS.jobSpanMs / MINUTE_MS),
			endedAt: instant
		},
		author: 'member',
		// The end is signed on the device when the work ends: it cannot be after the signing.
		cross: (draft) =>
			draft.endedAt > wallOf(draft.at) + FUTURE_TOLERANCE_MS ? problem('endedAt') : null
	},
	'work.cancel': {
		body: { target: recordIdCheck, reason: text({ min: 1, max: LIMITS.reason, multiline: true }) },
		author: 'member'
	},
	'work.release': {
		body: {
			target: recordIdOrEmpty,
			from: instant,
			reason: text({ max: LIMITS.reason, multiline: true })
		},
		author: 'member'
	},
	'work.shift': {
		body: {
			title: text({ min: 1, max: LIMITS.jobTitle }),
			details: text({ max: LIMITS.jobDetails, multiline: true }),
			place: text({ max: LIMITS.place }),
			weekdays: list(weekday, 7, { ascending: true }),
			startTime: localTime,
			endTime: localTime,
			timeZone,
			firstDate: localDate,
			lastDate: (value) => (value === '' ? null : localDate(value)),
			slots: integer(1, LIMITS.jobPeople),
			skills,
			pay
		},
		author: 'member',
		cross: (draft) => {
			if (draft.weekdays.length === 0) return problem('weekdays', 'empty');
			if (draft.startTime === draft.endTime) return problem('endTime');
			if (draft.lastDate === '') return null;
			const days = daysBetween(draft.firstDate, draft.lastDate);
			return days < 0 || days > MAX_SHIFT_DAYS ? problem('lastDate') : null;
		}
	},
	'work.signup': { body: { shift: recordIdCheck, date: localDate }, author: 'member' },
	'work.availability': {
		body: {
			timeZone,
			weekly: list(
				object({ day: weekday, start: localTime, end: localTime }),
				LIMITS.availabilityWindows
			),
			off: list(object({ from: instant, until: instant }), LIMITS.timeOff)
		},
		author: 'member',
		cross: (draft) => {
			for (const window of draft.weekly) {
				if (minutesOfDay(window.end) <= minutesOfDay(window.start)) return problem('weekly');
			}
			for (const off of draft.off) if (off.until <= off.from) return problem('off');
			return null;
		}
	}
};

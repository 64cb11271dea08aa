import type { AreaHost } from './area-host';
import type { InputResult } from '$lib/domain/kernel/input-result';
import { wallOf } from '$lib/domain/kernel/hlc';
import { minorDigits } from '$lib/domain/ledger/money';
import type { AssignmentRule } from '$lib/domain/settings/values';
import {
	assignDraft,
	availabilityDraft,
	cancelDraft,
	claimDraft,
	completeDraft,
	jobDraft,
	releaseAllDraft,
	releaseDraft,
	shiftDraft,
	signupDraft,
	startDraft,
	type JobInput,
	type ShiftInput
} from '$lib/domain/work/commands';
import { rotationContext } from '$lib/domain/work/eligibility';
import { completedWorkOf, hoursCsv, jobsCsv } from '$lib/domain/work/export';
import { scheduleIcs } from '$lib/domain/work/ics';
import type { AvailabilityBody } from '$lib/domain/work/records';
import { inTurnOf } from '$lib/domain/work/rotation';
import {
	claimOutcome,
	inTurn,
	jobHistory,
	mySchedule,
	myJobs,
	openJobs,
	shiftOccurrences,
	whyThisMember,
	type AvailabilityView,
	type Candidate,
	type ClaimOutcome,
	type Fairness,
	type JobView,
	type Occurrence,
	type ScheduleItem,
	type ShiftView,
	type SignupView,
	type Why,
	type WorkView,
	unfitFor
} from '$lib/domain/work/view';

export type {
	AvailabilityBody,
	AvailabilityView,
	Candidate,
	ClaimOutcome,
	Fairness,
	JobInput,
	JobView,
	Occurrence,
	ScheduleItem,
	ShiftInput,
	ShiftView,
	SignupView,
	Why
};

type Result<T extends object = object> = InputResult<T>;

/** Messages the work pages say in their own words (the records' are a proposal's). */
const OWN_WORDS: Readonly<Record<string, string>> = {
	record_title_empty: 'work_title_empty',
	record_title_too_long: 'work_title_too_long'
};

function inOwnWords<T extends object>(result: Result<T>): Result<T> {
	if (result.ok) return result;
	const own = OWN_WORDS[result.messageKey];
	return own === undefined ? result : { ...result, messageKey: own };
}

/**
 * Jobs, shifts, availability and the schedule of one open co-op: the work area's read model as
 * the pages ask it, and a method per thing a member does (each writes one signed record).
 */
export class Work {
	readonly #host: AreaHost;

	constructor(host: AreaHost) {
		this.#host = host;
	}

	get view(): WorkView {
		return this.#host.roster().work;
	}

	get #me(): string | null {
		return this.#host.me()?.id ?? null;
	}

	/** The rule a job posted now is assigned by. */
	get rule(): AssignmentRule {
		return this.#host.roster().governance.settings.assignmentRule;
	}

	get dispatchers(): readonly string[] {
		return this.#host.roster().governance.settings.dispatchers;
	}

	/** The co-op's weekly limit in hours (0: none). */
	get maxWeeklyHours(): number {
		return this.#host.roster().governance.settings.maxWeeklyHours;
	}

	/** Whether this member may assign jobs (a dispatcher) and cancel any job or shift. */
	get isDispatcher(): boolean {
		const me = this.#me;
		return me !== null && this.dispatchers.includes(me);
	}

	/** The co-op's currency and its minor digits: pay is typed and shown in it. */
	get currency(): { readonly code: string; readonly digits: number } {
		const code = this.#host.roster().coop?.settings.currency ?? 'EUR';
		return { code, digits: minorDigits(code) };
	}

	job(id: string): JobView | undefined {
		return this.view.jobs.find((job) => job.id === id);
	}

	shift(id: string): ShiftView | undefined {
		return this.view.shifts.find((shift) => shift.id === id);
	}

	get openJobs(): JobView[] {
		return openJobs(this.view);
	}

	/** Jobs this member holds or offered for, not closed. */
	get myJobs(): JobView[] {
		const me = this.#me;
		return me === null ? [] : myJobs(this.view, me);
	}

	get history(): JobView[] {
		return jobHistory(this.view);
	}

	/** Where this member stands on a job. */
	outcome(jobId: string): ClaimOutcome {
		const me = this.#me;
		return me === null ? { kind: 'no-offer' } : claimOutcome(this.view, jobId, me);
	}

	/**
	 * Jobs this member offered for and did not get (the places went to others), still coming:
	 * what a member whose offline claim lost should see.
	 */
	get lostClaims(): JobView[] {
		const me = this.#me;
		if (me === null) return [];
		return this.view.jobs.filter((job) => {
			if (job.status === 'cancelled' || job.status === 'completed') return false;
			const outcome = claimOutcome(this.view, job.id, me);
			return outcome.kind === 'not-assigned' && job.freePlaces === 0;
		});
	}

	whys(jobId: string): readonly Why[] {
		return whyThisMember(this.view, jobId);
	}

	/** The rotation's ranking for an open job, as this device's records give it. */
	inTurn(jobId: string): Candidate[] {
		return inTurn(this.view, rotationContext(this.#host.roster()), jobId);
	}

	/** This member's schedule from `from` on. */
	schedule(from: number): ScheduleItem[] {
		const me = this.#me;
		return me === null ? [] : mySchedule(this.view, me, from);
	}

	/** Occurrences of the shifts starting in the next `days` days from `from`. */
	occurrences(from: number, days: number): Occurrence[] {
		return shiftOccurrences(this.view, from, days);
	}

	/** This member's live sign-up for an occurrence, if any. */
	mySignup(shiftId: string, date: string): SignupView | undefined {
		const me = this.#me;
		return this.view.signups.find(
			(signup) =>
				signup.member === me &&
				signup.shift === shiftId &&
				signup.date === date &&
				(signup.status === 'signed-up' || signup.status === 'completed')
		);
	}

	get myAvailability(): AvailabilityView | undefined {
		const me = this.#me;
		return this.view.availability.find((entry) => entry.member === me);
	}

	get fairness(): readonly Fairness[] {
		return this.view.fairness;
	}

	/** The member's schedule as an iCalendar file. */
	calendar(name: string): string {
		return scheduleIcs(this.view, { name, member: this.#me });
	}

	/** Every job, one row per person holding it. */
	jobsCsv(): string {
		return jobsCsv(this.view);
	}

	/** Hours done per member and period. */
	hoursCsv(): string {
		return hoursCsv(completedWorkOf(this.view));
	}

	async post(input: JobInput): Promise<Result<{ readonly id: string }>> {
		const result = await this.#host.write((context) => jobDraft(context, input));
		return result.ok ? { ok: true, id: result.ids[0]! } : inOwnWords(result);
	}

	claim(job: string): Promise<Result> {
		const member = this.#me ?? '';
		const held = this.job(job);
		const unfit = held === undefined ? null : this.#unfit(member, held);
		if (unfit !== null) return Promise.resolve(unfit);
		return this.#host.write((context) => claimDraft(context, this.view, { job, member }));
	}

	/**
	 * Why this member cannot take on the work, as the fold would judge it: refused here with a
	 * message rather than written as a record every device rejects.
	 */
	#unfit(
		member: string,
		need: { startsAt: number; endsAt: number; minutes: number; skills: readonly string[] }
	): Result | null {
		const why = unfitFor(this.view, rotationContext(this.#host.roster()), member, need);
		return why === null ? null : { ok: false, field: '', messageKey: `work_unfit_${why}` };
	}

	/** A dispatcher names who takes the job. */
	assign(job: string, members: readonly string[]): Promise<Result> {
		return this.#host.write((context) => assignDraft(context, this.view, { job, members }));
	}

	/** Confirms the rotation's pick for a job: the members in turn on this device. */
	assignInTurn(job: string): Promise<Result> {
		const members = inTurnOf(this.inTurn(job));
		if (members.length === 0) {
			return Promise.resolve({ ok: false, field: 'members', messageKey: 'work_nobody_in_turn' });
		}
		return this.assign(job, members);
	}

	start(job: string): Promise<Result> {
		const member = this.#me ?? '';
		return this.#host.write((context) => startDraft(context, this.view, { job, member }));
	}

	/**
	 * Completes the member's part of a job or a shift sign-up with the minutes worked. The work
	 * ended at `endedAt`, or (null) now: the device's time as the record is signed.
	 */
	complete(target: string, minutes: number, endedAt: number | null): Promise<Result> {
		const member = this.#me ?? '';
		return this.#host.write((context) =>
			completeDraft(context, this.view, {
				target,
				member,
				minutes,
				endedAt: endedAt ?? wallOf(context.at)
			})
		);
	}

	cancel(target: string, reason: string): Promise<Result> {
		return this.#host.write((context) => cancelDraft(context, this.view, { target, reason }));
	}

	release(target: string, reason: string): Promise<Result> {
		const member = this.#me ?? '';
		return this.#host.write((context) =>
			releaseDraft(context, this.view, { target, member, reason })
		);
	}

	/** What "I can't work" would hand back from now on: jobs held and sign-ups, not done. */
	comingWork(from = Date.now()): ScheduleItem[] {
		return this.schedule(from).filter((item) => !item.done && item.startsAt >= from);
	}

	/** "I can't work": hands back every coming job and shift in one record. */
	releaseAll(reason: string, from = Date.now()): Promise<Result> {
		if (this.comingWork(from).length === 0) {
			return Promise.resolve({ ok: false, field: '', messageKey: 'work_nothing_to_hand_back' });
		}
		return this.#host.write((context) => releaseAllDraft(context, { from, reason }));
	}

	async layOut(input: ShiftInput): Promise<Result<{ readonly id: string }>> {
		const result = await this.#host.write((context) => shiftDraft(context, input));
		return result.ok ? { ok: true, id: result.ids[0]! } : inOwnWords(result);
	}

	/** Takes a slot of an occurrence, if one is free and the member may take on the work. */
	signUp(occurrence: Occurrence): Promise<Result> {
		const member = this.#me ?? '';
		const { shift, date, startsAt, endsAt } = occurrence;
		if (this.mySignup(shift.id, date) !== undefined) {
			return Promise.resolve({ ok: false, field: '', messageKey: 'work_already_signed_up' });
		}
		if (occurrence.free <= 0) {
			return Promise.resolve({ ok: false, field: '', messageKey: 'work_shift_full' });
		}
		const minutes = Math.floor((endsAt - startsAt) / 60_000);
		const unfit = this.#unfit(member, { startsAt, endsAt, minutes, skills: shift.skills });
		if (unfit !== null) return Promise.resolve(unfit);
		return this.#host.write((context) => signupDraft(context, { shift: shift.id, date }));
	}

	setAvailability(input: AvailabilityBody): Promise<Result> {
		return this.#host.write((context) => availabilityDraft(context, input));
	}
}

/** The first instant of the device's day `days` from today. */
export function dayStart(now: number, days = 0): number {
	const date = new Date(now);
	date.setHours(0, 0, 0, 0);
	date.setDate(date.getDate() + days);
	return date.getTime();
}

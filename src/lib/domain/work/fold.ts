import type { Verified } from '../kernel/envelope';
import { wallOf, type Stamp } from '../kernel/hlc';
import {
	ACCEPTED,
	rejected,
	UnexpectedEffectError,
	UnexpectedWaitError,
	type AreaFold,
	type FoldContext,
	type Outcome,
	type Settled,
	type Use,
	type Wait
} from '../kernel/module';
import type { RuleReason } from '../kernel/reasons';
import { MEMBERSHIP, type MembershipQueries } from '../membership/queries';
import { SKILLS, type SkillsQueries } from '../reputation/queries';
import { SETTINGS, type SettingsQueries } from '../settings/queries';
import {
	addDays,
	daysBetween,
	MINUTE_MS,
	minutesOfDay,
	periodOf,
	weekdayOf,
	zonedInstant
} from './calendar';
import type { WorkEffect } from './effects';
import { Hours, minutesBetween, type Load } from './hours';
import type { CompletedWork, JobTeam, WorkQueries } from './queries';
import type { WorkRecord } from './records';
import { inTurnOf, rank, rotationRanking, unfit, type Facts, type Need } from './rotation';
import {
	cloneJob,
	cloneShift,
	cloneSignup,
	freePlaces,
	jobClosed,
	type AvailabilityDraft,
	type Candidate,
	type Done,
	type JobDraft,
	type ShiftDraft,
	type SignupDraft,
	type Why
} from './state';

/**
 * The work rules, applied in (at, id) order once the kernel has resolved the author to an active
 * member: jobs are posted, offered for, assigned by the co-op's rule, started, completed,
 * cancelled and handed back; shifts are laid out and signed up for; members say when they are
 * available. Every assignment keeps why it was made (the rule, who was considered, their hours,
 * the ranking), computed from the records before it. See docs/work.md.
 */

export class WorkFold implements AreaFold, WorkQueries {
	version = 0;
	readonly jobs: Map<string, JobDraft>;
	readonly shifts: Map<string, ShiftDraft>;
	readonly signups: Map<string, SignupDraft>;
	readonly availability: Map<string, AvailabilityDraft>;
	/** Completions in fold order. */
	readonly completions: CompletedWork[];
	/** Member -> ids of the jobs they are assigned to and the sign-ups they hold (live or done). */
	readonly #itemsOf: Map<string, Set<string>>;
	readonly hours: Hours;
	/** Per period (`YYYY-MM`), the members who wanted work in it: offered, held or signed up. */
	readonly wanted: Map<string, Set<string>>;
	/** Ids of the jobs posted or changed, in order, since this copy was made (for the view). */
	readonly touched: string[] = [];
	/** Ids of the sign-ups made or changed, in order, since this copy was made (for the view). */
	readonly touchedSignups: string[] = [];
	/**
	 * Items this copy may change in place. Copies share items until one changes them: the first
	 * change copies the item (see `#job`), so a checkpoint costs a copy of the maps, not of
	 * every job.
	 */
	#owned = new WeakSet<object>();
	readonly #members: MembershipQueries;
	readonly #settings: SettingsQueries;
	readonly #skills: SkillsQueries;

	constructor(use: Use, from?: WorkFold) {
		this.#members = use(MEMBERSHIP);
		this.#settings = use(SETTINGS);
		this.#skills = use(SKILLS);
		this.version = from?.version ?? 0;
		this.jobs = new Map(from?.jobs);
		this.shifts = new Map(from?.shifts);
		this.signups = new Map(from?.signups);
		this.wanted = new Map(
			[...(from?.wanted ?? [])].map(([period, members]) => [period, new Set(members)])
		);
		this.availability = new Map(from?.availability);
		this.completions = [...(from?.completions ?? [])];
		this.#itemsOf = new Map(from === undefined ? [] : from.#itemsOf);
		this.hours = from === undefined ? new Hours() : from.hours.clone();
	}

	clone(use: Use): WorkFold {
		// From now on both copies share every item: neither may change one in place.
		this.#owned = new WeakSet();
		return new WorkFold(use, this);
	}

	/** The job, as an item this copy may change. */
	#job(id: string): JobDraft | undefined {
		return this.#own(this.jobs, id, cloneJob);
	}

	#signupOf(id: string): SignupDraft | undefined {
		return this.#own(this.signups, id, cloneSignup);
	}

	#shiftOf(id: string): ShiftDraft | undefined {
		return this.#own(this.shifts, id, cloneShift);
	}

	#own<T extends object>(items: Map<string, T>, id: string, copy: (item: T) => T): T | undefined {
		const item = items.get(id);
		if (item === undefined || this.#owned.has(item)) return item;
		const mine = copy(item);
		items.set(id, mine);
		this.#owned.add(mine);
		return mine;
	}

	#touch(job: JobDraft): void {
		job.rev++;
		this.touched.push(job.id);
	}

	#touchSignup(signup: SignupDraft): void {
		signup.rev++;
		this.touchedSignups.push(signup.id);
	}

	#want(member: string, startsAt: number): void {
		const period = periodOf(startsAt);
		let members = this.wanted.get(period);
		if (members === undefined) this.wanted.set(period, (members = new Set()));
		members.add(member);
	}

	apply(entry: Verified<WorkRecord>, author: string | null, context: FoldContext): Outcome {
		const outcome = this.#judge(entry, author!, context);
		if (outcome.kind === 'accepted') this.version++;
		return outcome;
	}

	settle(wait: Wait): Settled {
		throw new UnexpectedWaitError(`work waits only through the kernel (${wait.on})`);
	}

	/**
	 * A mentoring session, counted as work hours of both members (a load done at its end, pay 0)
	 * if the co-op decided so by then; true if it was counted.
	 */
	effect(effect: { readonly type: string }): boolean {
		if (effect.type !== 'work.mentoring') {
			throw new UnexpectedEffectError(`work applies no effect ${effect.type}`);
		}
		const session = effect as WorkEffect;
		if (!this.#settings.governed().mentoringCountsAsWork) return false;
		for (const member of session.members) {
			this.hours.count(member, { minutes: session.minutes, at: session.endedAt, done: true }, 1);
			this.completions.push({
				item: session.session,
				kind: 'mentoring',
				member,
				minutes: session.minutes,
				pay: 0,
				endedAt: session.endedAt,
				period: periodOf(session.endedAt),
				record: session.session
			});
		}
		this.version++;
		return true;
	}

	completedWork(from: number, until: number): CompletedWork[] {
		return this.completions.filter((work) => work.endedAt >= from && work.endedAt < until);
	}

	jobTeam(id: string): JobTeam | undefined {
		const job = this.jobs.get(id);
		if (job === undefined) return undefined;
		return {
			completed: job.completedAt !== null && job.cancelled === null,
			members: job.assignees.filter((a) => a.done !== null).map((a) => a.member),
			dispatchers: [
				...new Set(
					job.whys.filter((why) => why.rule === 'assign' && why.by !== null).map((why) => why.by!)
				)
			]
		};
	}

	#judge(entry: Verified<WorkRecord>, member: string, context: FoldContext): Outcome {
		const { record } = entry;
		switch (record.type) {
			case 'work.job':
				return this.#post(entry.id, record, member);
			case 'work.claim':
				return context.after(record.job) ?? this.#claim(entry.id, record, member);
			case 'work.assign':
				return context.after(record.job) ?? this.#assign(entry.id, record, member);
			case 'work.start':
				return context.after(record.job) ?? this.#start(record, member);
			case 'work.complete':
				return context.after(record.target) ?? this.#complete(entry.id, record, member);
			case 'work.cancel':
				return context.after(record.target) ?? this.#cancel(entry.id, record, member);
			case 'work.release':
				return (
					(record.target === '' ? null : context.after(record.target)) ??
					this.#release(entry.id, record, member)
				);
			case 'work.shift':
				return this.#shift(entry.id, record, member);
			case 'work.signup':
				return context.after(record.shift) ?? this.#signup(entry.id, record, member);
			case 'work.availability':
				return this.#available(record, member);
			default:
				return record satisfies never;
		}
	}

	// Jobs.

	#post(id: string, record: WorkRecord<'work.job'>, member: string): Outcome {
		const job: JobDraft = {
			title: record.title,
			details: record.details,
			client: record.client,
			place: record.place,
			startsAt: record.startsAt,
			endsAt: record.endsAt,
			window: record.window,
			minutes: record.minutes,
			pay: record.pay,
			skills: record.skills,
			people: record.people,
			id,
			poster: member,
			at: record.at,
			rule: this.#settings.governed().assignmentRule,
			offers: [],
			assignees: [],
			released: [],
			whys: [],
			startedAt: null,
			completedAt: null,
			cancelled: null,
			rev: 0
		};
		this.jobs.set(id, job);
		this.#owned.add(job);
		this.touched.push(id);
		return ACCEPTED;
	}

	#claim(id: string, record: WorkRecord<'work.claim'>, member: string): Outcome {
		const job = this.#job(record.job);
		if (job === undefined) return rejected('unknown-item', 'names no job');
		if (jobClosed(job)) return rejected('job-closed');
		if (wallOf(record.at) >= job.endsAt) return rejected('too-late', 'the job has ended');
		if (job.assignees.some((assignee) => assignee.member === member)) {
			return rejected('duplicate', 'already assigned');
		}
		if (job.offers.some((offer) => offer.member === member)) {
			return rejected('duplicate', 'already offered');
		}
		const unfit = this.#unfit(member, job, { weekly: job.rule === 'claim' && freePlaces(job) > 0 });
		if (unfit !== null) return rejected(unfit);
		job.offers.push({ member, at: record.at, id });
		this.#want(member, job.startsAt);
		this.#touch(job);
		if (job.rule === 'claim') this.#promote(job, id, record.at);
		return ACCEPTED;
	}

	#assign(id: string, record: WorkRecord<'work.assign'>, author: string): Outcome {
		const job = this.#job(record.job);
		if (job === undefined) return rejected('unknown-item', 'names no job');
		if (jobClosed(job)) return rejected('job-closed');
		if (freePlaces(job) === 0) return rejected('job-taken', 'every place is taken');
		switch (job.rule) {
			case 'claim':
				return rejected('wrong-rule', 'claimed jobs go to the first claims');
			case 'rotation': {
				const ranking = rotationRanking(this.#facts, job);
				const picks = inTurnOf(ranking);
				if (picks.length === 0) return rejected('not-in-turn', 'no member is eligible');
				if (picks.join(' ') !== record.members.join(' ')) {
					return rejected('not-in-turn', `in turn: ${picks.join(' ')}`);
				}
				this.#give(job, picks, { id, at: record.at, by: author, candidates: ranking });
				return ACCEPTED;
			}
			case 'assign': {
				if (!this.#settings.governed().dispatchers.includes(author)) {
					return rejected('not-dispatcher');
				}
				if (record.members.length > freePlaces(job)) {
					return rejected('job-taken', 'more members than free places');
				}
				for (const member of record.members) {
					if (job.assignees.some((assignee) => assignee.member === member)) {
						return rejected('duplicate', 'already assigned');
					}
					const unfit = this.#unfit(member, job, { weekly: true });
					if (unfit !== null) return rejected(unfit, member);
				}
				const chosen = new Set(record.members);
				const considered = [
					...record.members,
					...job.offers.map((offer) => offer.member).filter((member) => !chosen.has(member))
				];
				this.#give(job, record.members, {
					id,
					at: record.at,
					by: author,
					candidates: rank(this.#facts, job, considered, chosen)
				});
				return ACCEPTED;
			}
			default:
				return job.rule satisfies never;
		}
	}

	#start(record: WorkRecord<'work.start'>, member: string): Outcome {
		const job = this.#job(record.job);
		if (job === undefined) return rejected('unknown-item', 'names no job');
		if (jobClosed(job)) return rejected('job-closed');
		const assignee = job.assignees.find((candidate) => candidate.member === member);
		if (assignee === undefined) return rejected('not-assigned');
		if (assignee.startedAt !== null) return rejected('duplicate', 'already started');
		assignee.startedAt = record.at;
		job.startedAt ??= record.at;
		this.#touch(job);
		return ACCEPTED;
	}

	#complete(id: string, record: WorkRecord<'work.complete'>, member: string): Outcome {
		const job = this.#job(record.target);
		if (job !== undefined) return this.#completeJob(id, job, record, member);
		const signup = this.#signupOf(record.target);
		if (signup !== undefined) return this.#completeSignup(id, signup, record, member);
		return rejected('unknown-item', 'names no job or sign-up');
	}

	#completeJob(
		id: string,
		job: JobDraft,
		record: WorkRecord<'work.complete'>,
		member: string
	): Outcome {
		if (jobClosed(job)) return rejected('job-closed');
		const assignee = job.assignees.find((candidate) => candidate.member === member);
		if (assignee === undefined) return rejected('not-assigned');
		if (assignee.done !== null) return rejected('duplicate', 'already completed');
		const wrong = this.#wrongHours(member, job.startsAt, job.endsAt, record);
		if (wrong !== null) return wrong;
		const done: Done = { minutes: record.minutes, endedAt: record.endedAt, at: record.at, id };
		this.#recount(member, this.#jobLoad(job, assignee.done), this.#jobLoad(job, done));
		assignee.done = done;
		job.startedAt ??= record.at;
		if (job.assignees.every((candidate) => candidate.done !== null)) job.completedAt = record.at;
		this.#touch(job);
		this.#completed(job.id, 'job', member, done, job.pay);
		return ACCEPTED;
	}

	#completeSignup(
		id: string,
		signup: SignupDraft,
		record: WorkRecord<'work.complete'>,
		member: string
	): Outcome {
		if (signup.member !== member) return rejected('not-assigned');
		if (signup.released !== null || signup.cancelled !== null) return rejected('job-closed');
		if (signup.done !== null) return rejected('duplicate', 'already completed');
		const wrong = this.#wrongHours(member, signup.startsAt, signup.endsAt, record);
		if (wrong !== null) return wrong;
		const done: Done = { minutes: record.minutes, endedAt: record.endedAt, at: record.at, id };
		this.#recount(member, signupLoad(signup), {
			minutes: done.minutes,
			at: done.endedAt,
			done: true
		});
		signup.done = done;
		this.#touchSignup(signup);
		this.#completed(signup.id, 'shift', member, done, signup.pay);
		return ACCEPTED;
	}

	/** Hours that cannot be: beyond the item's time, ending before it began, over 24 h a day. */
	#wrongHours(
		member: string,
		startsAt: number,
		endsAt: number,
		record: WorkRecord<'work.complete'>
	): Outcome | null {
		if (record.minutes > minutesBetween(startsAt, endsAt)) {
			return rejected('bad-hours', 'more minutes than the time it was planned for');
		}
		if (record.endedAt - record.minutes * MINUTE_MS < startsAt) {
			return rejected('bad-hours', 'the work would have begun before its start');
		}
		if (this.hours.doneOnDayOf(member, record.endedAt) + record.minutes > 24 * 60) {
			return rejected('over-daily-hours');
		}
		return null;
	}

	#completed(item: string, kind: 'job' | 'shift', member: string, done: Done, pay: number): void {
		this.completions.push({
			item,
			kind,
			member,
			minutes: done.minutes,
			pay,
			endedAt: done.endedAt,
			period: periodOf(done.endedAt),
			record: done.id
		});
	}

	#cancel(id: string, record: WorkRecord<'work.cancel'>, member: string): Outcome {
		const cancellation = { member, at: record.at, id, reason: record.reason };
		const dispatcher = this.#settings.governed().dispatchers.includes(member);
		const job = this.#job(record.target);
		if (job !== undefined) {
			if (job.poster !== member && !dispatcher) return rejected('not-poster');
			if (jobClosed(job)) return rejected('job-closed');
			for (const assignee of job.assignees) {
				if (assignee.done === null) this.#recount(assignee.member, this.#jobLoad(job, null), null);
			}
			job.cancelled = cancellation;
			this.#touch(job);
			return ACCEPTED;
		}
		const shift = this.#shiftOf(record.target);
		if (shift !== undefined) {
			if (shift.poster !== member && !dispatcher) return rejected('not-poster');
			if (shift.cancelled !== null) return rejected('job-closed');
			shift.cancelled = cancellation;
			// Occurrences still to come go; those begun stay, to be completed.
			for (const ids of shift.bookings.values()) {
				for (const signupId of ids) {
					const signup = this.#signupOf(signupId)!;
					if (signup.startsAt < wallOf(record.at) || signup.done !== null) continue;
					this.#recount(signup.member, signupLoad(signup), null);
					signup.cancelled = cancellation;
					this.#touchSignup(signup);
				}
			}
			shift.rev++;
			return ACCEPTED;
		}
		return rejected('unknown-item', 'names no job or shift');
	}

	#release(id: string, record: WorkRecord<'work.release'>, member: string): Outcome {
		const release = { member, at: record.at, id, reason: record.reason };
		if (record.target === '') {
			let count = 0;
			for (const item of this.#itemsOf.get(member) ?? []) {
				const job = this.#job(item);
				if (job !== undefined) {
					const assignee = job.assignees.find((candidate) => candidate.member === member);
					if (jobClosed(job) || assignee?.done !== null || job.startsAt < record.from) continue;
					this.#handBackJob(job, member, release);
					count++;
					continue;
				}
				const signup = this.#signupOf(item)!;
				if (!signupLive(signup) || signup.startsAt < record.from) continue;
				this.#handBackSignup(signup, release);
				count++;
			}
			return count > 0 ? ACCEPTED : rejected('not-assigned', 'nothing to hand back');
		}
		const job = this.#job(record.target);
		if (job !== undefined) {
			if (jobClosed(job)) return rejected('job-closed');
			const assignee = job.assignees.find((candidate) => candidate.member === member);
			if (assignee === undefined) return rejected('not-assigned');
			if (assignee.done !== null) return rejected('job-closed', 'already completed');
			this.#handBackJob(job, member, release);
			return ACCEPTED;
		}
		const signup = this.#signupOf(record.target);
		if (signup !== undefined) {
			if (signup.member !== member) return rejected('not-assigned');
			if (!signupLive(signup)) return rejected('job-closed');
			this.#handBackSignup(signup, release);
			return ACCEPTED;
		}
		return rejected('unknown-item', 'names no job or sign-up');
	}

	#handBackJob(job: JobDraft, member: string, release: JobDraft['released'][number]): void {
		this.#recount(member, this.#jobLoad(job, null), null);
		job.assignees = job.assignees.filter((assignee) => assignee.member !== member);
		job.offers = job.offers.filter((offer) => offer.member !== member);
		job.released.push(release);
		this.#itemsOfMember(member).delete(job.id);
		this.#touch(job);
		// Under the claim rule the place goes to the next standing offer, in record order.
		if (job.rule === 'claim') this.#promote(job, release.id, release.at);
	}

	#handBackSignup(signup: SignupDraft, release: JobDraft['released'][number]): void {
		this.#recount(signup.member, signupLoad(signup), null);
		signup.released = release;
		this.#touchSignup(signup);
		const shift = this.#shiftOf(signup.shift)!;
		const booked = shift.bookings.get(signup.date) ?? [];
		shift.bookings.set(
			signup.date,
			booked.filter((other) => other !== signup.id)
		);
		shift.rev++;
		this.#itemsOfMember(signup.member).delete(signup.id);
	}

	// Shifts.

	#shift(id: string, record: WorkRecord<'work.shift'>, member: string): Outcome {
		const { v, type, coop, author, at, sig, ...body } = record;
		void [v, type, coop, author, sig];
		const shift: ShiftDraft = {
			...body,
			id,
			poster: member,
			at,
			cancelled: null,
			bookings: new Map(),
			rev: 0
		};
		this.shifts.set(id, shift);
		this.#owned.add(shift);
		return ACCEPTED;
	}

	#signup(id: string, record: WorkRecord<'work.signup'>, member: string): Outcome {
		const shift = this.#shiftOf(record.shift);
		if (shift === undefined) return rejected('unknown-item', 'names no shift');
		if (shift.cancelled !== null) return rejected('job-closed', 'the shift was cancelled');
		const { date } = record;
		if (
			!shift.weekdays.includes(weekdayOf(date)) ||
			daysBetween(shift.firstDate, date) < 0 ||
			(shift.lastDate !== '' && daysBetween(date, shift.lastDate) < 0)
		) {
			return rejected('not-an-occurrence');
		}
		const { startsAt, endsAt } = occurrenceTimes(shift, date);
		if (wallOf(record.at) >= endsAt) return rejected('too-late', 'the occurrence has ended');
		const booked = shift.bookings.get(date) ?? [];
		if (booked.some((other) => this.signups.get(other)!.member === member)) {
			return rejected('duplicate', 'already signed up');
		}
		if (booked.length >= shift.slots) return rejected('shift-full');
		const need: Need = {
			startsAt,
			endsAt,
			minutes: minutesBetween(startsAt, endsAt),
			skills: shift.skills
		};
		const unfit = this.#unfit(member, need, { weekly: true });
		if (unfit !== null) return rejected(unfit);
		const signup: SignupDraft = {
			id,
			shift: shift.id,
			date,
			member,
			at: record.at,
			startsAt,
			endsAt,
			pay: shift.pay,
			released: null,
			cancelled: null,
			done: null,
			rev: 0
		};
		this.signups.set(id, signup);
		this.#owned.add(signup);
		this.touchedSignups.push(id);
		this.#want(member, startsAt);
		shift.bookings.set(date, [...booked, id]);
		shift.rev++;
		this.#recount(member, null, signupLoad(signup));
		this.#hold(member, id);
		return ACCEPTED;
	}

	#available(record: WorkRecord<'work.availability'>, member: string): Outcome {
		const windows: [number, number][][] = Array.from({ length: 8 }, () => []);
		for (const window of record.weekly) {
			windows[window.day]!.push([minutesOfDay(window.start), minutesOfDay(window.end)]);
		}
		this.availability.set(member, {
			timeZone: record.timeZone,
			windows,
			weekly: record.weekly,
			off: record.off,
			at: record.at
		});
		return ACCEPTED;
	}

	// Assignment.

	/** The co-op's facts the assignment rules read, at this point of the order. */
	readonly #facts: Facts = {
		isActive: (member) => this.#members.isActive(member),
		isQualified: (member, skill) => this.#skills.isQualified(member, skill),
		offOf: (member) => this.availability.get(member)?.off ?? [],
		inPeriod: (member, period) => this.hours.inPeriod(member, period),
		inWeekOf: (member, instant) => this.hours.inWeekOf(member, instant),
		maxWeeklyMinutes: () => this.#settings.governed().maxWeeklyHours * 60,
		availability: () => this.availability
	};

	#unfit(member: string, need: Need, options: { readonly weekly: boolean }): RuleReason | null {
		return unfit(this.#facts, member, need, options);
	}

	/** Under the claim rule: standing offers, in record order, fill the free places. */
	#promote(job: JobDraft, id: string, at: Stamp): void {
		const candidates: Candidate[] = [];
		const chosen: string[] = [];
		let rank = 0;
		for (const offer of job.offers) {
			if (job.assignees.some((assignee) => assignee.member === offer.member)) continue;
			const excluded = this.#unfit(offer.member, job, { weekly: true });
			const take = excluded === null && chosen.length < freePlaces(job);
			if (take) chosen.push(offer.member);
			candidates.push({
				member: offer.member,
				minutes: this.hours.inPeriod(offer.member, periodOf(job.startsAt)),
				offeredAt: offer.at,
				rank: excluded === null ? ++rank : 0,
				excluded,
				chosen: take
			});
		}
		if (chosen.length === 0) return;
		candidates.sort((a, b) => (a.rank === 0 ? 1 : 0) - (b.rank === 0 ? 1 : 0));
		this.#give(job, chosen, { id, at, by: null, candidates });
	}

	#give(
		job: JobDraft,
		members: readonly string[],
		why: { id: string; at: Stamp; by: string | null; candidates: readonly Candidate[] }
	): void {
		for (const member of members) {
			job.assignees.push({ member, at: why.at, by: why.id, startedAt: null, done: null });
			this.#want(member, job.startsAt);
			this.#recount(member, null, this.#jobLoad(job, null));
			this.#hold(member, job.id);
		}
		const record: Why = {
			id: why.id,
			at: why.at,
			rule: job.rule,
			period: periodOf(job.startsAt),
			by: why.by,
			chosen: [...members],
			candidates: why.candidates
		};
		job.whys.push(record);
		this.#touch(job);
	}

	#hold(member: string, item: string): void {
		this.#itemsOfMember(member).add(item);
	}

	/** The member's set of items, as one this copy may change (copied first if shared). */
	#itemsOfMember(member: string): Set<string> {
		let items = this.#itemsOf.get(member);
		if (items === undefined || !this.#owned.has(items)) {
			items = new Set(items);
			this.#itemsOf.set(member, items);
			this.#owned.add(items);
		}
		return items;
	}

	#jobLoad(job: JobDraft, done: Done | null): Load {
		return done === null
			? { minutes: job.minutes, at: job.startsAt, done: false }
			: { minutes: done.minutes, at: done.endedAt, done: true };
	}

	#recount(member: string, before: Load | null, after: Load | null): void {
		if (before !== null) this.hours.count(member, before, -1);
		if (after !== null) this.hours.count(member, after, 1);
	}
}

/** A sign-up that still stands: not handed back, not cancelled, not done. */
function signupLive(signup: SignupDraft): boolean {
	return signup.released === null && signup.cancelled === null && signup.done === null;
}

function signupLoad(signup: SignupDraft): Load {
	return signup.done === null
		? { minutes: minutesBetween(signup.startsAt, signup.endsAt), at: signup.startsAt, done: false }
		: { minutes: signup.done.minutes, at: signup.done.endedAt, done: true };
}

/** Start and end of a shift's occurrence on a local date; an end not after the start is next day. */
export function occurrenceTimes(
	shift: Pick<ShiftDraft, 'startTime' | 'endTime' | 'timeZone'>,
	date: string
): { startsAt: number; endsAt: number } {
	const startsAt = zonedInstant(date, shift.startTime, shift.timeZone);
	const overnight = minutesOfDay(shift.endTime) <= minutesOfDay(shift.startTime);
	const endsAt = zonedInstant(overnight ? addDays(date, 1) : date, shift.endTime, shift.timeZone);
	return { startsAt, endsAt };
}

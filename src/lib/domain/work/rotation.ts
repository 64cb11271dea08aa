import type { RuleReason } from '../kernel/reasons';
import { localParts, periodOf } from './calendar';
import type { Candidate, Offer } from './state';

/**
 * Who may take on a piece of work, and the rotation's ranking: pure functions of the facts
 * below, so the fold (which checks an assignment) and any device's view (which proposes one)
 * compute the same thing from the same records. See docs/work.md, "Rotation".
 */

/** What a job or a shift occurrence asks of whoever takes it. */
export interface Need {
	readonly startsAt: number;
	readonly endsAt: number;
	readonly minutes: number;
	readonly skills: readonly string[];
}

/** The job as the ranking reads it. */
export interface RankedJob extends Need {
	readonly people: number;
	readonly offers: readonly Offer[];
	readonly assignees: readonly { readonly member: string }[];
	readonly released: readonly { readonly member: string }[];
}

/** Weekly windows by weekday (index 1 to 7), as [start, end) minutes of the day. */
export type Windows = readonly (readonly (readonly [number, number])[])[];

/** What the rules need to know of the co-op at this point of the order. */
export interface Facts {
	isActive(member: string): boolean;
	/** Whether the member is qualified for a skill (see the skills area's `isQualified`). */
	isQualified(member: string, skill: string): boolean;
	offOf(member: string): readonly { readonly from: number; readonly until: number }[];
	/** Minutes in a period (`YYYY-MM`). */
	inPeriod(member: string, period: string): number;
	/** Minutes in the week of an instant. */
	inWeekOf(member: string, instant: number): number;
	/** The co-op's weekly limit in minutes; 0 for none. */
	maxWeeklyMinutes(): number;
	/** Members' weekly availability: member -> time zone and windows. */
	availability(): Iterable<
		readonly [string, { readonly timeZone: string; readonly windows: Windows }]
	>;
}

/**
 * Why a member cannot take on `need` now, or `null`: not active, not qualified for a skill it
 * needs (skills compare without case), is on time off during it, or (with `weekly`) it would take them past
 * the co-op's weekly hours.
 */
export function unfit(
	facts: Facts,
	member: string,
	need: Need,
	options: { readonly weekly: boolean }
): RuleReason | null {
	if (!facts.isActive(member)) return 'not-a-member';
	if (!need.skills.every((skill) => facts.isQualified(member, skill))) return 'missing-skills';
	if (facts.offOf(member).some((off) => off.from < need.endsAt && need.startsAt < off.until)) {
		return 'unavailable';
	}
	const limit = facts.maxWeeklyMinutes();
	if (options.weekly && limit > 0 && facts.inWeekOf(member, need.startsAt) + need.minutes > limit) {
		return 'over-weekly-hours';
	}
	return null;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks `considered` for `job`: eligible members by fewest minutes in the job's period, then
 * earliest offer (an offer before none), then member id; those not eligible follow, with why.
 * `chosen`: a dispatcher's choice (marked whatever their rank); `null`: the top ones, as many
 * as there are free places.
 */
export function rank(
	facts: Facts,
	job: RankedJob,
	considered: readonly string[],
	chosen: ReadonlySet<string> | null
): Candidate[] {
	const period = periodOf(job.startsAt);
	const offers = new Map(job.offers.map((offer, index) => [offer.member, { offer, index }]));
	const rows = considered.map((member) => ({
		member,
		minutes: facts.inPeriod(member, period),
		offer: offers.get(member) ?? null,
		excluded: unfit(facts, member, job, { weekly: true })
	}));
	const eligible = rows.filter((row) => row.excluded === null);
	eligible.sort(
		(a, b) =>
			a.minutes - b.minutes ||
			(a.offer?.index ?? Infinity) - (b.offer?.index ?? Infinity) ||
			byId(a.member, b.member)
	);
	const places = job.people - job.assignees.length;
	const ranked = eligible.map((row, index) => ({
		member: row.member,
		minutes: row.minutes,
		offeredAt: row.offer?.offer.at ?? null,
		rank: index + 1,
		excluded: null,
		chosen: chosen === null ? index < places : chosen.has(row.member)
	}));
	const others = rows
		.filter((row) => row.excluded !== null)
		.map((row) => ({
			member: row.member,
			minutes: row.minutes,
			offeredAt: row.offer?.offer.at ?? null,
			rank: 0,
			excluded: row.excluded,
			chosen: false
		}));
	return [...ranked, ...others];
}

/**
 * The rotation's ranking for a job: who offered (in record order), then who is available by
 * the week at its start (their weekly windows hold its start, in their time zone), less those
 * holding it and those who handed it back.
 */
export function rotationRanking(facts: Facts, job: RankedJob): Candidate[] {
	const considered: string[] = job.offers.map((offer) => offer.member);
	const seen = new Set(considered);
	for (const assignee of job.assignees) seen.add(assignee.member);
	for (const release of job.released) seen.add(release.member);
	const local = new Map<string, { weekday: number; minute: number }>();
	const available: string[] = [];
	for (const [member, { timeZone, windows }] of facts.availability()) {
		if (seen.has(member)) continue;
		let at = local.get(timeZone);
		if (at === undefined) local.set(timeZone, (at = localParts(job.startsAt, timeZone)));
		const { minute } = at;
		if (windows[at.weekday]!.some(([from, to]) => from <= minute && minute < to)) {
			available.push(member);
		}
	}
	available.sort(byId);
	return rank(facts, job, [...considered, ...available], null);
}

/** The members in turn: the top eligible ones, as many as there are free places, ascending. */
export function inTurnOf(ranking: readonly Candidate[]): string[] {
	return ranking
		.filter((candidate) => candidate.chosen)
		.map((candidate) => candidate.member)
		.sort(byId);
}

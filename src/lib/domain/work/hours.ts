import { MINUTE_MS, periodOf, utcDay, weekOf } from './calendar';

/**
 * Minutes of work per member, counted three ways as the fold goes: per period (the UTC month,
 * for rotation and fairness), per week (for the co-op's weekly limit) and, for work done, per
 * UTC day (no one works more than 24 hours in a day). An item counts with its planned minutes at
 * its start until it is done, then with the minutes worked at its end; an item handed back or
 * cancelled before it was done stops counting.
 */

type Table = Map<string, Map<string, number>>;

/** One member's minutes: per period (`YYYY-MM`) and per week (the date of its Monday). */
export interface MemberHours {
	readonly periods: Readonly<Record<string, number>>;
	readonly weeks: Readonly<Record<string, number>>;
}

/** What an item adds to a member's hours: minutes at an instant. */
export interface Load {
	readonly minutes: number;
	/** The item's start while planned, the end of the work once done. */
	readonly at: number;
	readonly done: boolean;
}

export class Hours {
	readonly #period: Table;
	readonly #week: Table;
	readonly #day: Table;
	/** Goes up for a member whenever their minutes change. */
	readonly #revs: Map<string, number>;
	/** Goes up for a period whenever someone's minutes in it change. */
	readonly #periodRevs: Map<string, number>;

	/**
	 * The members' maps this copy may change in place. Copies share them until one changes a
	 * member's minutes: then that member's map is copied first, so a checkpoint copies only the
	 * outer maps.
	 */
	#owned = new WeakSet<Map<string, number>>();

	constructor(from?: Hours) {
		this.#period = new Map(from === undefined ? [] : from.#period);
		this.#week = new Map(from === undefined ? [] : from.#week);
		this.#day = new Map(from === undefined ? [] : from.#day);
		this.#revs = new Map(from === undefined ? [] : from.#revs);
		this.#periodRevs = new Map(from === undefined ? [] : from.#periodRevs);
	}

	/** An independent copy; from now on neither changes a shared member's map in place. */
	clone(): Hours {
		this.#owned = new WeakSet();
		return new Hours(this);
	}

	#add(table: Table, member: string, key: string, minutes: number): void {
		let byKey = table.get(member);
		if (byKey === undefined || !this.#owned.has(byKey)) {
			byKey = new Map(byKey);
			table.set(member, byKey);
			this.#owned.add(byKey);
		}
		const total = (byKey.get(key) ?? 0) + minutes;
		if (total === 0) byKey.delete(key);
		else byKey.set(key, total);
	}

	/** Counts (`sign` 1) or stops counting (`sign` -1) a member's load. */
	count(member: string, load: Load, sign: 1 | -1): void {
		const minutes = sign * load.minutes;
		this.#revs.set(member, (this.#revs.get(member) ?? 0) + 1);
		const period = periodOf(load.at);
		this.#periodRevs.set(period, (this.#periodRevs.get(period) ?? 0) + 1);
		this.#add(this.#period, member, period, minutes);
		this.#add(this.#week, member, weekOf(load.at), minutes);
		if (load.done) this.#add(this.#day, member, utcDay(load.at), minutes);
	}

	/** Minutes in the period (`YYYY-MM`). */
	inPeriod(member: string, period: string): number {
		return this.#period.get(member)?.get(period) ?? 0;
	}

	/** Minutes in the week of `instant`. */
	inWeekOf(member: string, instant: number): number {
		return this.#week.get(member)?.get(weekOf(instant)) ?? 0;
	}

	/** Minutes of work done that ended on the UTC day of `instant`. */
	doneOnDayOf(member: string, instant: number): number {
		return this.#day.get(member)?.get(utcDay(instant)) ?? 0;
	}

	/** How many times minutes in a period changed. */
	periodRevision(period: string): number {
		return this.#periodRevs.get(period) ?? 0;
	}

	/** Members whose minutes ever changed, with how many times. */
	revisions(): ReadonlyMap<string, number> {
		return this.#revs;
	}

	/** A member's minutes per period and per week (by its Monday), as plain objects. */
	of(member: string): MemberHours {
		return {
			periods: Object.fromEntries(this.#period.get(member) ?? []),
			weeks: Object.fromEntries(this.#week.get(member) ?? [])
		};
	}
}

/** Minutes between two instants. */
export function minutesBetween(from: number, until: number): number {
	return Math.floor((until - from) / MINUTE_MS);
}

/**
 * Calendar arithmetic for the work area: local dates and times in a named time zone (IANA, as
 * `Intl` knows them) made into instants, weeks and months for counting hours. Pure functions of
 * their inputs; the time zone database is the one the device's JavaScript engine carries.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/** A calendar date `YYYY-MM-DD` that exists (no 31 February), years 2000 to 2999. */
export function isLocalDate(value: string): boolean {
	const match = DATE.exec(value);
	if (match === null) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (year < 2000 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
	return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A time of day `HH:MM`, 00:00 to 23:59. */
export function isLocalTime(value: string): boolean {
	return TIME.test(value);
}

/** Minutes since midnight of a time `HH:MM` (checked by `isLocalTime`). */
export function minutesOfDay(time: string): number {
	return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatOf(zone: string): Intl.DateTimeFormat | null {
	let format = formats.get(zone);
	if (format === undefined) {
		try {
			format = new Intl.DateTimeFormat('en-US', {
				timeZone: zone,
				hourCycle: 'h23',
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
				hour: 'numeric',
				minute: 'numeric',
				second: 'numeric'
			});
		} catch {
			format = null;
		}
		formats.set(zone, format);
	}
	return format;
}

/** A time zone name the engine knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(value: string): boolean {
	return value.length <= 64 && ZONE.test(value) && formatOf(value) !== null;
}

/** The wall-clock reading of `instant` in `zone`, as if it were UTC (ms). */
function wallClock(instant: number, zone: string): number {
	const format = formatOf(zone);
	if (format === null) return instant;
	const parts: Record<string, number> = {};
	for (const part of format.formatToParts(instant)) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** Offset of `zone` from UTC at `instant`, in ms (Paris in winter: +3,600,000). */
export function zoneOffset(instant: number, zone: string): number {
	return wallClock(instant, zone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a local date and time in `zone`. A time skipped by a change to summer time is
 * read with the offset before the change (02:30 becomes 03:30); a time that happens twice is the
 * first of the two.
 */
export function zonedInstant(date: string, time: string, zone: string): number {
	const local = Date.parse(`${date}T${time}:00Z`);
	const first = local - zoneOffset(local, zone);
	const second = local - zoneOffset(first, zone);
	if (first === second) return first;
	// Near a change: prefer the earlier reading that maps back to the local time.
	const candidates = [first, second].filter((at) => wallClock(at, zone) === local);
	return candidates.length > 0 ? Math.min(...candidates) : Math.max(first, second);
}

/** The local date and weekday (1 Monday to 7 Sunday) and minute of the day of `instant` in `zone`. */
export function localParts(
	instant: number,
	zone: string
): { date: string; weekday: number; minute: number } {
	const wall = wallClock(instant, zone);
	const day = new Date(wall);
	return {
		date: day.toISOString().slice(0, 10),
		weekday: ((day.getUTCDay() + 6) % 7) + 1,
		minute: day.getUTCHours() * 60 + day.getUTCMinutes()
	};
}

/** Weekday of a local date: 1 Monday to 7 Sunday. */
export function weekdayOf(date: string): number {
	return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** The date `days` after `date`. */
export function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The keys of one UTC day: its date, its month and its week's Monday. */
interface DayKeys {
	readonly day: string;
	readonly period: string;
	readonly week: string;
}

/** Keys of recent days: the fold asks for the same few days over and over. */
const dayKeys = new Map<number, DayKeys>();
const MAX_DAYS_KEPT = 4096;

function keysOf(instant: number): DayKeys {
	const dayNumber = Math.floor(instant / DAY_MS);
	let keys = dayKeys.get(dayNumber);
	if (keys === undefined) {
		const midnight = dayNumber * DAY_MS;
		const date = new Date(midnight);
		const day = date.toISOString().slice(0, 10);
		const monday = midnight - ((date.getUTCDay() + 6) % 7) * DAY_MS;
		keys = { day, period: day.slice(0, 7), week: new Date(monday).toISOString().slice(0, 10) };
		if (dayKeys.size >= MAX_DAYS_KEPT) dayKeys.clear();
		dayKeys.set(dayNumber, keys);
	}
	return keys;
}

/** The UTC date of an instant: the day hours are counted in for the 24-hour rule. */
export function utcDay(instant: number): string {
	return keysOf(instant).day;
}

/** The period hours are counted in for rotation and fairness: the UTC month, `YYYY-MM`. */
export function periodOf(instant: number): string {
	return keysOf(instant).period;
}

/** The week the weekly limit counts in: the date of its Monday (UTC), `YYYY-MM-DD`. */
export function weekOf(instant: number): string {
	return keysOf(instant).week;
}

/** First and last instant (exclusive) of a period `YYYY-MM`. */
export function periodBounds(period: string): { from: number; until: number } {
	const year = Number(period.slice(0, 4));
	const month = Number(period.slice(5, 7));
	return { from: Date.UTC(year, month - 1, 1), until: Date.UTC(year, month, 1) };
}

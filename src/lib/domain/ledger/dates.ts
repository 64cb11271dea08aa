/**
 * Booking dates: the day a transaction belongs to, as the member chose it (`2026-06-30`), not
 * when the record was written. Plain calendar dates, compared as text; no time zone is involved.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date `YYYY-MM-DD` from 1970 on. */
export function isIsoDate(value: string): boolean {
	const match = DATE.exec(value);
	if (match === null) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (year < 1970 || month < 1 || month > 12 || day < 1) return false;
	return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first moment after the date ends, in UTC ms: a period is over once a record is stamped after it. */
export function endOfDate(date: string): number {
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	return Date.UTC(year, month - 1, day + 1);
}

/** The first moment of the date, in UTC ms. */
export function startOfDate(date: string): number {
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	return Date.UTC(year, month - 1, day);
}

/** `YYYY-MM` of a date. */
export function monthOf(date: string): string {
	return date.slice(0, 7);
}

/** The date of a UTC ms time (for a form's default "today"). */
export function isoDateOf(time: number): string {
	return new Date(time).toISOString().slice(0, 10);
}

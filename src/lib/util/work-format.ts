import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { formatTime } from './format';

/**
 * How the work pages write times and durations: a span of time ("today at 11:30 – 14:30"),
 * minutes as hours and minutes ("1 h 30 min"), and the `datetime-local` inputs' text.
 */

/** A time of day as the member's locale writes it: "11:30", "11:30 AM". */
export function formatClock(instant: number): string {
	return new Intl.DateTimeFormat(getLocale(), { timeStyle: 'short' }).format(instant);
}

/** A span from `start` to `end`, the end's date left out when it is the same day. */
export function formatSpan(start: number, end: number, now = Date.now()): string {
	const a = new Date(start);
	const b = new Date(end);
	const sameDay =
		a.getFullYear() === b.getFullYear() &&
		a.getMonth() === b.getMonth() &&
		a.getDate() === b.getDate();
	const until = sameDay ? formatClock(end) : formatTime(end, now);
	return `${formatTime(start, now)} – ${until}`;
}

/** Minutes as a person reads a duration: "45 min", "2 h", "1 h 30 min". */
export function formatMinutes(total: number): string {
	const hours = Math.floor(total / 60);
	const minutes = total % 60;
	if (hours === 0) return m.work_duration_minutes({ minutes });
	if (minutes === 0) return m.work_duration_hours({ hours });
	return m.work_duration({ hours, minutes });
}

/** `yyyy-mm-ddThh:mm` in the device's time, as `datetime-local` inputs read and write it. */
export function localInput(ms: number): string {
	const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
	return date.toISOString().slice(0, 16);
}

/** The instant a `datetime-local` input's text stands for; NaN when empty or unreadable. */
export function fromLocalInput(text: string): number {
	return text === '' ? Number.NaN : new Date(text).getTime();
}

/** A local date (`YYYY-MM-DD`) as a member reads it: "Mon 3 Dec". */
export function formatDate(date: string): string {
	return new Intl.DateTimeFormat(getLocale(), {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		timeZone: 'UTC'
	}).format(new Date(`${date}T00:00:00Z`));
}

/** A weekday (1 Monday to 7 Sunday) by name in the member's language. */
export function weekdayName(day: number, width: 'long' | 'short' = 'long'): string {
	// 2024-01-01 was a Monday.
	return new Intl.DateTimeFormat(getLocale(), { weekday: width, timeZone: 'UTC' }).format(
		new Date(Date.UTC(2024, 0, day))
	);
}

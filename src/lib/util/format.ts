import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The browser's preferred locales (`navigator.languages`), as the app gave them when it started. */
let preferred: readonly string[] = [];

/** Tells the formatters which locales the browser prefers (the root layout, at start). */
export function setPreferredLocales(locales: readonly string[]): void {
	preferred = [...locales];
}

/**
 * The locale dates, times and numbers are written in: the first of the browser's preferred
 * locales whose language is the one the app speaks (`en-GB` for English on a British browser:
 * 03/12/2026, 24-hour times), else that language alone. Messages follow the app's language
 * (`en`, `fr`); the way a date or a number is written follows the member's region, as their
 * other apps do. Tags that are not valid BCP 47 are skipped.
 */
export function formatLocale(
	language: string = getLocale(),
	locales: readonly string[] = preferred
): string {
	const wanted = language.toLowerCase();
	for (const tag of locales) {
		let canonical: string | undefined;
		try {
			canonical = Intl.getCanonicalLocales(tag)[0];
		} catch {
			continue;
		}
		if (canonical !== undefined && canonical.split('-')[0]!.toLowerCase() === wanted) {
			return canonical;
		}
	}
	return language;
}

/** Whole calendar days from `now` to `date` in the device's time zone (-1: yesterday). */
function dayOffset(date: Date, now: Date): number {
	const start = (day: Date) => Date.UTC(day.getFullYear(), day.getMonth(), day.getDate());
	return Math.round((start(date) - start(now)) / DAY_MS);
}

/**
 * A moment as a member reads it, phrased to follow a verb in either language: "today at 08:47",
 * "yesterday at 17:02", "on 3 Dec at 09:00" ("aujourd’hui à 08:47", "le 3 déc. à 09:00").
 * The words for days come from Intl.RelativeTimeFormat, dates and times from Intl.DateTimeFormat.
 */
export function formatTime(timestamp: number, now = Date.now()): string {
	const locale = formatLocale();
	const date = new Date(timestamp);
	const today = new Date(now);
	const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
	const offset = dayOffset(date, today);
	if (Math.abs(offset) <= 1) {
		const day = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(offset, 'day');
		return m.when_day_time({ day, time });
	}
	const sameYear = date.getFullYear() === today.getFullYear();
	const day = new Intl.DateTimeFormat(locale, {
		day: 'numeric',
		month: 'short',
		...(sameYear ? {} : { year: 'numeric' })
	}).format(date);
	return m.when_date_time({ date: day, time });
}

/** A moment as a short phrase relative to now ("in 3 hours", "il y a 2 jours"). */
export function formatRelative(timestamp: number, now = Date.now()): string {
	const seconds = Math.round((timestamp - now) / 1000);
	const units: [Intl.RelativeTimeFormatUnit, number][] = [
		['day', 86_400],
		['hour', 3_600],
		['minute', 60]
	];
	const format = new Intl.RelativeTimeFormat(formatLocale(), { numeric: 'auto' });
	for (const [unit, size] of units) {
		if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
	}
	return format.format(0, 'minute');
}

/** A size in bytes, in the unit a person expects (kB, MB, GB). */
export function formatBytes(bytes: number): string {
	const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return new Intl.NumberFormat(formatLocale(), {
		style: 'unit',
		unit: units[unit],
		unitDisplay: 'short',
		maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0
	}).format(value);
}

/** A public key (a device or member id) shortened for people to tell apart. */
export function shortKey(key: string): string {
	return `${key.slice(0, 8)}…`;
}

/** A member as people read them: their name, or their shortened id before they give one. */
export function memberLabel(member: { readonly id: string; readonly displayName: string }): string {
	return member.displayName || shortKey(member.id);
}

/**
 * An amount the books hold (integer minor units of `currency`, which has `digits` minor digits)
 * as the member's locale writes money (`1 234,56 €`, `€1,234.56`). Formatted from its exact
 * decimal text, never through a float, so no amount is ever shown a cent off.
 */
export function formatMoney(amount: number, currency: string, digits: number): string {
	const sign = amount < 0 ? '-' : '';
	const units = String(Math.abs(amount)).padStart(digits + 1, '0');
	const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
	return new Intl.NumberFormat(formatLocale(), {
		style: 'currency',
		currency,
		minimumFractionDigits: digits,
		maximumFractionDigits: digits
	}).format(`${sign}${decimal}` as `${number}`);
}

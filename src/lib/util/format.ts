import { getLocale } from '$lib/paraglide/runtime.js';

/** A moment as a member reads it: the time for today, the date and time otherwise. */
export function formatTime(timestamp: number, now = Date.now()): string {
	const date = new Date(timestamp);
	const sameDay = new Date(now).toDateString() === date.toDateString();
	return new Intl.DateTimeFormat(
		getLocale(),
		sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }
	).format(date);
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
	return new Intl.NumberFormat(getLocale(), {
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
	return new Intl.NumberFormat(getLocale(), {
		style: 'currency',
		currency,
		minimumFractionDigits: digits,
		maximumFractionDigits: digits
	}).format(`${sign}${decimal}` as `${number}`);
}

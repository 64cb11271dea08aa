import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';
import { avatarHue, initials } from '$lib/util/avatar';
import {
	formatLocale,
	formatMoney,
	formatRelative,
	formatTime,
	setPreferredLocales
} from '$lib/util/format';

const NOW = new Date(2026, 11, 2, 15, 30).getTime();
const at = (day: number, hour: number, minute: number, year = 2026) =>
	new Date(year, 11, day, hour, minute).getTime();

function inLocale(locale: 'en' | 'fr') {
	overwriteGetLocale(() => locale);
}

afterEach(() => {
	inLocale('en');
	setPreferredLocales([]);
});

describe('moments as people read them', () => {
	it('phrases today, yesterday, tomorrow and other days in English', () => {
		inLocale('en');
		expect(formatTime(at(2, 8, 47), NOW)).toBe('today at 8:47 AM');
		expect(formatTime(at(1, 17, 2), NOW)).toBe('yesterday at 5:02 PM');
		expect(formatTime(at(3, 9, 0), NOW)).toBe('tomorrow at 9:00 AM');
		expect(formatTime(at(9, 9, 0), NOW)).toBe('on Dec 9 at 9:00 AM');
		expect(formatTime(at(9, 9, 0, 2027), NOW)).toBe('on Dec 9, 2027 at 9:00 AM');
	});

	it('phrases them in French, to follow a verb ("Ouverte aujourd’hui à 08:47")', () => {
		inLocale('fr');
		expect(formatTime(at(2, 8, 47), NOW)).toBe('aujourd’hui à 08:47');
		expect(formatTime(at(1, 17, 2), NOW)).toBe('hier à 17:02');
		expect(formatTime(at(9, 9, 0), NOW)).toBe('le 9 déc. à 09:00');
	});

	it('reads right inside the messages that show it, in both languages', () => {
		inLocale('fr');
		expect(m.home_opened({ date: formatTime(at(2, 8, 47), NOW) })).toBe(
			'Ouverte aujourd’hui à 08:47'
		);
		expect(m.decisions_closes({ when: formatTime(at(9, 9, 0), NOW) })).toBe(
			'Se clôt le 9 déc. à 09:00'
		);
		inLocale('en');
		expect(m.home_opened({ date: formatTime(at(2, 8, 47), NOW) })).toBe(
			'Last opened today at 8:47 AM'
		);
	});

	it('says how far a moment is from now', () => {
		inLocale('en');
		expect(formatRelative(NOW + 3 * 60 * 60 * 1000, NOW)).toBe('in 3 hours');
		inLocale('fr');
		expect(formatRelative(NOW - 2 * 24 * 60 * 60 * 1000, NOW)).toBe('avant-hier');
		expect(formatRelative(NOW + 30 * 1000, NOW)).toBe('cette minute-ci');
	});
});

describe('dates and numbers in the browser’s region, words in the app’s language', () => {
	it('picks the first preferred locale of the app’s language, else the language alone', () => {
		expect(formatLocale('en', ['en-GB', 'en-US'])).toBe('en-GB');
		expect(formatLocale('en', ['fr-FR', 'en-AU'])).toBe('en-AU');
		expect(formatLocale('fr', ['en-GB', 'fr-CA'])).toBe('fr-CA');
		expect(formatLocale('fr', ['fr'])).toBe('fr');
		expect(formatLocale('en', ['de-DE'])).toBe('en');
		expect(formatLocale('en', [])).toBe('en');
		// Whatever a browser reports, a tag that is not BCP 47 is skipped, never thrown.
		expect(formatLocale('en', ['not a tag', 'EN-gb'])).toBe('en-GB');
	});

	it('writes a British browser’s dates day first with 24-hour times, an American one’s month first', () => {
		inLocale('en');
		setPreferredLocales(['en-GB', 'en']);
		expect(formatTime(at(2, 17, 2), NOW)).toBe('today at 17:02');
		expect(formatTime(at(9, 9, 0, 2027), NOW)).toBe('on 9 Dec 2027 at 09:00');
		expect(m.home_opened({ date: formatTime(at(2, 8, 47), NOW) })).toBe(
			'Last opened today at 08:47'
		);
		expect(formatMoney(123456, 'EUR', 2)).toBe('€1,234.56');
		setPreferredLocales(['en-US']);
		expect(formatTime(at(9, 9, 0, 2027), NOW)).toBe('on Dec 9, 2027 at 9:00 AM');
	});

	it('keeps French words with a Swiss or Canadian way of writing numbers', () => {
		inLocale('fr');
		setPreferredLocales(['de-CH', 'fr-CH']);
		expect(formatTime(at(1, 17, 2), NOW)).toBe('hier à 17:02');
		// Swiss French writes a decimal point; French from France a comma.
		expect(formatMoney(123456, 'CHF', 2)).toMatch(/^1\u202f234\.56\sCHF$/);
		setPreferredLocales(['fr-FR']);
		expect(formatMoney(123456, 'CHF', 2)).toMatch(/^1\u202f234,56\sCHF$/);
		setPreferredLocales(['fr-CA']);
		expect(formatTime(at(9, 9, 0), NOW)).toBe('le 9 déc. à 09 h 00');
	});
});

describe('member avatars', () => {
	it('gives a member the same colour everywhere, and different members different colours', () => {
		expect(avatarHue('key-one')).toBe(avatarHue('key-one'));
		const hues = new Set(Array.from({ length: 50 }, (_, index) => avatarHue(`member-${index}`)));
		expect(hues.size).toBeGreaterThan(30);
		for (const hue of hues) expect(hue).toBeGreaterThanOrEqual(0);
		for (const hue of hues) expect(hue).toBeLessThan(360);
	});

	it('takes up to two initials, by letters as people read them', () => {
		expect(initials('Ada Lovelace')).toBe('AL');
		expect(initials('  Bea  ')).toBe('Be');
		expect(initials('Émile Zola Dupont')).toBe('ÉD');
		expect(initials('𝒜da')).toBe('𝒜d');
		expect(initials('')).toBe('?');
	});
});

/** Every text of a message file: plain messages and each variant of a plural one. */
function texts(value: unknown, key = ''): [string, string][] {
	if (typeof value === 'string') return [[key, value]];
	if (Array.isArray(value)) return value.flatMap((item) => texts(item, key));
	if (typeof value === 'object' && value !== null) {
		return Object.entries(value).flatMap(([name, item]) =>
			name === 'declarations' || name === 'selectors' ? [] : texts(item, key || name)
		);
	}
	return [];
}

describe('French typography', () => {
	it('puts a no-break space before : ; ! ? in every French message', () => {
		const messages = JSON.parse(readFileSync('messages/fr.json', 'utf8')) as Record<
			string,
			unknown
		>;
		delete messages.$schema;
		const wrong = texts(messages).filter(([, text]) =>
			// A mark ending a clause (followed by a space or the end), not a URL scheme (stun:).
			/(?<![\u00a0\u202f]|\b(?:stun|turn|wss?|https?))[:;!?](?=\s|$)/u.test(text)
		);
		expect(wrong).toEqual([]);
	});
});

import { wallOf } from '../kernel/hlc';
import { schedule, type WorkView } from './view';

/**
 * A member's schedule (or the whole co-op's) as an iCalendar file (RFC 5545) a phone's calendar
 * can subscribe to. Each event's UID comes from the record ids (the job or sign-up, and the
 * member), so it stays the same every time the file is made and a calendar updates events in
 * place. DTSTAMP is when the item was assigned or signed up for, from its record, so the same
 * records always give the same file. Lines end with CRLF and are folded at 75 octets.
 */

const CRLF = '\r\n';

/** Text escaped as RFC 5545 3.3.11 asks: backslash, semicolon, comma, newline. */
function escapeText(text: string): string {
	return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence. */
function fold(line: string): string {
	const encoder = new TextEncoder();
	if (encoder.encode(line).length <= 75) return line;
	const parts: string[] = [];
	let current = '';
	let size = 0;
	// The first line holds 75 octets; each continuation begins with a space, leaving 74.
	let room = 75;
	for (const char of line) {
		const bytes = encoder.encode(char).length;
		if (size + bytes > room) {
			parts.push(current);
			current = '';
			size = 0;
			room = 74;
		}
		current += char;
		size += bytes;
	}
	parts.push(current);
	return parts.join(`${CRLF} `);
}

/** An instant as a UTC DATE-TIME: `20250101T093000Z`. */
function dateTime(instant: number): string {
	return new Date(instant)
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

export interface CalendarOptions {
	/** Shown as the calendar's name. */
	readonly name: string;
	/** The member whose schedule it is; `null` for every member's. */
	readonly member: string | null;
}

/** The .ics text of the schedule: every job assigned and every shift signed up for. */
export function scheduleIcs(view: WorkView, options: CalendarOptions): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Ours//Work schedule//EN',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${escapeText(options.name)}`
	];
	for (const { member, item } of schedule(view, options.member)) {
		lines.push(
			'BEGIN:VEVENT',
			`UID:${item.id}.${member}@ours.work`,
			`DTSTAMP:${dateTime(wallOf(item.at))}`,
			`DTSTART:${dateTime(item.startsAt)}`,
			`DTEND:${dateTime(item.endsAt)}`,
			`SUMMARY:${escapeText(item.title)}`
		);
		if (item.place !== '') lines.push(`LOCATION:${escapeText(item.place)}`);
		if (item.details !== '') lines.push(`DESCRIPTION:${escapeText(item.details)}`);
		lines.push(
			`CATEGORIES:${item.kind === 'job' ? 'JOB' : 'SHIFT'}`,
			'STATUS:CONFIRMED',
			'END:VEVENT'
		);
	}
	lines.push('END:VCALENDAR');
	return lines.map(fold).join(CRLF) + CRLF;
}

import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { releaseDraft } from '$lib/domain/work/commands';
import { scheduleIcs } from '$lib/domain/work/ics';
import { schedule } from '$lib/domain/work/view';
import { foundCoop, projectWorld, type Device } from './fixtures';
import { claim, HOUR, MONDAY, postJob, postShift, signup } from './work-fixtures';

/**
 * The schedule as an iCalendar file: parsed by ical.js (a maintained RFC 5545 parser), it holds
 * every job assigned and every shift signed up for, at the right times, with UIDs that stay the
 * same from one export to the next; lines end with CRLF and none is longer than 75 octets.
 */

function events(text: string) {
	const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
	return calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
}

describe('the schedule as a calendar (.ics)', () => {
	it('holds every assigned job and shift, with stable UIDs, and parses as iCalendar', async () => {
		const { world, people } = await foundCoop(3);
		const [ada, bo, cy] = people as [Device, Device, Device];
		const jobs = [
			await postJob(world, ada, {
				title: 'Deliver bread; flour, and jam',
				details: 'Back door.\nRing twice — merci !',
				place: 'Boulangerie « Le Fournil », 12 rue de la Paix, 75002 Paris, France, first floor'
			}),
			await postJob(world, ada, {
				startsAt: MONDAY + 30 * HOUR,
				endsAt: MONDAY + 32 * HOUR,
				people: 2
			})
		];
		await claim(world, bo, jobs[0]!.id);
		await claim(world, bo, jobs[1]!.id);
		await claim(world, cy, jobs[1]!.id);
		const shift = await postShift(world, ada);
		await signup(world, bo, shift.id, '2025-01-07');
		await signup(world, cy, shift.id, '2025-01-08');
		const state = await projectWorld(world);

		const all = scheduleIcs(state.work, { name: 'Bakery co-op', member: null });
		expect(all.endsWith('\r\n')).toBe(true);
		expect(all.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
		for (const line of all.split('\r\n')) {
			expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
		}
		const parsed = events(all);
		const held = schedule(state.work, null);
		expect(held).toHaveLength(5);
		expect(parsed.map((event) => event.uid).sort()).toEqual(
			held.map(({ member, item }) => `${item.id}.${member}@ours.work`).sort()
		);
		for (const { member, item } of held) {
			const event = parsed.find((candidate) => candidate.uid === `${item.id}.${member}@ours.work`)!;
			expect(event.startDate.toJSDate().getTime()).toBe(item.startsAt);
			expect(event.endDate.toJSDate().getTime()).toBe(item.endsAt);
			expect(event.summary).toBe(item.title);
		}
		const first = parsed.find((event) => event.uid.startsWith(jobs[0]!.id))!;
		expect(first.summary).toBe('Deliver bread; flour, and jam');
		expect(first.description).toBe('Back door.\nRing twice — merci !');
		expect(first.location).toContain('« Le Fournil »');
		const calendar = new ICAL.Component(ICAL.parse(all) as unknown[]);
		expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
		expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
		for (const component of calendar.getAllSubcomponents('vevent')) {
			expect(component.getFirstPropertyValue('dtstamp')).toBeTruthy();
		}

		// Bo's own calendar: only Bo's items; the same UIDs after more records arrive.
		const mine = events(scheduleIcs(state.work, { name: 'Bo', member: bo.id }));
		expect(mine.map((event) => event.uid).sort()).toEqual(
			held
				.filter((row) => row.member === bo.id)
				.map(({ item }) => `${item.id}.${bo.id}@ours.work`)
				.sort()
		);
		await world.write(
			bo,
			releaseDraft(world.advance(1000).context(bo), state.work, {
				target: jobs[1]!.id,
				member: bo.id,
				reason: ''
			})
		);
		const later = await projectWorld(world);
		const after = events(scheduleIcs(later.work, { name: 'Bo', member: bo.id }));
		expect(after.map((event) => event.uid).sort()).toEqual(
			mine
				.map((event) => event.uid)
				.filter((uid) => !uid.startsWith(jobs[1]!.id))
				.sort()
		);
		// The same records give the same file.
		expect(scheduleIcs(later.work, { name: 'Bo', member: bo.id })).toBe(
			scheduleIcs((await projectWorld(world)).work, { name: 'Bo', member: bo.id })
		);
	});
});

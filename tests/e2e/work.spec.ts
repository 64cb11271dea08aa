import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type Page } from '@playwright/test';
import ICAL from 'ical.js';
import {
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	waitForPeers,
	type Device
} from './fixtures';

const SYNC = { timeout: 30_000 };
const HOUR = 60 * 60 * 1000;

/** Ada founds `coop` and Bea joins it; each device sees both. */
async function twoMembers(browser: Browser, coop: string): Promise<[Device, Device]> {
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, coop, '/', 'Ada');
	await joinWithLink(b.page, await inviteLink(a.page), coop, 'Bea');
	for (const { page } of [a, b]) {
		await expect(await memberNames(page)).toHaveText(['Ada', 'Bea'], SYNC);
	}
	return [a, b];
}

/** Opens the Work tab (its name carries a count when work is due). */
async function openWork(page: Page): Promise<void> {
	await page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: /^Work(?! records)/ })
		.click();
	await expect(page.getByRole('heading', { level: 2, name: 'Work' })).toBeVisible();
}

/** `yyyy-mm-ddThh:mm` of now + `offset` ms in the page's time zone, as a datetime-local reads. */
function localAt(page: Page, offset: number): Promise<string> {
	return page.evaluate((offset) => {
		const ms = Date.now() + offset;
		return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
	}, offset);
}

/** Posts a job from the Work tab; returns its id (from its page's address). */
async function postJob(
	page: Page,
	job: { title: string; pay: string; startIn: number; endIn: number; place?: string }
): Promise<string> {
	await openWork(page);
	await page.getByRole('link', { name: 'Post a job' }).click();
	await page.getByLabel('What is the job?').fill(job.title);
	if (job.place) await page.getByLabel('Place').fill(job.place);
	await page.getByLabel('Starts').fill(await localAt(page, job.startIn));
	await page.getByLabel('Ends').fill(await localAt(page, job.endIn));
	await page.getByLabel(/^Pay of each person/).fill(job.pay);
	await page.getByRole('button', { name: 'Post the job' }).click();
	await expect(page.getByTestId('job-title')).toHaveText(job.title);
	return page.url().split('/').at(-1)!;
}

/** Opens a job from the Work tab's open list once it has synced. */
async function openJob(page: Page, title: string, which = /^Open/): Promise<void> {
	await openWork(page);
	await page.getByRole('group', { name: 'Show' }).getByText(which).click();
	await page.getByRole('link', { name: title, exact: true }).click(SYNC);
	await expect(page.getByTestId('job-title')).toHaveText(title);
}

async function ranking(page: Page): Promise<string[]> {
	const rows = page.getByTestId('why-ranking-0').getByTestId('why-candidate');
	return (await rows.allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
}

async function download(
	page: Page,
	button: string,
	name: RegExp,
	extension: string
): Promise<string> {
	await page.getByRole('button', { name: button }).click();
	const ready = page.getByTestId('work-file');
	await expect(ready.getByRole('status')).toContainText(extension);
	const downloading = page.waitForEvent('download');
	await ready.getByRole('link', { name: 'Download' }).click();
	const file = await downloading;
	expect(file.suggestedFilename()).toMatch(name);
	return readFile(await file.path(), 'utf8');
}

/** RFC 4180 rows of a CSV file (quoted fields with commas, doubled quotes, CRLF line ends). */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') {
				quoted = false;
			} else {
				field += c;
			}
		} else if (c === '"') {
			quoted = true;
		} else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else {
			field += c;
		}
	}
	expect(field, 'the file ends with a line end').toBe('');
	return rows;
}

test('two members: one posts, the other claims and completes with hours offline; both show the same history, "why", CSV and calendar', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const [a, b] = await twoMembers(browser, 'Coursiers Unis');
	const title = 'Deliver bread, "rue Voltaire"';
	const jobId = await postJob(a.page, {
		title,
		pay: '25.50',
		startIn: -2 * HOUR,
		endIn: 2 * HOUR,
		place: 'Bakery, 3 rue Voltaire'
	});
	await expect(a.page.getByTestId('job-pay')).toHaveText(/25\.50/);

	await openJob(b.page, title);
	await b.page.getByRole('button', { name: 'Claim this job' }).click();
	await expect(b.page.getByTestId('claim-outcome')).toHaveText('You hold this job.');
	await expect(a.page.getByTestId('holder')).toContainText('Bea', SYNC);

	// Bea's phone loses the network; she says she is done, 1 h 30 min.
	await b.context.setOffline(true);
	await expect(b.page.getByTestId('sync-state')).toHaveText(/Offline/);
	const done = b.page.getByTestId('complete');
	await done.getByLabel('Hours').fill('1');
	await done.getByLabel('Minutes').fill('30');
	await done.getByRole('button', { name: 'Mark as done' }).click();
	await expect(b.page.getByTestId('job-state')).toContainText('Completed');
	await expect(b.page.getByTestId('holder')).toContainText('1 h 30 min worked');
	await expect(a.page.getByTestId('job-state')).toContainText('Assigned');

	await b.context.setOffline(false);
	await waitForPeers(b.page);
	await expect(a.page.getByTestId('job-state')).toContainText('Completed', SYNC);
	const holderA = await a.page.getByTestId('holder').innerText();
	expect(holderA).toContain('1 h 30 min worked');
	expect(await b.page.getByTestId('holder').innerText()).toBe(holderA);

	// "Why this member?" is computed from the records: the same on both devices.
	const why = await ranking(a.page);
	expect(why).toHaveLength(1);
	expect(why[0]).toMatch(/^1 Bea chosen rank 1 · 0 min this month before this job · offered /);
	expect(await ranking(b.page)).toEqual(why);
	await expect(a.page.getByTestId('why-rule')).toHaveText(
		await b.page.getByTestId('why-rule').innerText()
	);

	// The job history lists it the same way on both.
	const histories: string[][] = [];
	for (const { page } of [a, b]) {
		await openWork(page);
		await page.getByRole('group', { name: 'Show' }).getByText('Done').click();
		const jobs = page.getByTestId('job-list').getByTestId('job');
		await expect(jobs).toHaveCount(1);
		await expect(jobs.getByTestId('job-status')).toHaveText('Completed');
		histories.push(await jobs.allInnerTexts());
	}
	expect(histories[1]).toEqual(histories[0]);

	// Jobs and hours as CSV, read back.
	await a.page.getByRole('link', { name: 'My schedule' }).click();
	const jobs = parseCsv(await download(a.page, 'Jobs (CSV)', /^jobs-.*\.csv$/, '.csv'));
	expect(jobs[0]).toEqual([
		'job',
		'title',
		'client',
		'place',
		'starts',
		'ends',
		'status',
		'rule',
		'member',
		'minutes',
		'ended',
		'pay'
	]);
	expect(jobs).toHaveLength(2);
	const row = jobs[1]!;
	expect(row[0]).toBe(jobId);
	expect(row[1]).toBe(title);
	expect(row[3]).toBe('Bakery, 3 rue Voltaire');
	expect(row.slice(6, 8)).toEqual(['completed', 'claim']);
	expect(row[9]).toBe('90');
	expect(row[11]).toBe('2550');
	const bea = row[8]!;
	const hours = parseCsv(await download(a.page, 'Hours (CSV)', /^hours-.*\.csv$/, '.csv'));
	expect(hours[0]).toEqual(['period', 'member', 'items', 'minutes', 'hours', 'pay']);
	expect(hours.slice(1).map((line) => line.slice(1))).toEqual([[bea, '1', '90', '1.50', '2550']]);

	// Bea's calendar holds the job she was given.
	await b.page.getByRole('link', { name: 'My schedule' }).click();
	await expect(b.page.getByTestId('schedule-item')).toContainText(title);
	const ics = await download(b.page, 'My calendar (.ics)', /^work-.*\.ics$/, '.ics');
	const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
	const events = calendar.getAllSubcomponents('vevent').map((event) => new ICAL.Event(event));
	expect(events).toHaveLength(1);
	expect(events[0]!.summary).toBe(title);
	expect(events[0]!.location).toBe('Bakery, 3 rue Voltaire');
	expect(events[0]!.uid).toBe(`${jobId}.${bea}@ours.work`);
	expect(events[0]!.endDate.toUnixTime() - events[0]!.startDate.toUnixTime()).toBe(4 * 3600);

	for (const device of [a, b]) await device.context.close();
});

test('two members claiming one job offline: one winner on both devices, and the other sees they did not get it', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const [a, b] = await twoMembers(browser, 'Nettoyage Coop');
	const title = 'Clean the Martin flat';
	await postJob(a.page, { title, pay: '60', startIn: 24 * HOUR, endIn: 27 * HOUR });
	await openJob(b.page, title);

	for (const { context, page } of [a, b]) {
		await context.setOffline(true);
		await expect(page.getByTestId('sync-state')).toHaveText(/Offline/);
	}
	for (const { page } of [a, b]) {
		await page.getByRole('button', { name: 'Claim this job' }).click();
		await expect(page.getByTestId('claim-outcome')).toHaveText('You hold this job.');
	}
	for (const { context } of [a, b]) await context.setOffline(false);
	await waitForPeers(a.page);

	// Both devices fold both claims in the same order: the same winner everywhere.
	const lost = /^You did not get this job: it went to (Ada|Bea)\./;
	await expect
		.poll(
			async () =>
				[await a.page.getByTestId('claim-outcome').innerText()].concat(
					await b.page.getByTestId('claim-outcome').innerText()
				),
			SYNC
		)
		.toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^You hold this job\.$/),
				expect.stringMatching(lost)
			])
		);
	const holders = await a.page.getByTestId('holder').innerText();
	expect(await b.page.getByTestId('holder').innerText()).toBe(holders);
	const winner = holders.startsWith('Ada') ? a : b;
	const loser = winner === a ? b : a;
	await expect(loser.page.getByTestId('claim-outcome')).toHaveText(lost);
	await expect(winner.page.getByTestId('claim-outcome')).toHaveText('You hold this job.');
	expect(await ranking(a.page)).toEqual(await ranking(b.page));

	// The loser's Work tab says so too.
	await openWork(loser.page);
	await expect(loser.page.getByTestId('lost-claim')).toContainText(`You did not get “${title}”`);

	for (const device of [a, b]) await device.context.close();
});

test('forms say what is wrong per field; shifts, sign-up and "I can\'t work" in one step; no sideways scroll on phones', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const { context, page } = await newDevice(browser, { viewport: { width: 390, height: 844 } });
	await createCoop(page, 'Cantine Coop', '/', 'Ada');
	const noSidewaysScroll = async (where: string) => {
		for (const width of [390, 320]) {
			await page.setViewportSize({ width, height: 844 });
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow, `${where} at ${width} px`).toBeLessThanOrEqual(0);
		}
	};

	await openWork(page);
	await expect(page.getByTestId('jobs-empty')).toBeVisible();
	await noSidewaysScroll('work board (empty)');

	await page.getByRole('link', { name: 'Post a job' }).click();
	const post = page.getByRole('button', { name: 'Post the job' });
	await post.click();
	await expect(page.getByRole('alert')).toHaveText('Say what the job is.');
	await expect(page.getByLabel('What is the job?')).toHaveAttribute('aria-invalid', 'true');
	await page.getByLabel('What is the job?').fill('Lunch service');
	await page.getByLabel('Ends').fill(await localAt(page, -HOUR));
	await page.getByLabel('Starts').fill(await localAt(page, HOUR));
	await post.click();
	await expect(page.getByRole('alert')).toHaveText('The end must come after the start.');
	await expect(page.getByLabel('Ends')).toHaveAttribute('aria-invalid', 'true');
	await page.getByLabel('Ends').fill(await localAt(page, 3 * HOUR));
	await page.getByLabel(/^Pay of each person/).fill('-5');
	await post.click();
	await expect(page.getByRole('alert')).toHaveText('The amount cannot be negative.');
	await page.getByLabel(/^Pay of each person/).fill('12.345');
	await post.click();
	await expect(page.getByRole('alert')).toHaveText('Too many decimals for the co-op’s currency.');
	await page.getByText('Some time in a window').click();
	await page.getByLabel('Hours').fill('2');
	await page.getByLabel('Minutes').fill('1');
	await page.getByLabel(/^Pay of each person/).fill('12.50');
	await post.click();
	await expect(page.getByRole('alert')).toHaveText('That is more time than the job lasts.');
	await noSidewaysScroll('post a job (refused)');
	await page.getByLabel('Minutes').fill('0');
	await post.click();
	await expect(page.getByTestId('job-title')).toHaveText('Lunch service');
	await noSidewaysScroll('job');

	// A lunch shift every day from tomorrow, 11:30 to 14:30, three people.
	await openWork(page);
	await page.getByRole('link', { name: 'Shifts' }).click();
	await expect(page.getByTestId('shifts-empty')).toBeVisible();
	await page.getByText('Lay out a recurring shift').click();
	await page.getByLabel('What is the shift?').fill('Lunch service');
	for (const day of ['Sat', 'Sun']) await page.getByLabel(day, { exact: true }).check();
	await page.getByLabel('How many people each time').fill('3');
	const tomorrow = (await localAt(page, 24 * HOUR)).slice(0, 10);
	await page.getByLabel('First day').fill(tomorrow);
	await page.getByRole('button', { name: 'Lay out the shift' }).click();
	await expect(page.getByText('The shift is laid out.')).toBeVisible();
	await noSidewaysScroll('shifts');
	const first = page.getByTestId('occurrence').first();
	await expect(first.getByTestId('occurrence-slots')).toHaveText('3 of 3 places free');
	await first.getByRole('button', { name: 'Sign up' }).click();
	await expect(first.getByTestId('signed-up')).toBeVisible();
	await expect(first.getByTestId('occurrence-slots')).toHaveText('2 of 3 places free · Ada');

	// Ada holds the job she claims and the shift; falling ill, she hands both back at once.
	await openWork(page);
	await page.getByRole('link', { name: 'Lunch service' }).click();
	await page.getByRole('button', { name: 'Claim this job' }).click();
	await expect(page.getByTestId('claim-outcome')).toHaveText('You hold this job.');
	await openWork(page);
	await page.getByRole('link', { name: 'My schedule' }).click();
	await expect(page.getByTestId('schedule-item')).toHaveCount(2);
	await noSidewaysScroll('schedule');
	const cant = page.getByTestId('cant-work');
	await expect(cant).toContainText('You hold 2 coming jobs and shifts.');
	await cant.getByLabel('Why (optional)').fill('Flu');
	await cant.getByRole('button', { name: 'Hand back all my coming work' }).click();
	await cant.getByRole('button', { name: 'Yes, hand it all back' }).click();
	await expect(cant.getByRole('status')).toHaveText('Handed back. Take care.');
	await expect(page.getByTestId('schedule-empty')).toBeVisible();
	await page.getByRole('link', { name: 'Availability and time off' }).click();
	await expect(
		page.getByRole('heading', { level: 2, name: 'Availability and time off' })
	).toBeVisible();
	await noSidewaysScroll('availability');
	await page.getByLabel('Monday', { exact: true }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Saved.')).toBeVisible();

	await openWork(page);
	await page.getByRole('link', { name: 'Shifts' }).click();
	await expect(page.getByTestId('occurrence').first().getByTestId('occurrence-slots')).toHaveText(
		'3 of 3 places free'
	);

	// Ada laid the shift out, so she may stop it: asked why, then asked to confirm.
	const pattern = page.getByTestId('shift-pattern');
	await pattern.getByText('Stop this shift').click();
	await pattern.getByRole('button', { name: 'Stop the shift' }).click();
	await pattern.getByRole('button', { name: 'Yes, stop it' }).click();
	await expect(pattern.getByText('Say why.')).toBeVisible();
	await pattern.getByLabel('Why does it stop?').fill('The canteen closes');
	await pattern.getByRole('button', { name: 'Stop the shift' }).click();
	await expect(pattern.getByText('Stop it for everyone?')).toBeVisible();
	await pattern.getByRole('button', { name: 'Yes, stop it' }).click();
	await expect(page.getByTestId('shift-stopped')).toHaveText('The shift is stopped.');
	await expect(page.getByTestId('shift-pattern')).toHaveCount(0);
	await expect(page.getByTestId('shifts-empty')).toBeVisible();
	await noSidewaysScroll('shifts stopped');
	await context.close();
});

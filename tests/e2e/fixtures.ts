import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { RELAY_PORT } from '../../playwright.config';

export const RELAY_URL = `ws://127.0.0.1:${RELAY_PORT}`;

/**
 * A member's device: a browser context with its own storage, pointed at the test relay (or at
 * `relay`) with no ICE servers (peers on one machine connect directly), as the settings page would
 * save it.
 */
export async function newDevice(
	browser: Browser,
	options: { locale?: string; relay?: string; viewport?: { width: number; height: number } } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		locale: options.locale ?? 'en-GB',
		...(options.viewport && { viewport: options.viewport })
	});
	await context.addInitScript((relay) => {
		if (!localStorage.getItem('ours.sync-settings')) {
			localStorage.setItem(
				'ours.sync-settings',
				JSON.stringify({ signalingUrls: [relay], iceServers: [] })
			);
		}
	}, options.relay ?? RELAY_URL);
	const page = await context.newPage();
	return { context, page };
}

/** Founds a co-op from the home page; the founder is named `member`. */
export async function createCoop(
	page: Page,
	name: string,
	home = '/',
	member = 'Founder'
): Promise<void> {
	await page.goto(home);
	await page.getByLabel('Co-op name').fill(name);
	await page.getByLabel('Your name').fill(member);
	await page.getByRole('button', { name: 'Create' }).click();
	await expect(page.getByTestId('coop-name')).toHaveText(name);
}

/**
 * Opens one of the co-op's pages by its name in the co-op navigation: straight from the side
 * navigation on a wide screen, through More on a phone.
 */
export async function openArea(page: Page, name: string): Promise<void> {
	const nav = page.getByRole('navigation', { name: 'Co-op' });
	// The navigation shows once the co-op is open (after a page load, a moment later).
	await expect(nav.getByRole('link', { name: 'Decisions' })).toBeVisible();
	let link = nav.getByRole('link', { name, exact: true });
	if (!(await link.isVisible())) {
		await nav.getByRole('link', { name: 'More' }).click();
		link = page.getByRole('main').getByRole('link', { name, exact: true });
	}
	const href = await link.getAttribute('href');
	await link.click();
	await expect(page).toHaveURL((url) => url.pathname === href);
}

/** Opens the co-op's meeting notes. */
export async function openNotes(page: Page): Promise<void> {
	await openArea(page, 'Notes');
	await expect(notes(page)).toBeVisible();
}

/** Creates an invite on the Members page (by default 7 days, 1 use) and returns its link. */
export async function inviteLink(
	page: Page,
	options: { days?: string; uses?: number } = {}
): Promise<string> {
	await openArea(page, 'Members');
	if (options.days) await page.getByLabel('Expires after').selectOption(options.days);
	if (options.uses)
		await page.getByLabel('Number of people who can use it').fill(`${options.uses}`);
	await page.getByRole('button', { name: 'Create invite link' }).click();
	const link = page.getByTestId('invite-link');
	await expect(link).toHaveValue(/\/join#/);
	return link.inputValue();
}

/** Opens an invite link on a device and joins as `member`; the join completes once synced. */
export async function joinWithLink(
	page: Page,
	link: string,
	name: string,
	member = 'Member'
): Promise<void> {
	await page.goto(link);
	await page.getByLabel('Your name').fill(member);
	await page.getByRole('button', { name: 'Join' }).click();
	await expect(page.getByTestId('coop-name')).toHaveText(name);
}

export function notes(page: Page) {
	return page.getByLabel('Meeting notes, shared with every member');
}

/** Types at the end of the notes, as a member adding a line would, and waits until it is on disk. */
export async function appendNotes(page: Page, text: string): Promise<void> {
	await openNotes(page);
	const field = notes(page);
	// Only a member's device may write: a device that just joined waits for its join to count.
	await expect(field).toBeEditable({ timeout: 30_000 });
	await field.click();
	await field.press('ControlOrMeta+End');
	await field.pressSequentially(text);
	await expect(page.getByTestId('save-state')).toHaveText('Saved on this device');
}

export async function waitForPeers(page: Page, count = 1): Promise<void> {
	await expect(page.getByTestId('sync-state')).toHaveText(
		count === 1 ? 'Connected to 1 device' : `Connected to ${count} devices`,
		{ timeout: 30_000 }
	);
}

/** Opens the co-op's member directory and returns the members' names as shown. */
export async function memberNames(page: Page) {
	await openArea(page, 'Members');
	return page.getByTestId('member-name');
}

export type Device = { context: BrowserContext; page: Page };

/**
 * Three members on three devices: `names[0]` founds `coop`, the other two join with one invite
 * of two uses, and each device sees the three of them.
 */
export async function threeMembers(
	browser: Browser,
	coop: string,
	names: readonly [string, string, string] = ['Ada', 'Bea', 'Cyd']
): Promise<[Device, Device, Device]> {
	const devices: [Device, Device, Device] = [
		await newDevice(browser),
		await newDevice(browser),
		await newDevice(browser)
	];
	await createCoop(devices[0].page, coop, '/', names[0]);
	const link = await inviteLink(devices[0].page, { uses: 2 });
	await joinWithLink(devices[1].page, link, coop, names[1]);
	await joinWithLink(devices[2].page, link, coop, names[2]);
	for (const { page } of devices) {
		await expect(await memberNames(page)).toHaveText([...names], { timeout: 30_000 });
	}
	return devices;
}

/** Opens the co-op's Decisions page. */
export async function openDecisions(page: Page): Promise<void> {
	await page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: /^Decisions/ })
		.click();
	await expect(page.getByRole('heading', { level: 2, name: 'Decisions' })).toBeVisible();
}

/**
 * Opens a proposal from the Decisions page with `fill` (title and anything else it sets), and
 * waits for the proposal's own page.
 */
export async function propose(
	page: Page,
	title: string,
	fill: (page: Page) => Promise<void> = async () => {}
): Promise<void> {
	await openDecisions(page);
	await page.getByRole('link', { name: 'New proposal' }).click();
	await fill(page);
	await page.getByLabel('Title').fill(title);
	await page.getByRole('button', { name: 'Start the proposal' }).click();
	await expect(page.getByTestId('proposal-title')).toHaveText(title);
}

/** Opens a proposal from the Decisions page once it has synced to this device. */
export async function openProposal(page: Page, title: string): Promise<void> {
	await openDecisions(page);
	await page.getByRole('link', { name: title, exact: true }).click({ timeout: 30_000 });
	await expect(page.getByTestId('proposal-title')).toHaveText(title);
}

/** Casts a vote on the open proposal page (a consent position or a poll option's label). */
export async function vote(page: Page, choice: string): Promise<void> {
	const form = page.getByTestId('vote-form');
	await form.getByLabel(choice, { exact: true }).check();
	await form.getByRole('button', { name: /^(Vote|Change my vote)$/ }).click();
	await expect(form.getByRole('status')).toHaveText('Your vote is saved.');
}

import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { RELAY_PORT } from '../../playwright.config';

export const RELAY_URL = `ws://127.0.0.1:${RELAY_PORT}`;

/**
 * A member's device: a browser context with its own storage, pointed at the test relay with no
 * ICE servers (peers on one machine connect directly), as the settings page would save it.
 */
export async function newDevice(
	browser: Browser,
	options: { locale?: string } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ locale: options.locale ?? 'en-GB' });
	await context.addInitScript((relay) => {
		if (!localStorage.getItem('ours.sync-settings')) {
			localStorage.setItem(
				'ours.sync-settings',
				JSON.stringify({ signalingUrls: [relay], iceServers: [] })
			);
		}
	}, RELAY_URL);
	const page = await context.newPage();
	return { context, page };
}

export async function createCoop(page: Page, name: string, home = '/'): Promise<void> {
	await page.goto(home);
	await page.getByLabel('Co-op name').fill(name);
	await page.getByRole('button', { name: 'Create' }).click();
	await expect(page.getByTestId('coop-name')).toHaveText(name);
}

export async function inviteLink(page: Page): Promise<string> {
	return page.getByTestId('invite-link').inputValue();
}

export async function joinWithLink(page: Page, link: string, name: string): Promise<void> {
	await page.goto(link);
	await page.getByRole('button', { name: 'Join' }).click();
	await expect(page.getByTestId('coop-name')).toHaveText(name);
}

export function notes(page: Page) {
	return page.getByLabel('Meeting notes, shared with every member');
}

/** Types at the end of the notes, as a member adding a line would, and waits until it is on disk. */
export async function appendNotes(page: Page, text: string): Promise<void> {
	const field = notes(page);
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

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createCoop, inviteLink, newDevice, openDecisions, vote } from './fixtures';

async function seriousViolations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	return results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map(
			(violation) =>
				`${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`
		);
}

test('no page has a serious or critical accessibility violation', async ({ browser }) => {
	for (const colorScheme of ['light', 'dark'] as const) {
		const { context, page } = await newDevice(browser);
		await page.emulateMedia({ colorScheme });

		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'No co-op on this device yet' })).toBeVisible();
		expect(await seriousViolations(page), `home (empty), ${colorScheme}`).toEqual([]);

		await createCoop(page, 'Traducteurs Associés');
		expect(await seriousViolations(page), `co-op page, ${colorScheme}`).toEqual([]);
		const link = await inviteLink(page);

		await openDecisions(page);
		expect(await seriousViolations(page), `decisions (empty), ${colorScheme}`).toEqual([]);
		await page.getByRole('link', { name: 'New proposal' }).click();
		await page.getByRole('button', { name: 'Start the proposal' }).click();
		await expect(page.getByRole('alert')).toHaveText('Give the proposal a title.');
		expect(await seriousViolations(page), `new proposal (refused), ${colorScheme}`).toEqual([]);
		await page.getByLabel('Title').fill('Paint the door green');
		await page.getByRole('button', { name: 'Start the proposal' }).click();
		await expect(page.getByTestId('proposal-title')).toHaveText('Paint the door green');
		expect(await seriousViolations(page), `proposal (open), ${colorScheme}`).toEqual([]);
		await vote(page, 'Agree');
		await page.getByRole('button', { name: 'Close and count now' }).click();
		await page.getByRole('button', { name: 'Yes, close and count' }).click();
		await page.getByRole('button', { name: 'Recount on this device' }).click();
		await expect(page.getByTestId('recount-status')).toHaveText(/the same result/);
		expect(await seriousViolations(page), `proposal (closed), ${colorScheme}`).toEqual([]);
		await openDecisions(page);
		await page.getByRole('button', { name: 'Export CSV' }).click();
		await expect(page.getByTestId('decisions-export')).toBeVisible();
		expect(await seriousViolations(page), `decisions (a decision), ${colorScheme}`).toEqual([]);
		await page.getByRole('link', { name: 'Delegate your vote' }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Delegation' })).toBeVisible();
		expect(await seriousViolations(page), `delegation, ${colorScheme}`).toEqual([]);
		await page.getByRole('link', { name: 'Charter' }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Charter' })).toBeVisible();
		expect(await seriousViolations(page), `charter, ${colorScheme}`).toEqual([]);

		await page.goto('/');
		await expect(page.getByRole('link', { name: /Traducteurs Associés/ })).toBeVisible();
		expect(await seriousViolations(page), `home (with a co-op), ${colorScheme}`).toEqual([]);

		await page.goto('/settings');
		await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
		expect(await seriousViolations(page), `settings, ${colorScheme}`).toEqual([]);

		await page.goto(link);
		await expect(page.getByRole('button', { name: 'Join' })).toBeVisible();
		expect(await seriousViolations(page), `join, ${colorScheme}`).toEqual([]);

		await page.goto('/join#coop=broken');
		await expect(page.getByRole('alert')).toBeVisible();
		expect(await seriousViolations(page), `join (bad link), ${colorScheme}`).toEqual([]);

		await page.goto('/no/such/page');
		expect(await seriousViolations(page), `not found, ${colorScheme}`).toEqual([]);
		await context.close();
	}
});

test('every control can be reached and used with the keyboard', async ({ browser }) => {
	const { context, page } = await newDevice(browser);
	await page.goto('/');
	await expect(page.getByLabel('Co-op name')).toBeVisible();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
	await page.getByLabel('Co-op name').focus();
	await page.keyboard.type('Coop Clavier');
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Your name')).toBeFocused();
	await page.keyboard.type('Clé');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('coop-name')).toHaveText('Coop Clavier');
	await context.close();
});

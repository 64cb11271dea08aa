import { expect, test } from '@playwright/test';
import { appendNotes, createCoop, newDevice, notes, RELAY_URL, openNotes } from './fixtures';

test('a French browser gets the app in French, and the language can be switched', async ({
	browser
}) => {
	const { context, page } = await newDevice(browser, { locale: 'fr-FR' });
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: 'Vos coopératives' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

	await page.getByRole('link', { name: 'Réglages' }).click();
	await page.getByLabel("Langue de l'application").selectOption('en');
	await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: 'Your co-ops' })).toBeVisible();
	await context.close();
});

test('one device holds several co-ops and switches between them', async ({ browser }) => {
	const { context, page } = await newDevice(browser);
	await createCoop(page, 'Coop One');
	await appendNotes(page, 'Notes of one.');
	await createCoop(page, 'Coop Two');
	await appendNotes(page, 'Notes of two.');

	await page.getByLabel('Open co-op').selectOption({ label: 'Coop One' });
	await expect(page.getByTestId('coop-name')).toHaveText('Coop One');
	await openNotes(page);
	await expect(notes(page)).toHaveValue('Notes of one.');
	await page.getByLabel('Open co-op').selectOption({ label: 'Coop Two' });
	await expect(page.getByTestId('coop-name')).toHaveText('Coop Two');
	await openNotes(page);
	await expect(notes(page)).toHaveValue('Notes of two.');

	await page.goto('/');
	await expect(page.getByRole('link', { name: /Coop One/ })).toBeVisible();
	await expect(page.getByRole('link', { name: /Coop Two/ })).toBeVisible();
	await context.close();
});

test('forms refuse bad input with a clear message and keep what was typed', async ({ browser }) => {
	const { context, page } = await newDevice(browser);
	await page.goto('/');
	await page.getByRole('button', { name: 'Create' }).click();
	await expect(page.getByRole('alert')).toHaveText('Give your co-op a name.');

	await page.goto('/join#coop=x&key=y');
	await expect(page.getByRole('alert')).toHaveText(/damaged or incomplete/);
	await page.goto('/join');
	await expect(page.getByRole('alert')).toHaveText(/opens invite links/);

	await page.goto('/settings');
	await page.getByText('Advanced', { exact: true }).click();
	const signaling = page.getByLabel('Signaling relays');
	await expect(signaling).toHaveValue(RELAY_URL);
	await signaling.fill('http://example.invalid');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('alert')).toHaveText(/Not a ws:\/\/ or wss:\/\/ address/);
	await expect(signaling).toHaveValue('http://example.invalid');

	await signaling.fill(`${RELAY_URL}\nwss://relay.example.org`);
	await page.getByLabel('ICE servers (STUN/TURN)').fill('stun:stun.example.org:3478');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('ICE servers (STUN/TURN)')).toHaveValue(
		'stun:stun.example.org:3478'
	);
	await expect(page.getByTestId('storage-usage')).toHaveText(/used of/);
	await context.close();
});

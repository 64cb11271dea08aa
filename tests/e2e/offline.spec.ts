import { expect, test, type Page } from '@playwright/test';
import { appendNotes, createCoop, newDevice, notes } from './fixtures';

async function serviceWorkerInControl(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
		}
	});
}

test('with the network off, a reload shows the app and the notes typed before', async ({
	browser
}) => {
	const { context, page } = await newDevice(browser);
	await createCoop(page, 'Nettoyage Solidaire');
	await serviceWorkerInControl(page);
	await appendNotes(page, 'Planning de la semaine.');
	const coopUrl = page.url();

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('coop-name')).toHaveText('Nettoyage Solidaire');
	await expect(notes(page)).toHaveValue('Planning de la semaine.');
	await expect(page.getByTestId('sync-state')).toHaveText(/Offline/);

	// Still offline: keep typing, close the tab, open the co-op in a new one.
	await appendNotes(page, ' Lundi : Marie.');
	await page.close();
	const again = await context.newPage();
	await again.goto(coopUrl);
	await expect(notes(again)).toHaveValue('Planning de la semaine. Lundi : Marie.');

	// A page never visited before also opens from the cache.
	await again.goto('/settings');
	await expect(again.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
	await again.goto('/no/such/page');
	await expect(again.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();

	await context.close();
});

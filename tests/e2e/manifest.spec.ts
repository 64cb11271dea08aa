import { expect, test } from '@playwright/test';

interface Manifest {
	shortcuts: Array<{ name: string; url: string }>;
	screenshots: Array<{ src: string; sizes: string; type: string; form_factor?: string }>;
}

test('the install sheet gets real screenshots, a phone and a wide one, at their stated sizes', async ({
	page
}) => {
	const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as Manifest;
	const factors = manifest.screenshots.map((shot) => shot.form_factor);
	expect(factors).toContain('narrow');
	expect(factors).toContain('wide');
	for (const shot of manifest.screenshots) {
		const response = await page.request.get(shot.src);
		expect(response.headers()['content-type']).toBe(shot.type);
		const png = await response.body();
		// A PNG's IHDR chunk holds its width and height at bytes 16 and 20.
		expect(png.subarray(1, 4).toString()).toBe('PNG');
		expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(shot.sizes);
	}
});

test('the shortcuts open the proposal form and the schedule of the co-op opened last', async ({
	page
}) => {
	const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as Manifest;
	const shortcut = manifest.shortcuts.find((entry) => entry.name === 'New proposal');
	expect(shortcut).toBeDefined();
	// With no co-op on the device it opens the list of co-ops.
	await page.goto(shortcut!.url);
	await expect(page).toHaveURL(/\/$/);

	await page.getByLabel('Co-op name').fill('Coop Raccourci');
	await page.getByLabel('Your name').fill('Ada');
	await page.getByRole('button', { name: 'Create' }).click();
	await expect(page.getByTestId('coop-name')).toHaveText('Coop Raccourci');
	const coop = new URL(page.url()).pathname;
	await page.goto(shortcut!.url);
	await expect(page).toHaveURL(new RegExp(`${coop}/decisions/new$`));
	await expect(page.getByRole('button', { name: 'Start the proposal' })).toBeVisible();

	// "Log hours" opens the member's schedule in the same co-op.
	const hours = manifest.shortcuts.find((entry) => entry.name === 'Log hours');
	expect(hours).toBeDefined();
	await page.goto(hours!.url);
	await expect(page).toHaveURL(new RegExp(`${coop}/work/schedule$`));
	await expect(page.getByRole('heading', { name: 'My schedule' })).toBeVisible();
});

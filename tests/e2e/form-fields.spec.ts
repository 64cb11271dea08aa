import { expect, test } from '@playwright/test';
import { createCoop, newDevice } from './fixtures';

test('a field near its limit counts, and past it says so instead of cutting the text', async ({
	browser
}) => {
	const { context, page } = await newDevice(browser);
	await createCoop(page, 'Counters');
	await page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'My profile' })
		.click();
	const name = page.getByLabel('Name', { exact: true });
	const count = page.locator('#profile-name-count');

	await name.fill('a'.repeat(40));
	await expect(count).toHaveCount(0);
	await expect(name).not.toHaveAttribute('aria-invalid', 'true');

	// Code points, as the record counts them: 49 croissants and an "e" with its accent are 50.
	await name.fill(`${'🥐'.repeat(49)}e\u0301`);
	await expect(count).toHaveText('50 / 60 50 of 60 characters');
	await expect(name).toHaveAttribute('aria-describedby', 'profile-name-count');

	const long = 'b'.repeat(65);
	await name.fill(long);
	await expect(name).toHaveValue(long);
	await expect(count).toContainText('65 / 60');
	await expect(name).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByRole('alert')).toHaveText('Too long: 65 characters, at most 60.');
	await expect(name).toHaveAccessibleDescription(
		/65 of 60 characters.*Too long: 65 characters, at most 60\./
	);
	await context.close();
});

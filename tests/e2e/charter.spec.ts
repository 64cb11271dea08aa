import { expect, test } from '@playwright/test';
import {
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	openArea,
	openProposal,
	propose,
	vote
} from './fixtures';

const SYNC = { timeout: 30_000 };

test('dispatchers are chosen from the members, not typed as keys, and the Charter names them once passed', async ({
	browser
}) => {
	const a = await newDevice(browser, { viewport: { width: 390, height: 844 } });
	const b = await newDevice(browser);
	await createCoop(a.page, 'Coop Tournée', '/', 'Ada');
	await joinWithLink(b.page, await inviteLink(a.page), 'Coop Tournée', 'Bea');
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea'], SYNC);

	await propose(a.page, 'Bea dispatches', async (page) => {
		await page.getByLabel('If it passes').selectOption({ label: 'Change a setting' });
		await page
			.getByLabel('Setting', { exact: true })
			.selectOption({ label: 'Members who assign jobs' });
		const picker = page.getByRole('group', { name: 'New value' });
		await expect(picker.getByRole('checkbox')).toHaveCount(2);
		await expect(picker).toHaveAccessibleDescription(
			'Choose up to 20 members. Those ticked now are the ones in office.'
		);
		await expect(picker.getByRole('checkbox', { name: 'Ada' })).not.toBeChecked();
		await picker.getByRole('checkbox', { name: 'Bea' }).check();
	});
	await expect(a.page.getByText('Members who assign jobs: Bea')).toBeVisible();
	await vote(a.page, 'Agree');
	await openProposal(b.page, 'Bea dispatches');
	await expect(b.page.getByText('Members who assign jobs: Bea')).toBeVisible();
	await vote(b.page, 'Agree');
	await expect(a.page.getByTestId('tally-ballots')).toHaveText('2 of 2 members took part', SYNC);
	await a.page.getByRole('button', { name: 'Close and count now' }).click();
	await a.page.getByRole('button', { name: 'Yes, close and count' }).click();
	await expect(a.page.getByTestId('proposal-applied')).toHaveText('Carried out.', SYNC);

	for (const { page } of [a, b]) {
		await openArea(page, 'Charter');
		await expect(page.locator('[data-setting="dispatchers"]')).toHaveText('Bea', SYNC);
		await expect(page.locator('[data-setting="jobShare"]')).toHaveText('0%');
		await expect(page.locator('[data-setting="maxWeeklyHours"]')).toHaveText('No limit');
		await expect(page.locator('[data-setting="currency"]')).toContainText('EUR');
	}

	// A share is typed as a percentage: a bad one is refused with a message, a good one reads back.
	await propose(a.page, 'A share of 12.5%', async (page) => {
		await page.getByLabel('If it passes').selectOption({ label: 'Change a setting' });
		await page
			.getByLabel('Setting', { exact: true })
			.selectOption({ label: 'Members who assign jobs' });
		// The list starts from the members in office.
		await expect(
			page.getByRole('group', { name: 'New value' }).getByRole('checkbox', { name: 'Bea' })
		).toBeChecked();
		await page
			.getByLabel('Setting', { exact: true })
			.selectOption({ label: 'Co-op’s share of job payments' });
		await page.getByLabel('New value').fill('12.555');
		await page.getByLabel('Title').fill('A share of 12.5%');
		await page.getByRole('button', { name: 'Start the proposal' }).click();
		await expect(page.getByLabel('New value')).toHaveAttribute('aria-invalid', 'true');
		await page.getByLabel('New value').fill('12.5');
	});
	await expect(a.page.getByText('Co-op’s share of job payments: 12.5%')).toBeVisible();

	await a.context.close();
	await b.context.close();
});

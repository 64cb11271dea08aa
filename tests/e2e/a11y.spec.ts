import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createCoop, inviteLink, newDevice, openArea, openDecisions, vote } from './fixtures';

async function violations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	return results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map(
			(violation) =>
				`${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`
		);
}

test('no page has a serious or critical accessibility violation, in either theme or language', async ({
	browser
}) => {
	test.setTimeout(600_000);
	for (const colorScheme of ['light', 'dark'] as const) {
		const { context, page } = await newDevice(browser);
		await page.emulateMedia({ colorScheme });
		// Every page checked in English is checked again in French.
		const visited = new Set<string>();
		const seriousViolations = async (page: Page) => {
			visited.add(page.url());
			return violations(page);
		};

		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'No co-op on this device yet' })).toBeVisible();
		expect(await seriousViolations(page), `home (empty), ${colorScheme}`).toEqual([]);

		await createCoop(page, 'Traducteurs Associés');
		expect(await seriousViolations(page), `co-op page, ${colorScheme}`).toEqual([]);
		await expect(page.getByRole('heading', { level: 2, name: 'Waiting for you' })).toBeVisible();
		const link = await inviteLink(page);
		expect(await seriousViolations(page), `members with an invite, ${colorScheme}`).toEqual([]);
		for (const [area, heading] of [
			['Notes', 'Meeting notes'],
			['Integrity', 'Integrity'],
			['Work records', 'Work records'],
			['Sync & backup', 'Sync & backup'],
			['Skills', 'Skills'],
			['Mentoring', 'Mentoring'],
			['Feedback', 'Feedback'],
			// Last: "Link a device" below is on it.
			['My profile', 'My profile']
		] as const) {
			await openArea(page, area);
			await expect(page.getByRole('heading', { level: 2, name: heading }).first()).toBeVisible();
			expect(await seriousViolations(page), `${area}, ${colorScheme}`).toEqual([]);
		}
		await page.getByRole('link', { name: 'Link a device' }).click();
		await expect(page.getByTestId('device-link')).toBeVisible();
		expect(await seriousViolations(page), `link a device, ${colorScheme}`).toEqual([]);
		// A phone: the tab bar, More, and the sync detail open.
		await page.setViewportSize({ width: 390, height: 844 });
		await page
			.getByRole('navigation', { name: 'Co-op' })
			.getByRole('link', { name: 'More' })
			.click();
		await expect(page.getByRole('heading', { level: 2, name: 'More' })).toBeVisible();
		await page.getByRole('button', { name: /Connected|Looking|Offline/ }).click();
		await expect(page.locator('#sync-detail')).toBeVisible();
		expect(await seriousViolations(page), `more (phone), ${colorScheme}`).toEqual([]);
		await page.setViewportSize({ width: 1280, height: 720 });

		await openDecisions(page);
		expect(await seriousViolations(page), `decisions (empty), ${colorScheme}`).toEqual([]);
		await page.getByRole('link', { name: 'New proposal' }).click();
		await page.getByRole('button', { name: 'Start the proposal' }).click();
		await expect(page.getByRole('alert')).toHaveText('Give the proposal a title.');
		expect(await seriousViolations(page), `new proposal (refused), ${colorScheme}`).toEqual([]);
		await page.getByLabel('If it passes').selectOption({ label: 'Change a setting' });
		const setting = page.getByLabel('Setting', { exact: true });
		await setting.selectOption({ label: 'Members who assign jobs' });
		await expect(page.getByTestId('member-picker')).toBeVisible();
		expect(await violations(page), `member picker, ${colorScheme}`).toEqual([]);
		await setting.selectOption({ label: 'Co-op’s share of job payments' });
		await expect(page.getByLabel('New value')).toBeVisible();
		expect(await violations(page), `percentage, ${colorScheme}`).toEqual([]);
		await page.getByLabel('If it passes').selectOption({ label: 'A decision' });
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

		// Work: the board, posting a job (refused, then posted), the job held, shifts, schedule.
		await page
			.getByRole('navigation', { name: 'Co-op' })
			.getByRole('link', { name: /^Work(?! records)/ })
			.click();
		await expect(page.getByRole('heading', { level: 2, name: 'Work' })).toBeVisible();
		expect(await seriousViolations(page), `work (empty), ${colorScheme}`).toEqual([]);
		await page.getByRole('link', { name: 'Post a job' }).click();
		await page.getByRole('button', { name: 'Post the job' }).click();
		await expect(page.getByRole('alert')).toHaveText('Say what the job is.');
		expect(await seriousViolations(page), `post a job (refused), ${colorScheme}`).toEqual([]);
		await page.getByLabel('What is the job?').fill('Translate a contract');
		await page.getByRole('button', { name: 'Post the job' }).click();
		await expect(page.getByTestId('job-title')).toHaveText('Translate a contract');
		expect(await seriousViolations(page), `job (open), ${colorScheme}`).toEqual([]);
		await page.getByRole('button', { name: 'Claim this job' }).click();
		await expect(page.getByTestId('claim-outcome')).toHaveText('You hold this job.');
		expect(await seriousViolations(page), `job (held), ${colorScheme}`).toEqual([]);
		await page.getByRole('link', { name: '← Work' }).click();
		await page.getByRole('link', { name: 'Shifts' }).click();
		await page.getByText('Lay out a recurring shift').click();
		await page.getByLabel('What is the shift?').fill('Proofreading desk');
		await page.getByRole('button', { name: 'Lay out the shift' }).click();
		await expect(page.getByText('The shift is laid out.')).toBeVisible();
		// Stopping it asks why: the field and the button are checked open.
		await page.getByTestId('stop-shift').locator('summary').click();
		await expect(page.getByTestId('stop-shift').getByRole('textbox')).toBeVisible();
		expect(await seriousViolations(page), `shifts, ${colorScheme}`).toEqual([]);
		await page.getByRole('link', { name: '← Work' }).click();
		await page.getByRole('link', { name: 'My schedule' }).click();
		await page.getByRole('button', { name: 'My calendar (.ics)' }).click();
		await expect(page.getByTestId('work-file')).toBeVisible();
		expect(await seriousViolations(page), `schedule, ${colorScheme}`).toEqual([]);
		await page.getByRole('link', { name: 'Availability and time off' }).click();
		await page.getByLabel('Monday', { exact: true }).check();
		expect(await seriousViolations(page), `availability, ${colorScheme}`).toEqual([]);

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

		await page.goto('/verify#vc=AAAA');
		await expect(page.getByTestId('credential-link-problem')).toBeVisible();
		expect(await seriousViolations(page), `check a record (bad link), ${colorScheme}`).toEqual([]);

		await page.goto('/no/such/page');
		expect(await seriousViolations(page), `not found, ${colorScheme}`).toEqual([]);

		await page.evaluate(() => localStorage.setItem('PARAGLIDE_LOCALE', 'fr'));
		for (const url of visited) {
			await page.goto(url);
			await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
			await expect(page.locator('main h1').first()).toBeVisible();
			await page.waitForTimeout(300);
			expect(await violations(page), `${url} in French, ${colorScheme}`).toEqual([]);
		}
		await context.close();
	}
});

test('the money pages have no serious or critical accessibility violation, in either theme or language', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const { context, page } = await newDevice(browser);
	await createCoop(page, 'Coop Argent');
	const pages: string[] = [];
	const check = async (what: string) => {
		pages.push(page.url());
		expect(await violations(page), what).toEqual([]);
	};
	const moneyPages = page.getByRole('navigation', { name: 'Money pages' });
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		await page
			.getByRole('navigation', { name: 'Co-op' })
			.getByRole('link', { name: 'Money' })
			.click();
		await expect(page.getByRole('heading', { level: 2, name: 'Money' })).toBeVisible();
		await check(`money, ${colorScheme}`);
		await moneyPages.getByRole('link', { name: 'Record' }).click();
		const entry = page.getByTestId('entry-form');
		await entry.getByLabel('Amount (EUR)').fill('1.234');
		await entry.getByRole('button', { name: 'Record', exact: true }).click();
		await expect(entry.getByRole('alert')).toHaveText(
			'Too many decimals for the co-op’s currency.'
		);
		await check(`money record (refused), ${colorScheme}`);
		await entry.getByLabel('Amount (EUR)').fill('12.50');
		await entry.getByRole('button', { name: 'Record', exact: true }).click();
		await expect(entry.getByTestId('entry-status')).toHaveText('Recorded.');
		await moneyPages.getByRole('link', { name: 'Books' }).click();
		await expect(page.getByTestId('transaction').first()).toBeVisible();
		await page.getByRole('button', { name: 'Reverse' }).first().click();
		await check(`money books, ${colorScheme}`);
		await moneyPages.getByRole('link', { name: 'Patronage' }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Patronage dividend' })).toBeVisible();
		await check(`money patronage, ${colorScheme}`);
		await moneyPages.getByRole('link', { name: 'Report' }).click();
		await expect(page.getByTestId('period-report')).toBeVisible();
		await check(`money report, ${colorScheme}`);
	}
	await page.evaluate(() => localStorage.setItem('PARAGLIDE_LOCALE', 'fr'));
	for (const url of new Set(pages)) {
		await page.goto(url);
		await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
		await expect(page.locator('main h2').first()).toBeVisible();
		expect(await violations(page), `${url} in French`).toEqual([]);
	}
	await context.close();
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

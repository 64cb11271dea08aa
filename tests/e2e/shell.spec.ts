import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	createCoop,
	inviteLink,
	joinWithLink,
	newDevice,
	openArea,
	propose,
	vote,
	waitForPeers
} from './fixtures';

const PHONES = [
	{ width: 390, height: 844 },
	{ width: 320, height: 640 }
] as const;

/** Text as people sometimes write it: one word, as long as each field allows. */
const unbroken = (length: number) => 'Coopérative'.repeat(20).slice(0, length);

function phone(browser: Browser, viewport: { width: number; height: number }) {
	return newDevice(browser, { viewport });
}

/** Fails if the page is wider than the screen: nothing may scroll sideways. */
async function expectNoSideScroll(page: Page, what: string): Promise<void> {
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow, `${what} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

function tabBar(page: Page) {
	return page.getByRole('navigation', { name: 'Co-op' });
}

for (const viewport of PHONES) {
	test(`at ${viewport.width}x${viewport.height} the tab bar reaches every area and no page scrolls sideways with long unbroken text`, async ({
		browser
	}) => {
		const { context, page } = await phone(browser, viewport);
		await page.goto('/');
		await expect(page.getByTestId('intro')).toBeVisible();
		await expectNoSideScroll(page, 'first visit');

		const coopName = unbroken(80);
		const memberName = unbroken(60);
		const title = unbroken(120);
		await createCoop(page, coopName, '/', memberName);
		await expectNoSideScroll(page, 'co-op home');
		// The header and its sync indicator take little of the screen.
		const top = await page.getByTestId('coop-name').boundingBox();
		expect(top).not.toBeNull();

		await propose(page, title);
		await expectNoSideScroll(page, 'proposal');
		await vote(page, 'Agree');

		// The tab bar: visible at the bottom, its tabs in one row.
		const bar = tabBar(page);
		const box = await bar.boundingBox();
		expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height + 1);
		expect(box!.height).toBeLessThan(80);

		await bar.getByRole('link', { name: /^Home/ }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Waiting for you' })).toBeVisible();
		await expectNoSideScroll(page, 'home');

		await bar.getByRole('link', { name: /^Decisions/ }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Decisions' })).toBeVisible();
		await expect(page.getByRole('link', { name: title })).toBeVisible();
		await expectNoSideScroll(page, 'decisions');
		await page.getByRole('link', { name: 'New proposal' }).click();
		await expectNoSideScroll(page, 'new proposal');

		await bar.getByRole('link', { name: /^Work(?! records)/ }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Work' })).toBeVisible();
		await expectNoSideScroll(page, 'work');
		await page.getByRole('link', { name: 'Post a job' }).click();
		await expectNoSideScroll(page, 'post a job');
		await page.getByLabel('What is the job?').fill(title);
		await page.getByLabel('Place').fill(unbroken(200));
		await page.getByLabel('Skills needed').fill(unbroken(30));
		await page.getByRole('button', { name: 'Post the job' }).click();
		await expect(page.getByTestId('job-title')).toHaveText(title);
		await expectNoSideScroll(page, 'job');
		await bar.getByRole('link', { name: /^Work(?! records)/ }).click();
		await expect(page.getByRole('link', { name: title })).toBeVisible();
		await expectNoSideScroll(page, 'work with a job');

		const areas: [string, string][] = [
			['Members', 'Members'],
			['Notes', 'Meeting notes'],
			['Charter', 'Charter'],
			['My profile', 'My profile'],
			['Integrity', 'Integrity'],
			['Sync & backup', 'Sync & backup']
		];
		for (const [link, heading] of areas) {
			await bar.getByRole('link', { name: 'More' }).click();
			await expect(page.getByRole('heading', { level: 2, name: 'More' })).toBeVisible();
			await expectNoSideScroll(page, 'more');
			await page.getByRole('main').getByRole('link', { name: link, exact: true }).click();
			await expect(page.getByRole('heading', { level: 2, name: heading }).first()).toBeVisible();
			await expect(bar.getByRole('link', { name: 'More' })).toHaveAttribute('aria-current', 'page');
			await expectNoSideScroll(page, link);
		}
		await expect(page.getByTestId('member-name')).toHaveCount(0);
		await bar.getByRole('link', { name: 'More' }).click();
		await page.getByRole('main').getByRole('link', { name: 'Members', exact: true }).click();
		await expect(page.getByTestId('member-name')).toHaveText(memberName);
		await inviteLink(page);
		await expectNoSideScroll(page, 'members with an invite');

		// The sync indicator opens its detail on a tap.
		const indicator = page.getByRole('button', { name: /Connected|Looking|Offline/ });
		await expect(page.locator('#sync-detail')).toBeHidden();
		await indicator.click();
		await expect(page.locator('#sync-detail')).toBeVisible();
		await expect(page.locator('#sync-detail')).toContainText(/synced/i);
		await expectNoSideScroll(page, 'sync detail');

		await page.goto('/');
		await expect(page.getByRole('link', { name: new RegExp(coopName) })).toBeVisible();
		await expectNoSideScroll(page, 'co-op list');
		await page.goto('/settings');
		await expectNoSideScroll(page, 'settings');
		await context.close();
	});
}

test('a proposal from another member: an unread count, a notification that opens it, a vote the home lists until cast', async ({
	browser
}) => {
	const a = await phone(browser, PHONES[0]);
	const b = await phone(browser, PHONES[0]);
	for (const device of [a, b]) {
		await device.context.grantPermissions(['notifications']);
		await device.page.goto('/settings');
		await device.page.evaluate(() => navigator.serviceWorker.ready);
		await device.page.getByLabel('New proposals').check();
		await expect(device.page.getByLabel('New proposals')).toBeChecked();
	}

	await createCoop(a.page, 'Coop Cloche', '/', 'Ada');
	await joinWithLink(b.page, await inviteLink(a.page), 'Coop Cloche', 'Bea');
	await waitForPeers(b.page);
	await tabBar(b.page).getByRole('link', { name: /^Home/ }).click();
	await expect(b.page.getByTestId('waiting-empty')).toBeVisible({ timeout: 30_000 });
	// The header, the co-op's name and the sync indicator leave the screen to the content.
	const firstHeading = await b.page
		.getByRole('heading', { level: 2, name: 'Waiting for you' })
		.boundingBox();
	expect(firstHeading!.y).toBeLessThan(150);
	const decisionsTab = tabBar(b.page).getByRole('link', { name: /^Decisions/ });
	await expect(decisionsTab.getByTestId('nav-count')).toHaveCount(0);

	await propose(a.page, 'Buy a cargo bike');

	// B: the Decisions tab counts it, the home lists the vote, the app shows a notification.
	await expect(decisionsTab.getByTestId('nav-count')).toHaveText('1', { timeout: 30_000 });
	await expect(decisionsTab).toHaveAccessibleName('Decisions (1 new)');
	const due = b.page.getByTestId('votes-due');
	await expect(due.getByRole('link', { name: 'Buy a cargo bike' })).toBeVisible();
	await expect(due).toContainText('Closes');
	await expect(
		tabBar(b.page).getByRole('link', { name: /^Home/ }).getByTestId('nav-count')
	).toHaveText('1');

	const shown = async (page: Page) =>
		page.evaluate(async () => {
			const registration = await navigator.serviceWorker.ready;
			const list = await registration.getNotifications();
			return list.map((item) => ({
				title: item.title,
				body: item.body,
				tag: item.tag,
				url: (item.data as { url?: string } | null)?.url ?? ''
			}));
		});
	await expect.poll(async () => (await shown(b.page)).length, { timeout: 15_000 }).toBe(1);
	const [notification] = await shown(b.page);
	expect(notification).toMatchObject({
		title: 'New proposal in Coop Cloche',
		body: 'Buy a cargo bike'
	});
	expect(notification!.tag).toMatch(/:proposals$/);
	expect(notification!.url).toMatch(/\/coop\/[^/]+\/decisions\/[^/]+$/);
	// Never for one's own proposal.
	expect(await shown(a.page)).toEqual([]);

	// Seen: the count clears once B opens Decisions.
	await decisionsTab.click();
	await expect(b.page.getByRole('heading', { level: 2, name: 'Decisions' })).toBeVisible();
	await expect(decisionsTab.getByTestId('nav-count')).toHaveCount(0);

	// The notification's page is the proposal; once B votes, the home no longer lists it.
	await b.page.goto(notification!.url);
	await expect(b.page.getByTestId('proposal-title')).toHaveText('Buy a cargo bike');
	await expect(decisionsTab.getByTestId('nav-count')).toHaveCount(0);
	await vote(b.page, 'Agree');
	await tabBar(b.page).getByRole('link', { name: /^Home/ }).click();
	await expect(b.page.getByTestId('waiting-empty')).toBeVisible();
	await expect(b.page.getByTestId('votes-due')).toHaveCount(0);
	await expect(
		tabBar(b.page).getByRole('link', { name: /^Home/ }).getByTestId('nav-count')
	).toHaveCount(0);

	await a.context.close();
	await b.context.close();
});

test('requests waiting for me: an applicant’s admission and a device that asked to be linked while its link was withdrawn', async ({
	browser
}) => {
	const SYNC = { timeout: 30_000 };
	const a = await phone(browser, PHONES[0]);
	await createCoop(a.page, 'Coop Demandes', '/', 'Ada');
	const home = tabBar(a.page).getByRole('link', { name: /^Home/ });

	// A shows a device link, then leaves the page: the code is withdrawn before the phone asks.
	await openArea(a.page, 'My profile');
	await a.page.getByRole('link', { name: 'Link a device' }).click();
	const firstLink = await a.page.getByTestId('device-link').inputValue();
	await home.click();
	await expect(a.page.getByTestId('waiting-empty')).toBeVisible();
	const second = await phone(browser, PHONES[0]);
	await second.page.goto(firstLink);
	await second.page.getByRole('button', { name: 'Link this device' }).click();
	await expect(second.page.getByTestId('coop-name')).toHaveText('Coop Demandes', SYNC);

	// A's home says a device asked, and leads to where it is handled.
	const asks = a.page.getByTestId('link-asks');
	await expect(asks).toContainText('A device asked to be linked to you', SYNC);
	await expect(home.getByTestId('nav-count')).toHaveText('1');
	await asks.getByRole('link', { name: 'Link a device' }).click();
	const secondLink = await a.page.getByTestId('device-link').inputValue();
	expect(secondLink).not.toBe(firstLink);
	await second.page.goto(secondLink);
	await second.page.getByRole('button', { name: 'Link this device' }).click();
	await expect(a.page.getByTestId('link-status')).toHaveText('Your other device is linked.', SYNC);
	await expect(second.page.getByTestId('membership')).toHaveCount(0, SYNC);
	await home.click();
	await expect(a.page.getByTestId('waiting-empty')).toBeVisible();
	await expect(a.page.getByTestId('link-asks')).toHaveCount(0);

	// An applicant: the admission vote waits on the home, marked as such, until A votes.
	const applicant = await phone(browser, PHONES[0]);
	await openArea(a.page, 'Members');
	await applicant.page.goto(await a.page.getByTestId('apply-link').inputValue());
	await applicant.page.getByRole('button', { name: 'Ask to be admitted' }).click();
	const code = await applicant.page.getByTestId('device-code').inputValue();
	await propose(a.page, 'Admit Cyd', async (page) => {
		await page.getByLabel('If it passes').selectOption({ label: 'Admit a member' });
		await page.getByLabel('The applicant’s device code').fill(code);
		await page.getByLabel('The applicant’s name').fill('Cyd');
	});
	await home.click();
	const due = a.page.getByTestId('votes-due');
	await expect(due.getByRole('listitem').filter({ hasText: 'Admission' })).toContainText(
		'Admit Cyd'
	);
	await due.getByRole('link', { name: 'Admit Cyd' }).click();
	await vote(a.page, 'Agree');
	await home.click();
	await expect(a.page.getByTestId('waiting-empty')).toBeVisible();

	for (const device of [a, second, applicant]) await device.context.close();
});

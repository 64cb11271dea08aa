import { expect, test } from '@playwright/test';
import {
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	waitForPeers
} from './fixtures';

test('an invited member joins with a name, both see two members, and profile edits reach the other', async ({
	browser
}) => {
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Boulangerie Solidaire', '/', 'Ada');
	const link = await inviteLink(a.page);
	await expect(a.page.getByTestId('open-invites')).toContainText('1 use left');
	await expect(a.page.getByRole('img', { name: /QR code of the invite link/ })).toBeVisible();

	await joinWithLink(b.page, link, 'Boulangerie Solidaire', 'Bea');
	await waitForPeers(b.page);
	await expect(await memberNames(b.page)).toHaveText(['Ada', 'Bea'], { timeout: 30_000 });
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea']);
	await expect(b.page.getByTestId('membership')).toHaveCount(0);

	await b.page.getByRole('link', { name: 'My profile' }).click();
	await b.page.getByLabel('Name', { exact: true }).fill('Béatrice');
	await b.page.getByLabel('About you').fill('Night shift baker.');
	await b.page.getByLabel('Skills').fill('sourdough, deliveries');
	await b.page.getByRole('button', { name: 'Save profile' }).click();
	await expect(b.page.getByText('Profile saved.')).toBeVisible();

	await expect(a.page.getByTestId('member-name')).toHaveText(['Ada', 'Béatrice']);
	const bea = a.page.getByTestId('member').filter({ hasText: 'Béatrice' });
	await expect(bea).toContainText('Night shift baker.');
	await expect(bea.getByRole('list', { name: 'Skills' })).toHaveText(/sourdough\s*deliveries/);
	await expect(bea).toContainText('1 device');

	await a.context.close();
	await b.context.close();
});

test('revoked and used-up invites give a clear message on a fresh device', async ({ browser }) => {
	const a = await newDevice(browser);
	await createCoop(a.page, 'Coop Fermée', '/', 'Ada');
	const revoked = await inviteLink(a.page);
	// It asks first, and Cancel leaves the invite open.
	await a.page.getByRole('button', { name: /Revoke the invite/ }).click();
	await expect(a.page.getByRole('alert')).toHaveText(
		'Revoke this invite? Its link stops working for good.'
	);
	await a.page.getByRole('button', { name: 'Cancel' }).click();
	await expect(a.page.getByRole('button', { name: 'Yes, revoke' })).toHaveCount(0);
	await expect(a.page.getByTestId('invite-link')).toHaveValue(revoked);
	await a.page.getByRole('button', { name: /Revoke the invite/ }).click();
	await a.page.getByRole('button', { name: 'Yes, revoke' }).click();
	await expect(a.page.getByText('Invite revoked.')).toBeVisible();
	await expect(a.page.getByText('No open invite.')).toBeVisible();
	// A revoked link is no longer offered for sharing.
	await expect(a.page.getByTestId('invite-link')).toHaveCount(0);

	const c = await newDevice(browser);
	await joinWithLink(c.page, revoked, 'Coop Fermée', 'Carl');
	await expect(c.page.getByTestId('membership')).toHaveText(
		'This invite was revoked. Ask a member for a new one.',
		{ timeout: 30_000 }
	);
	await c.context.close();

	const single = await inviteLink(a.page);
	const b = await newDevice(browser);
	await joinWithLink(b.page, single, 'Coop Fermée', 'Bea');
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea'], { timeout: 30_000 });

	const late = await newDevice(browser);
	await joinWithLink(late.page, single, 'Coop Fermée', 'Dan');
	await expect(late.page.getByTestId('membership')).toHaveText(
		'This invite has been used up. Ask a member for a new one.',
		{ timeout: 30_000 }
	);
	await expect(await memberNames(late.page)).toHaveText(['Ada', 'Bea']);

	await a.context.close();
	await b.context.close();
	await late.context.close();
});

test('a member leaves after confirming, and shows as left to the others', async ({ browser }) => {
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Coop Départ', '/', 'Ada');
	await joinWithLink(b.page, await inviteLink(a.page), 'Coop Départ', 'Bea');
	await expect(await memberNames(b.page)).toHaveText(['Ada', 'Bea'], { timeout: 30_000 });

	await b.page.getByRole('link', { name: 'My profile' }).click();
	await b.page.getByRole('button', { name: 'Leave the co-op…' }).click();
	await b.page.getByRole('button', { name: 'Yes, leave Coop Départ' }).click();
	await expect(b.page.getByTestId('membership')).toHaveText(/You left this co-op/);

	await memberNames(a.page);
	await expect(
		a.page.getByTestId('member').filter({ hasText: 'Bea' }).getByTestId('member-status')
	).toHaveText('Left');
	await a.context.close();
	await b.context.close();
});

test('a member links a second device, which then acts as the same member', async ({ browser }) => {
	const a = await newDevice(browser);
	await createCoop(a.page, 'Coop Deux Écrans', '/', 'Ada');
	await a.page.getByRole('link', { name: 'My profile' }).click();
	await a.page.getByRole('link', { name: 'Link a device' }).click();
	const link = await a.page.getByTestId('device-link').inputValue();
	expect(link).toContain('/link#');
	await expect(a.page.getByRole('img', { name: /QR code of the link/ })).toBeVisible();

	const phone = await newDevice(browser);
	await phone.page.goto(link);
	await phone.page.getByRole('button', { name: 'Link this device' }).click();
	await expect(phone.page.getByTestId('coop-name')).toHaveText('Coop Deux Écrans');
	await expect(a.page.getByTestId('link-status')).toHaveText('Your other device is linked.', {
		timeout: 30_000
	});
	await expect(phone.page.getByTestId('membership')).toHaveCount(0, { timeout: 30_000 });

	await phone.page.getByRole('link', { name: 'My profile' }).click();
	await phone.page.getByLabel('Name', { exact: true }).fill('Ada L.');
	await phone.page.getByRole('button', { name: 'Save profile' }).click();
	await expect(await memberNames(a.page)).toHaveText(['Ada L.']);
	await expect(a.page.getByTestId('member')).toContainText('2 devices');
	await a.context.close();
	await phone.context.close();
});

import { expect, test, type Page } from '@playwright/test';
import {
	appendNotes,
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	notes,
	waitForPeers,
	openNotes
} from './fixtures';

/** The names of this device's IndexedDB databases. */
async function databases(page: Page): Promise<string[]> {
	return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''));
}

/** The fields of a link's fragment. */
function fieldsOf(link: string): URLSearchParams {
	return new URLSearchParams(new URL(link).hash.slice(1));
}

/**
 * A link as made before links carried a checksum (still accepted), with `change` applied: what
 * someone altering a link would send, since an altered link with its checksum is refused at once.
 */
function uncheckedLink(link: string, change: Record<string, string>): string {
	const fields = fieldsOf(link);
	fields.delete('sum');
	for (const [key, value] of Object.entries(change)) fields.set(key, value);
	return `${new URL(link).origin}/join#${fields.toString()}`;
}

/** Changes one character in the middle of a base64url value, keeping it well formed. */
function altered(value: string): string {
	const at = Math.floor(value.length / 2);
	return value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
}

test('a link cut short in its key is refused before anything is created', async ({ browser }) => {
	const a = await newDevice(browser);
	await createCoop(a.page, 'Coop Tronquée', '/', 'Ada');
	const link = await inviteLink(a.page);
	const cut = link.slice(0, link.indexOf('key=') + 'key='.length + 30);

	const b = await newDevice(browser);
	await b.page.goto(cut);
	await expect(b.page.getByRole('alert')).toContainText('This link is damaged');
	await expect(b.page.getByRole('button', { name: 'Ask to be admitted' })).toHaveCount(0);
	await expect(b.page.getByRole('button', { name: 'Join' })).toHaveCount(0);
	const stored = await databases(b.page);
	expect(
		stored.filter((name) => name.startsWith('ours-coop-') || name.startsWith('ours-vault-'))
	).toEqual([]);
	await b.page.goto('/');
	await expect(b.page.getByText('Coop Tronquée')).toHaveCount(0);

	await a.context.close();
	await b.context.close();
});

test('an altered invite token is found invalid on reaching a member; the join can be removed', async ({
	browser
}) => {
	const a = await newDevice(browser);
	await createCoop(a.page, 'Coop Vérifiée', '/', 'Ada');
	await appendNotes(a.page, 'Members only.');
	const link = await inviteLink(a.page);
	const coopId = fieldsOf(link).get('coop') ?? '';
	const forged = uncheckedLink(link, {
		invite: altered(fieldsOf(link).get('invite') ?? ''),
		name: 'Evil Co-op'
	});

	const b = await newDevice(browser);
	await b.page.goto(forged);
	// The name from the link is not shown as the truth.
	await expect(b.page.getByText('a co-op named “Evil Co-op” in the link')).toBeVisible();
	await b.page.getByLabel('Your name').fill('Bea');
	await b.page.getByRole('button', { name: 'Join' }).click();
	await waitForPeers(b.page);
	await expect(b.page.getByTestId('membership')).toContainText('This invite is not valid', {
		timeout: 10_000
	});
	// The genesis replaced the name the link carried.
	await expect(b.page.getByTestId('coop-name')).toHaveText('Coop Vérifiée');
	await expect(b.page.getByTestId('name-unconfirmed')).toHaveCount(0);

	// A device that is not a member reads the notes and cannot change them.
	await openNotes(b.page);
	await expect(notes(b.page)).toHaveValue('Members only.');
	await expect(notes(b.page)).not.toBeEditable();
	await notes(b.page).press('End');
	await b.page.keyboard.type(' Forged.');
	await expect(notes(b.page)).toHaveValue('Members only.');
	await openNotes(a.page);
	await expect(notes(a.page)).toHaveValue('Members only.');

	await b.page.goto('/');
	const entry = b.page.getByRole('link', { name: /Coop Vérifiée/ });
	await expect(entry).toBeVisible();
	await expect(entry).not.toContainText('Named in the link');
	await entry.click();
	await expect(b.page.getByTestId('coop-name')).toHaveText('Coop Vérifiée');

	expect(await databases(b.page)).toEqual(
		expect.arrayContaining([`ours-coop-${coopId}`, `ours-vault-${coopId}`])
	);
	await b.page.getByRole('button', { name: 'Remove this co-op from this device' }).click();
	await b.page.getByRole('button', { name: 'Remove it' }).click();
	await expect(b.page).toHaveURL(/\/$/);
	await expect(b.page.getByText('Coop Vérifiée')).toHaveCount(0);
	await expect
		.poll(async () => (await databases(b.page)).filter((name) => name.includes(coopId)))
		.toEqual([]);

	await a.context.close();
	await b.context.close();
});

test('a device with the wrong room key is ignored without errors, and told its key is wrong', async ({
	browser
}) => {
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	const errors: string[] = [];
	for (const { page } of [a, b]) page.on('pageerror', (error) => errors.push(String(error)));
	await createCoop(a.page, 'Coop Chiffrée', '/', 'Ada');
	const link = await inviteLink(a.page, { uses: 2 });
	await joinWithLink(b.page, link, 'Coop Chiffrée', 'Bea');
	await waitForPeers(a.page);

	const stranger = await newDevice(browser);
	const wrongKey = uncheckedLink(link, { key: 'K'.repeat(42) + 'A' });
	await joinWithLink(stranger.page, wrongKey, 'Coop Chiffrée', 'Sam');
	await expect(stranger.page.getByTestId('name-unconfirmed')).toBeVisible();
	await expect(stranger.page.getByTestId('membership')).toContainText(
		'The key in this link is wrong',
		{ timeout: 30_000 }
	);

	await a.page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Sync & backup' })
		.click();
	await expect(a.page.getByTestId('sync-ignored')).toContainText(
		/\d+ messages? from (a device|devices) without this co-op's key (was|were) ignored/
	);
	expect(errors).toEqual([]);
	// The members still sync with each other.
	await expect(a.page.getByTestId('sync-state')).toHaveText('Connected to 1 device');

	// The co-op never synced on the stranger's device: its name is the link's, and it can go.
	await stranger.page.goto('/');
	await expect(stranger.page.getByRole('link', { name: /Coop Chiffrée/ })).toContainText(
		'Named in the link'
	);
	await stranger.page.getByRole('link', { name: /Coop Chiffrée/ }).click();
	await stranger.page.getByRole('button', { name: 'Remove this co-op from this device' }).click();
	await stranger.page.getByRole('button', { name: 'Remove it' }).click();
	await expect(stranger.page.getByRole('link', { name: /Coop Chiffrée/ })).toHaveCount(0);
	// Only the device's own databases stay (its co-op list, its settings): nothing of the co-op.
	await expect
		.poll(async () => (await databases(stranger.page)).filter((name) => name.startsWith('ours-')))
		.toEqual(expect.not.arrayContaining([expect.stringMatching(/^ours-(coop|vault)-/)]));
	expect(await databases(stranger.page)).toContain('ours-device');

	await a.context.close();
	await b.context.close();
	await stranger.context.close();
});

test('a name with an invisible character, or that looks like a member’s, is refused', async ({
	browser
}) => {
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Coop Nommée', '/', 'Ada');
	await joinWithLink(b.page, await inviteLink(a.page), 'Coop Nommée', 'Bea');
	await expect(b.page.getByTestId('membership')).toHaveCount(0, { timeout: 30_000 });

	await b.page.getByRole('link', { name: 'My profile' }).click();
	const name = b.page.getByLabel('Name', { exact: true });
	const save = b.page.getByRole('button', { name: 'Save profile' });
	await name.fill('Ada\u200b');
	await save.click();
	await expect(b.page.getByRole('alert')).toHaveText(
		'The name contains invisible characters. Type it again without them.'
	);
	// Greek capital alpha, then "DA": it reads as Ada.
	await name.fill('\u0391DA');
	await save.click();
	await expect(b.page.getByRole('alert')).toHaveText(
		"That name looks like another member's name. Choose one that others cannot mistake."
	);
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea']);
	await expect(a.page.getByTestId('member-look-alike')).toHaveCount(0);

	// Joining with a name that looks taken: the join counts, the name is not written.
	const c = await newDevice(browser);
	await a.page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Notes' })
		.click();
	await joinWithLink(c.page, await inviteLink(a.page), 'Coop Nommée', '\u0391da');
	await expect(c.page.getByTestId('no-name')).toBeVisible({ timeout: 30_000 });
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea', 'Member without a name yet'], {
		timeout: 30_000
	});
	await c.context.close();

	await a.context.close();
	await b.context.close();
});

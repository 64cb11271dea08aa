import { readFile, writeFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { CRAFTED_CLIENT, clientsInStateVector, craftedFile } from './crafted-file';
import {
	appendNotes,
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	notes,
	openNotes
} from './fixtures';

/** Nothing listens there: these devices can never meet online. */
const NO_RELAY = 'ws://127.0.0.1:9';

interface SyncFile {
	readonly name: string;
	readonly mimeType: string;
	readonly buffer: Buffer;
}

async function openSyncPage(page: Page): Promise<void> {
	await page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Sync & backup' })
		.click();
	await expect(page.getByRole('heading', { name: 'Sync & backup' })).toBeVisible();
}

/** Makes a file with `button` and downloads it as a member would. */
async function exportFile(page: Page, button: string, testid: string): Promise<SyncFile> {
	await page.getByRole('button', { name: button }).click();
	const link = page.getByTestId(testid).getByRole('link', { name: 'Download the file' });
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	const buffer = await readFile(await download.path());
	return { name: download.suggestedFilename(), mimeType: 'application/octet-stream', buffer };
}

async function importFile(page: Page, file: SyncFile): Promise<void> {
	await page.getByLabel('File from a member', { exact: true }).setInputFiles(file);
}

test('two members who are never online together sync by files, both ways', async ({ browser }) => {
	const a = await newDevice(browser, { relay: NO_RELAY });
	const b = await newDevice(browser, { relay: NO_RELAY });
	await createCoop(a.page, 'Coop Fichier', '/', 'Ada');
	await appendNotes(a.page, 'Ada: order flour.');
	const link = await inviteLink(a.page);
	await joinWithLink(b.page, link, 'Coop Fichier', 'Bea');
	await expect(b.page.getByTestId('membership')).toBeVisible();

	// A shares everything; B merges it, and its join can then be written.
	await openSyncPage(a.page);
	const everything = await exportFile(a.page, 'Export all changes', 'file-all');
	expect(everything.name).toMatch(/^coop-fichier-all-\d{4}-\d{2}-\d{2}\.ours$/);
	await openSyncPage(b.page);
	await importFile(b.page, everything);
	await expect(b.page.getByTestId('receive-outcome')).toHaveText(
		'Done: the changes in the file are now on this device.'
	);
	await expect(b.page.getByTestId('membership')).toHaveCount(0, { timeout: 15_000 });
	await openNotes(b.page);
	await expect(notes(b.page)).toHaveValue('Ada: order flour.');
	await appendNotes(b.page, ' Bea: done.');

	// A asks for what it lacks; B answers with exactly that.
	const have = await exportFile(a.page, 'Export what I have', 'file-have');
	await openSyncPage(b.page);
	await importFile(b.page, have);
	await expect(b.page.getByText(/This file says what a member already has/)).toBeVisible();
	const lack = await exportFile(b.page, 'Export what they lack', 'file-lack');
	expect(lack.buffer.length).toBeLessThan(everything.buffer.length);
	await importFile(a.page, lack);
	await expect(a.page.getByTestId('receive-outcome')).toHaveText(
		'Done: the changes in the file are now on this device.'
	);
	await expect(a.page.getByTestId('member-sync').filter({ hasText: 'Bea' })).not.toContainText(
		'Not since'
	);
	await importFile(a.page, lack);
	await expect(a.page.getByTestId('receive-outcome')).toHaveText(
		'This device already had everything in the file.'
	);

	await openNotes(a.page);
	await expect(notes(a.page)).toHaveValue('Ada: order flour. Bea: done.');
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea']);
	await expect(await memberNames(b.page)).toHaveText(['Ada', 'Bea']);

	// A damaged file and a file of another co-op change nothing.
	const other = await newDevice(browser, { relay: NO_RELAY });
	await createCoop(other.page, 'Autre Coop', '/', 'Omar');
	await appendNotes(other.page, 'Not for you.');
	await openSyncPage(other.page);
	const foreign = await exportFile(other.page, 'Export all changes', 'file-all');
	await other.context.close();

	const damaged = Buffer.from(everything.buffer);
	damaged[damaged.length >> 1]! ^= 0x40;
	await openSyncPage(b.page);
	await importFile(b.page, { ...everything, buffer: damaged });
	await expect(b.page.getByRole('alert')).toHaveText(
		'This file is damaged (incomplete or altered). Ask for it again.'
	);
	await importFile(b.page, foreign);
	await expect(b.page.getByRole('alert')).toHaveText(
		'This file belongs to another co-op. Nothing was changed.'
	);
	await importFile(b.page, {
		name: 'notes.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('hi')
	});
	await expect(b.page.getByRole('alert')).toHaveText('This is not an Ours file.');
	await openNotes(b.page);
	await expect(notes(b.page)).toHaveValue('Ada: order flour. Bea: done.');

	await a.context.close();
	await b.context.close();
});

const TOO_MUCH_WORK =
	'This file takes too much work to read; it may be damaged or crafted. Nothing was changed.';

/** Whether the Sync page shows a refusal; rejects unless its main thread answers within `ms`. */
async function refusedWithin(page: Page, ms: number): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`the page did not answer within ${ms} ms`)), ms);
	});
	const refused = page.evaluate(
		() => document.querySelector('[data-testid="receive-outcome"] [role="alert"]') !== null
	);
	try {
		return await Promise.race([refused, late]);
	} finally {
		clearTimeout(timer);
	}
}

test('a crafted file of thirty million tiny structs is refused, and the page stays responsive', async ({
	browser
}, testInfo) => {
	const a = await newDevice(browser, { relay: NO_RELAY });
	await createCoop(a.page, 'Coop Piège', '/', 'Ada');
	await appendNotes(a.page, 'Ada: order flour.');
	await openSyncPage(a.page);
	const coopId = /\/coop\/([^/]+)\/sync/.exec(a.page.url())?.[1];
	expect(coopId).toBeTruthy();

	// 60 MB with a valid header and checksum; Yjs alone would block the tab for tens of seconds
	// building thirty million objects (a hundred million crash it).
	const path = testInfo.outputPath('crafted.ours');
	await writeFile(path, craftedFile(coopId!, 30_000_000));
	await a.page.getByLabel('File from a member', { exact: true }).setInputFiles(path);
	// From the file's choice until the refusal shows, the page answers at once.
	while (!(await refusedWithin(a.page, 1000))) await a.page.waitForTimeout(50);
	await expect(a.page.getByRole('alert')).toHaveText(TOO_MUCH_WORK);
	await a.page.getByRole('button', { name: 'Export all changes' }).click();
	await expect(a.page.getByTestId('file-all')).toBeVisible();

	// Nothing of it was merged: the document knows no change by the crafted client.
	const have = await exportFile(a.page, 'Export what I have', 'file-have');
	const clients = clientsInStateVector(have.buffer);
	expect(clients.length).toBeGreaterThan(0);
	expect(clients).not.toContain(CRAFTED_CLIENT);
	await openNotes(a.page);
	await expect(notes(a.page)).toHaveValue('Ada: order flour.');

	// A backup goes through the same reading: refused on the home page, no co-op added.
	await a.page.goto('/');
	await a.page.getByLabel('Backup file').setInputFiles({
		name: 'crafted-backup.ours',
		mimeType: 'application/octet-stream',
		buffer: craftedFile('coop-crafted', 1_000_001, 'backup')
	});
	await expect(a.page.getByTestId('restore-error')).toHaveText(TOO_MUCH_WORK);
	await expect(a.page.getByRole('link', { name: /Crafted/ })).toHaveCount(0);
	await a.context.close();
});

test('a file that takes the reader too long is refused when its time is up', async ({
	browser
}) => {
	const a = await newDevice(browser, { relay: NO_RELAY });
	// The page's timers run as usual until the test moves its clock on.
	await a.page.clock.install();
	await createCoop(a.page, 'Coop Lente', '/', 'Ada');
	await openSyncPage(a.page);
	const coopId = /\/coop\/([^/]+)\/sync/.exec(a.page.url())?.[1];
	// Within the counts (a struct short of the limit), so the worker reads it whole: seconds.
	await importFile(a.page, {
		name: 'slow.ours',
		mimeType: 'application/octet-stream',
		buffer: craftedFile(coopId!, 999_998)
	});
	await expect(a.page.getByText('Reading the file…')).toBeVisible();
	await a.page.clock.fastForward(61_000);
	await expect(a.page.getByRole('alert')).toHaveText(TOO_MUCH_WORK);
	const have = await exportFile(a.page, 'Export what I have', 'file-have');
	expect(clientsInStateVector(have.buffer)).not.toContain(CRAFTED_CLIENT);
	await a.context.close();
});

test('a backup restores the whole co-op in a fresh browser', async ({ browser }) => {
	const a = await newDevice(browser, { relay: NO_RELAY });
	await createCoop(a.page, 'Coop Sauvegarde', '/', 'Ada');
	await appendNotes(a.page, 'Minutes of the first meeting.');
	// A co-op new to the device is not nagged in its first week; a week later it is.
	await expect(a.page.getByTestId('save-state')).toHaveText('Saved on this device');
	await expect(a.page.getByTestId('backup-nudge')).toHaveCount(0);
	await a.page.clock.setSystemTime(Date.now() + 8 * 24 * 60 * 60 * 1000);
	await a.page.reload();
	await expect(a.page.getByTestId('backup-nudge')).toBeVisible();

	await openSyncPage(a.page);
	await expect(a.page.getByTestId('last-backup')).toHaveText(
		'No backup made from this device yet.'
	);
	await expect(a.page.getByText(/a backup contains the co-op's room key/)).toBeVisible();
	const backup = await exportFile(a.page, 'Make a backup', 'file-backup');
	await expect(a.page.getByTestId('last-backup')).toHaveText(/^Last backup from this device: /);
	const { violations } = await new AxeBuilder({ page: a.page }).analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
	await openNotes(a.page);
	await expect(a.page.getByTestId('backup-nudge')).toHaveCount(0);

	const fresh = await newDevice(browser, { relay: NO_RELAY });
	await fresh.page.goto('/');
	await expect(
		fresh.page.getByRole('heading', { name: 'No co-op on this device yet' })
	).toBeVisible();
	// A sync file is not a backup.
	await openSyncPage(a.page);
	const changes = await exportFile(a.page, 'Export all changes', 'file-all');
	await fresh.page.getByLabel('Backup file').setInputFiles(changes);
	await expect(fresh.page.getByTestId('restore-error')).toHaveText(
		'This file cannot be used here.'
	);

	await fresh.page.getByLabel('Backup file').setInputFiles(backup);
	await expect(fresh.page.getByTestId('coop-name')).toHaveText('Coop Sauvegarde');
	await openNotes(fresh.page);
	await expect(notes(fresh.page)).toHaveValue('Minutes of the first meeting.');
	await expect(fresh.page.getByTestId('membership')).toHaveText(/not a member/);
	await expect(await memberNames(fresh.page)).toHaveText(['Ada']);

	// It stays after a reload: the co-op is on the device now.
	await fresh.page.goto('/');
	await expect(fresh.page.getByRole('link', { name: /Coop Sauvegarde/ })).toBeVisible();
	await a.context.close();
	await fresh.context.close();
});

test('a member removes a co-op from the device after a backup: its data is gone, and the backup brings it back', async ({
	browser
}) => {
	const a = await newDevice(browser, { relay: NO_RELAY });
	await createCoop(a.page, 'Coop Partie', '/', 'Ada');
	await appendNotes(a.page, 'Kept in the backup.');
	const coopId = new URL(a.page.url()).pathname.split('/')[2]!;
	const databases = () =>
		a.page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''));
	expect(await databases()).toEqual(
		expect.arrayContaining([`ours-coop-${coopId}`, `ours-vault-${coopId}`])
	);

	await openSyncPage(a.page);
	const removal = a.page.getByRole('region', { name: 'Remove this co-op from this device' });
	await expect(removal).toContainText('No backup of this co-op was made on this device.');
	await removal.getByRole('button', { name: 'Remove this co-op from this device' }).click();
	const backup = await exportFile(a.page, 'Make a backup first', 'file-backup-before-removal');
	// Thinking better of it keeps everything.
	await removal.getByRole('button', { name: 'Cancel' }).click();
	await expect(a.page.getByTestId('coop-name')).toHaveText('Coop Partie');

	await removal.getByRole('button', { name: 'Remove this co-op from this device' }).click();
	await removal.getByRole('button', { name: 'Remove it' }).click();
	await expect(a.page.getByRole('heading', { name: 'No co-op on this device yet' })).toBeVisible();
	await expect.poll(databases).not.toContain(`ours-coop-${coopId}`);
	expect(await databases()).not.toContain(`ours-vault-${coopId}`);
	await a.page.reload();
	await expect(a.page.getByRole('heading', { name: 'No co-op on this device yet' })).toBeVisible();

	await a.page.getByLabel('Backup file').setInputFiles(backup);
	await expect(a.page.getByTestId('coop-name')).toHaveText('Coop Partie');
	await openNotes(a.page);
	await expect(notes(a.page)).toHaveValue('Kept in the backup.');
	await a.context.close();
});

import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { appendNotes, createCoop, inviteLink, newDevice } from './fixtures';

/** Nothing listens there: these devices never meet online, only files and links go between them. */
const NO_RELAY = 'ws://127.0.0.1:9';

interface ShareTarget {
	action: string;
	method: string;
	enctype: string;
	params: { title: string; text: string; url: string; files: Array<{ name: string }> };
}

async function openSyncPage(page: Page): Promise<void> {
	const id = new URL(page.url()).pathname.split('/')[2];
	await page.goto(`/coop/${id}/sync`);
	await expect(page.getByRole('heading', { name: 'Sync & backup' })).toBeVisible();
}

/** Makes a file with `button` on the sync page and downloads it as a member would. */
async function exportFile(page: Page, button: string, testid: string): Promise<number[]> {
	await page.getByRole('button', { name: button }).click();
	const link = page.getByTestId(testid).getByRole('link', { name: 'Download the file' });
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	return [...(await readFile(await download.path()))];
}

/** Opens the app and waits until its service worker controls the page, as in an installed app. */
async function openControlled(page: Page): Promise<ShareTarget> {
	await page.goto('/');
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (navigator.serviceWorker.controller) return;
		await new Promise((done) =>
			navigator.serviceWorker.addEventListener('controllerchange', done, { once: true })
		);
	});
	const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
		share_target: ShareTarget;
	};
	return manifest.share_target;
}

/**
 * Shares to Ours as the system's share sheet does for another app: a form posted to the manifest's
 * share target, as a navigation, with its fields named as the manifest names them.
 */
async function share(
	page: Page,
	target: ShareTarget,
	what: { file?: { name: string; bytes: number[] }; text?: string; url?: string }
): Promise<void> {
	await page.evaluate(
		({ target, what }) => {
			const form = document.createElement('form');
			form.action = target.action;
			form.method = target.method;
			form.enctype = target.enctype;
			const field = (name: string, value: string) => {
				const input = document.createElement('input');
				input.type = 'hidden';
				input.name = name;
				input.value = value;
				form.append(input);
			};
			if (what.text) field(target.params.text, what.text);
			if (what.url) field(target.params.url, what.url);
			if (what.file) {
				const input = document.createElement('input');
				input.type = 'file';
				input.name = target.params.files[0]!.name;
				const files = new DataTransfer();
				files.items.add(new File([new Uint8Array(what.file.bytes)], what.file.name));
				input.files = files.files;
				form.append(input);
			}
			document.body.append(form);
			form.submit();
		},
		{ target, what }
	);
}

test('a backup shared from another app opens in Ours, and a sync file opened with Ours merges', async ({
	browser
}) => {
	const a = await newDevice(browser, { relay: NO_RELAY });
	await createCoop(a.page, 'Coop Partagée', '/', 'Ada');
	await appendNotes(a.page, 'Minutes of the first meeting.');
	await openSyncPage(a.page);
	const backup = await exportFile(a.page, 'Make a backup', 'file-backup');

	// The share target: the service worker takes the posted file (the static server has no POST
	// handler at all) and the page restores it, as a backup picked on the home page would be.
	const fresh = await newDevice(browser, { relay: NO_RELAY });
	const target = await openControlled(fresh.page);
	expect(target.method).toBe('POST');
	expect(target.enctype).toBe('multipart/form-data');
	await share(fresh.page, target, { file: { name: 'coop-partagee-backup.ours', bytes: backup } });
	await expect(fresh.page.getByTestId('coop-name')).toHaveText('Coop Partagée');
	await expect(fresh.page).toHaveURL(/\/coop\/[\w-]+$/);
	// The file does not linger in the service worker's keeping once taken.
	expect(
		await fresh.page.evaluate(
			async () => (await (await caches.open('ours-shared-files')).keys()).length
		)
	).toBe(0);

	// The file handler: a member opens a sync file with Ours. The browser hands the page a
	// FileSystemFileHandle through its launch queue; here the handle is a real one, of a file in the
	// origin's private file system, given to the consumer the page set.
	await a.page.goto(a.page.url().replace(/\/sync$/, ''));
	await appendNotes(a.page, ' Second meeting.');
	await openSyncPage(a.page);
	const changes = await exportFile(a.page, 'Export all changes', 'file-all');
	await fresh.page.evaluate(async (bytes) => {
		const root = await navigator.storage.getDirectory();
		const handle = await root.getFileHandle('changes.ours', { create: true });
		const writable = await handle.createWritable();
		await writable.write(new Uint8Array(bytes));
		await writable.close();
	}, changes);
	await fresh.page.addInitScript(() => {
		type Consumer = (params: { targetURL: string; files: FileSystemHandle[] }) => void;
		const launched = window as unknown as {
			launchQueue?: { setConsumer(consumer: Consumer): void };
			ourConsumer?: Promise<Consumer>;
		};
		launched.ourConsumer = new Promise((resolve) => {
			const queue = launched.launchQueue;
			if (queue) {
				const set = queue.setConsumer.bind(queue);
				queue.setConsumer = (consumer) => {
					resolve(consumer);
					set(consumer);
				};
			} else {
				launched.launchQueue = { setConsumer: resolve };
			}
		});
	});
	const manifest = (await (await fresh.page.request.get('/manifest.webmanifest')).json()) as {
		file_handlers: Array<{ action: string; accept: Record<string, string[]> }>;
	};
	const [handler] = manifest.file_handlers;
	expect(Object.values(handler!.accept).flat()).toContain('.ours');
	await fresh.page.goto(handler!.action);
	await fresh.page.evaluate(async () => {
		const launched = window as unknown as {
			ourConsumer: Promise<(params: { targetURL: string; files: FileSystemHandle[] }) => void>;
		};
		const handle = await (await navigator.storage.getDirectory()).getFileHandle('changes.ours');
		(await launched.ourConsumer)({ targetURL: location.href, files: [handle] });
	});
	await expect(fresh.page).toHaveURL(/\/coop\/[\w-]+\/sync$/);
	await expect(fresh.page.getByTestId('receive-outcome')).toHaveText(
		'Done: the changes in the file are now on this device.'
	);

	// A sync file of a co-op the device does not have opens nothing.
	const stranger = await newDevice(browser, { relay: NO_RELAY });
	const strangerTarget = await openControlled(stranger.page);
	await share(stranger.page, strangerTarget, { file: { name: 'changes.ours', bytes: changes } });
	await expect(stranger.page.getByTestId('share-outcome')).toHaveText(
		/a co-op this device does not have yet/
	);
	await a.context.close();
	await fresh.context.close();
	await stranger.context.close();
});

test('an invite link shared from another app opens the invite in Ours', async ({ browser }) => {
	const a = await newDevice(browser, { relay: NO_RELAY });
	await createCoop(a.page, 'Coop Lien', '/', 'Ada');
	const link = await inviteLink(a.page);

	const b = await newDevice(browser, { relay: NO_RELAY });
	const target = await openControlled(b.page);
	// A messaging app puts the link in the text, with words around it.
	await share(b.page, target, { text: `Join our co-op: ${link} See you Monday!` });
	await expect(b.page.getByRole('heading', { name: 'Join a co-op' })).toBeVisible();
	expect(new URL(b.page.url()).hash).toBe(new URL(link).hash);
	await expect(b.page.getByLabel('Your name')).toBeVisible();

	// Without the service worker a share target may send a GET with the same fields.
	await b.page.goto(`/share?url=${encodeURIComponent(link)}`);
	await expect(b.page.getByRole('heading', { name: 'Join a co-op' })).toBeVisible();

	// Anything else opens nothing.
	await share(b.page, target, { url: 'https://example.org/join#coop=nothing' });
	await expect(b.page.getByTestId('share-outcome')).toHaveText(/Nothing Ours can open was shared/);
	await a.context.close();
	await b.context.close();
});

import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { serveApp } from '../../scripts/serve.js';
import { appendNotes, createCoop, newDevice, notes } from './fixtures';

const PORT = 4274;

test('a new deployment shows a reload prompt, and reloading keeps what was typed', async ({
	browser
}) => {
	// A deployment of its own, so this test can publish a "new version" of the app.
	const dir = await mkdtemp(join(tmpdir(), 'ours-deploy-'));
	await cp('build', dir, { recursive: true });
	let server: Server = await serveApp({ port: PORT, dir });
	const { context, page } = await newDevice(browser);
	try {
		await page.goto(`http://localhost:${PORT}/`);
		await createCoop(page, 'Coop Mise à Jour', `http://localhost:${PORT}/`);
		await page.evaluate(() => navigator.serviceWorker.ready);
		await appendNotes(page, 'Typed before the update.');
		await expect(page.getByRole('button', { name: 'Reload' })).toHaveCount(0);

		server.close();
		const worker = join(dir, 'service-worker.js');
		await appendFile(worker, '\n// next version\n');
		// A deployment ships the worker's precompressed copies too: browsers are sent those.
		const next = await readFile(worker);
		await writeFile(`${worker}.br`, brotliCompressSync(next));
		await writeFile(`${worker}.gz`, gzipSync(next));
		server = await serveApp({ port: PORT, dir });
		await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			await registration?.update();
		});

		await expect(page.getByText('A new version of Ours is ready.')).toBeVisible();
		// Waiting for the reload starts before the click: the reload can be done before it returns.
		const reloaded = page.waitForEvent('load');
		await page.getByRole('button', { name: 'Reload' }).click();
		await reloaded;
		await expect(notes(page)).toHaveValue('Typed before the update.');
		await expect(page.getByRole('button', { name: 'Reload' })).toHaveCount(0);
	} finally {
		await context.close();
		server.close();
		await rm(dir, { recursive: true, force: true });
	}
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../scripts/chromium.js';

test('Chrome finds the app installable to the home screen', async ({ baseURL }) => {
	// Chrome never offers installation in an incognito-like context, so this test uses a real profile.
	const profile = await mkdtemp(join(tmpdir(), 'ours-install-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: findChromium(),
		args: chromiumArgs,
		baseURL
	});
	try {
		const page = await context.newPage();
		await page.goto('/');
		await page.evaluate(() => navigator.serviceWorker.ready);
		const cdp = await context.newCDPSession(page);
		const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
			installabilityErrors: Array<{ errorId: string }>;
		};
		expect(installabilityErrors).toEqual([]);

		const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
			icons: Array<{ sizes: string; purpose: string }>;
			display: string;
		};
		expect(manifest.display).toBe('standalone');
		expect(manifest.icons.map((icon) => `${icon.sizes}/${icon.purpose}`)).toEqual(
			expect.arrayContaining(['192x192/any', '512x512/any', '512x512/maskable'])
		);
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
	}
});

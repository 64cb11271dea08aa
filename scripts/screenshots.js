// `npm run screenshots`: the pictures of the app the install sheet shows (the manifest's
// `screenshots`), taken of the built app in Chromium: a co-op founded through the app, with notes
// and a proposal, on a phone (390x844) and on a computer (1280x800). Writes static/screenshots/;
// run `npm run build` first (the script serves build/), and build again to ship the new pictures.
import { mkdir, rm } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { chromiumArgs, findChromium } from './chromium.js';
import { serveApp } from './serve.js';

const port = Number(process.env.SCREENSHOTS_PORT ?? 4395);
const origin = `http://localhost:${port}`;
const out = 'static/screenshots';

const server = await serveApp({ port });
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
try {
	await rm(out, { recursive: true, force: true });
	await mkdir(out, { recursive: true });
	const context = await browser.newContext({
		viewport: { width: 390, height: 844 },
		deviceScaleFactor: 1,
		locale: 'en-GB',
		colorScheme: 'light',
		reducedMotion: 'reduce'
	});
	// No relay: the pictures show a device on its own, without connection warnings changing.
	await context.addInitScript(() => {
		localStorage.setItem(
			'ours.sync-settings',
			JSON.stringify({ signalingUrls: ['ws://127.0.0.1:9'], iceServers: [] })
		);
	});
	const page = await context.newPage();
	await page.goto(`${origin}/`);
	await page.getByLabel('Co-op name').fill('Riverside Couriers');
	await page.getByLabel('Your name').fill('Ada');
	await page.getByRole('button', { name: 'Create' }).click();
	await page.getByTestId('coop-name').waitFor();
	const coop = page.url();

	await page.goto(`${coop}/decisions/new`);
	await page.getByLabel('Title').fill('Buy two cargo bikes for the winter rounds');
	await page.getByRole('button', { name: 'Start the proposal' }).click();
	await page.getByTestId('proposal-title').waitFor();

	/** @param {string} path @param {string} name */
	const shoot = async (path, name) => {
		await page.goto(path);
		await page.waitForLoadState('networkidle');
		await page.screenshot({ path: `${out}/${name}.png` });
		console.log(`${out}/${name}.png`);
	};
	await shoot(coop, 'phone-coop');
	await shoot(`${coop}/decisions`, 'phone-decisions');
	await page.setViewportSize({ width: 1280, height: 800 });
	await shoot(coop, 'wide-coop');
	await context.close();
} finally {
	await browser.close();
	server.close();
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import { bundleForBrowser } from '../../scripts/bundle-for-browser.js';

/**
 * A bare page that is not the app, running `entry` (bundled for the browser) in a context of its
 * own, and waiting until the script has set `window[global]`. It is served by a throwaway server
 * of the test from a real local address: Chromium's local network checks refuse a page that does
 * not come from one (an intercepted response) the connection to the relay on 127.0.0.1.
 */
export async function barePage(
	browser: Browser,
	entry: string,
	global: string
): Promise<{ page: Page; close: () => Promise<void> }> {
	const script = await bundleForBrowser(entry);
	const html = `<!doctype html><title>${global}</title><script type="module" src="/${global}.js"></script>`;
	const server = createServer((request, response) => {
		const isScript = request.url?.endsWith('.js') === true;
		response.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
		response.end(isScript ? script : html);
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const { port } = server.address() as AddressInfo;
	const context = await browser.newContext({ serviceWorkers: 'block' });
	const page = await context.newPage();
	await page.goto(`http://127.0.0.1:${port}/`);
	await page.waitForFunction((name) => name in window, global);
	return {
		page,
		close: async () => {
			await context.close();
			server.close();
		}
	};
}

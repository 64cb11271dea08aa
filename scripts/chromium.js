import { existsSync } from 'node:fs';

const candidates = [
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome',
	'/usr/bin/google-chrome-stable',
	'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
];

/** The browser used by the end-to-end tests and benchmarks: CHROMIUM_PATH, else a system install. */
export function findChromium() {
	const path = process.env.CHROMIUM_PATH;
	if (path) return existsSync(path) ? path : undefined;
	return candidates.find((candidate) => existsSync(candidate));
}

/** Flags that let headless Chromium run as root in a container with no outside network. */
export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

// Fails the browser tests with a one-line instruction when no Chromium is found: they never skip silently.
import { findChromium } from './chromium.js';

if (!findChromium()) {
	console.error(
		'No Chromium found: install it (Debian: `apt-get install -y chromium`) or set CHROMIUM_PATH.'
	);
	process.exit(1);
}

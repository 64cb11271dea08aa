import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The browser benchmark alone: it launches Chromium, so `bench:records` leaves it out. */
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
	test: {
		include: ['bench/records/browser.run.ts'],
		environment: 'node',
		testTimeout: 15 * 60_000,
		disableConsoleIntercept: true
	}
});

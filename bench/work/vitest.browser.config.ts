import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The money page in Chromium alone: it needs the built app, so `bench:work` leaves it out. */
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
	test: {
		include: ['bench/work/browser.run.ts'],
		environment: 'node',
		testTimeout: 30 * 60_000,
		disableConsoleIntercept: true
	}
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The flood benchmark: it launches Chromium. */
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
	test: {
		include: ['bench/flood/flood.run.ts'],
		environment: 'node',
		testTimeout: 15 * 60_000,
		disableConsoleIntercept: true
	}
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The credential benchmark: Node, then Chromium (figures printed, never asserted). */
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
	test: {
		include: ['bench/credentials/**/*.bench-run.ts'],
		environment: 'node',
		testTimeout: 10 * 60_000,
		disableConsoleIntercept: true
	}
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Runs the record benchmarks as a Vitest "test" that prints figures and asserts no timings:
 * Node 20 cannot run TypeScript directly, and Vitest is already here to compile it.
 */
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
	test: {
		include: ['bench/records/**/*.bench-run.ts'],
		environment: 'node',
		testTimeout: 15 * 60_000,
		disableConsoleIntercept: true
	}
});

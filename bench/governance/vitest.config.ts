import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Runs the governance benchmark as a Vitest "test" that prints figures and asserts no timings,
 * like bench/records: Vitest compiles the TypeScript and resolves `$lib`.
 */
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
	test: {
		include: ['bench/governance/**/*.bench-run.ts'],
		environment: 'node',
		testTimeout: 15 * 60_000,
		disableConsoleIntercept: true
	}
});

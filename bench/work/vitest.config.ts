import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Runs the work benchmark as a Vitest "test" that prints figures and whether each goal is met,
 * like bench/governance: Vitest compiles the TypeScript and resolves `$lib`.
 */
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
	test: {
		include: ['bench/work/**/*.bench-run.ts'],
		environment: 'node',
		testTimeout: 30 * 60_000,
		disableConsoleIntercept: true
	}
});

import { readFileSync } from 'node:fs';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

/**
 * Whether a dynamically imported chunk is only reached once a co-op is on the device: the co-op
 * stack, and the route nodes of `src/routes/coop/` (SvelteKit's generated node files name the
 * component each holds). By then the service worker serves the app from its cache, where preload
 * links cost the main thread more than they save.
 */
function openedFromCache(file: string): boolean {
	const node = /\/nodes\/(\d+)\./.exec(file)?.[1];
	if (node === undefined) return true;
	const source = readFileSync(`.svelte-kit/generated/client-optimized/nodes/${node}.js`, 'utf8');
	return source.includes('/src/routes/coop/');
}

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// The language follows the browser until the member picks one in settings.
			strategy: ['localStorage', 'preferredLanguage', 'baseLocale'],
			emitTsDeclarations: true
		}),
		sveltekit()
	],
	// The first screen's requests and main-thread work: see docs/architecture.md, "Loading".
	build: {
		rolldownOptions: {
			output: {
				codeSplitting: {
					groups: [
						// One chunk per set of routes using them (small sets merged), not one per message.
						{
							name: 'messages',
							test: /paraglide[\\/]messages[\\/]/,
							entriesAware: true,
							entriesAwareMergeThreshold: 8192
						}
					]
				}
			}
		},
		// Pages a new device opens preload their chunks; a co-op's pages and its stack, opened
		// from the service worker's cache, do not.
		modulePreload: {
			resolveDependencies: (file, deps) => (openedFromCache(file) ? [] : deps)
		}
	},
	server: { port: 5173 },
	preview: { port: 4173 },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 30_000
	}
});

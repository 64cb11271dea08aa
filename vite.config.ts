import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

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
		// Route pages preload their chunks; the co-op stack, imported from the cache, does not.
		modulePreload: {
			resolveDependencies: (_file, deps, { hostId }) => (hostId.includes('/entry/app.') ? deps : [])
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

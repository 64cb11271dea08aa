import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: every route is rendered in the browser from the fallback page,
		// so the static build can be served by any file host and works offline.
		adapter: adapter({ fallback: '200.html', strict: true, precompress: true }),
		serviceWorker: { register: false },
		typescript: {
			// Type-check the project's scripts and test configuration with the app's settings too.
			/** @param {{ include: string[] }} tsconfig */
			config(tsconfig) {
				tsconfig.include.push('../scripts/**/*.js', '../playwright.config.ts');
			}
		}
	}
};

export default config;

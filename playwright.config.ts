import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from './scripts/chromium.js';

// End-to-end tests run the built app and the real relay on their own ports, so they do not clash
// with an `npm start` running on the defaults (E2E_APP_PORT and E2E_RELAY_PORT move them, so two
// checkouts can run their suites at once).
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 4273);
export const RELAY_PORT = Number(process.env.E2E_RELAY_PORT ?? 4544);

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 15_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://localhost:${APP_PORT}`,
		launchOptions: { executablePath: findChromium(), args: chromiumArgs },
		serviceWorkers: 'allow'
	},
	webServer: [
		{
			command: `node signaling/bin/relay.js`,
			env: { PORT: String(RELAY_PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
			url: `http://127.0.0.1:${RELAY_PORT}/health`,
			reuseExistingServer: false
		},
		{
			command: `node scripts/serve.js`,
			env: { PORT: String(APP_PORT), HOST: '127.0.0.1' },
			url: `http://127.0.0.1:${APP_PORT}/`,
			reuseExistingServer: false
		}
	]
});

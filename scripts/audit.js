// `npm run audit`: Lighthouse (mobile settings: a mid-range phone on a slow 4G network, simulated)
// against the built app served as `npm start` serves it, in the system's Chromium. It audits the
// home page of a new device, then founds a co-op through the app and audits the open co-op.
// Prints each category's score, the first screen's figures, and whether each goal is met; exits
// with 1 when a goal is missed.
//
//   npm run audit                 build, then audit
//   node scripts/audit.js         audit the existing build/
//   AUDIT_RUNS=3 node scripts/audit.js   three runs per page, the median by performance score
//   AUDIT_REPORTS=dir                    keep each run's full report (JSON) in dir
//   AUDIT_VERBOSE=1                      list the audits that cost points
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import lighthouse from 'lighthouse';
import { chromiumArgs, findChromium } from './chromium.js';
import { serveApp } from './serve.js';

const appPort = Number(process.env.AUDIT_APP_PORT ?? 4391);
const relayPort = Number(process.env.AUDIT_RELAY_PORT ?? 4492);
const debugPort = Number(process.env.AUDIT_DEBUG_PORT ?? 9339);
const runs = Math.max(1, Number(process.env.AUDIT_RUNS ?? 1));
const origin = `http://localhost:${appPort}`;
/** Where to keep each run's full Lighthouse report (JSON), if anywhere. */
const reports = process.env.AUDIT_REPORTS;
if (reports) await mkdir(reports, { recursive: true });

/** The goals: a score out of 100 per category. */
const GOALS = { performance: 95, accessibility: 100, 'best-practices': 100 };
const CATEGORIES = /** @type {const} */ (['performance', 'accessibility', 'best-practices']);

const executablePath = findChromium();
if (!executablePath) {
	console.error('No Chromium found: install one or set CHROMIUM_PATH.');
	process.exit(1);
}

/**
 * @typedef {{
 *   scores: Record<string, number>,
 *   fcp: number, lcp: number, tbt: number, cls: number, bytes: number
 * }} Figures
 */

/**
 * One Lighthouse run of `url` in the browser listening on the debugging port.
 * @param {string} url
 * @param {boolean} keepStorage keep the device's storage (the co-op) instead of starting afresh
 * @returns {Promise<Figures>}
 */
async function audit(url, keepStorage) {
	const result = await lighthouse(url, {
		port: debugPort,
		output: 'json',
		logLevel: 'error',
		onlyCategories: [...CATEGORIES],
		disableStorageReset: keepStorage
	});
	if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
	const { lhr } = result;
	if (reports) {
		const name = new URL(url).pathname.replace(/\W+/g, '-');
		await writeFile(join(reports, `lighthouse${name}${Date.now()}.json`), JSON.stringify(lhr));
	}
	if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
	/** @param {string} id */
	const value = (id) => lhr.audits[id]?.numericValue ?? Number.NaN;
	/** @type {Record<string, number>} */
	const scores = {};
	for (const id of CATEGORIES) scores[id] = Math.round((lhr.categories[id]?.score ?? 0) * 100);
	const failing = CATEGORIES.flatMap((id) =>
		(lhr.categories[id]?.auditRefs ?? [])
			.filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
			.map((ref) => `${id}: ${ref.id} (${lhr.audits[ref.id]?.displayValue ?? 'failed'})`)
	);
	if (failing.length > 0 && process.env.AUDIT_VERBOSE) console.log(failing.join('\n'));
	return {
		scores,
		fcp: value('first-contentful-paint'),
		lcp: value('largest-contentful-paint'),
		tbt: value('total-blocking-time'),
		cls: value('cumulative-layout-shift'),
		bytes: value('total-byte-weight')
	};
}

/**
 * `runs` audits of one page; the median by performance score.
 * @param {string} url
 * @param {boolean} keepStorage
 */
async function auditMedian(url, keepStorage) {
	/** @type {Figures[]} */
	const all = [];
	for (let i = 0; i < runs; i++) all.push(await audit(url, keepStorage));
	all.sort((a, b) => (a.scores.performance ?? 0) - (b.scores.performance ?? 0));
	return /** @type {Figures} */ (all[Math.floor(all.length / 2)]);
}

/**
 * @param {string} name
 * @param {Figures} figures
 * @returns {boolean} every goal met
 */
function report(name, figures) {
	console.log(`\n${name}`);
	let met = true;
	for (const id of CATEGORIES) {
		const score = figures.scores[id] ?? 0;
		const goal = GOALS[id];
		const ok = score >= goal;
		met &&= ok;
		console.log(
			`  ${id.padEnd(15)} ${String(score).padStart(3)}  goal >= ${goal}: ${ok ? 'met' : 'MISSED'}`
		);
	}
	console.log(`  FCP ${(figures.fcp / 1000).toFixed(2)} s`);
	console.log(`  LCP ${(figures.lcp / 1000).toFixed(2)} s`);
	console.log(`  TBT ${Math.round(figures.tbt)} ms`);
	console.log(`  CLS ${figures.cls.toFixed(3)}`);
	console.log(`  transferred ${(figures.bytes / 1024).toFixed(1)} KiB`);
	return met;
}

const server = await serveApp({ port: appPort, host: '127.0.0.1' });
const relay = spawn(process.execPath, ['signaling/bin/relay.js'], {
	stdio: 'ignore',
	env: { ...process.env, PORT: String(relayPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }
});
const profile = await mkdtemp(join(tmpdir(), 'ours-audit-'));
// A real profile (the browser's default context), so Lighthouse's tab sees the co-op the app
// founded in it.
const context = await chromium.launchPersistentContext(profile, {
	executablePath,
	args: [...chromiumArgs, `--remote-debugging-port=${debugPort}`]
});

let allMet = true;
try {
	console.log(
		`Lighthouse ${runs === 1 ? 'run' : `${runs} runs, the median`} per page, mobile settings, ${executablePath}`
	);
	allMet = report('Home page, a new device', await auditMedian(`${origin}/`, false)) && allMet;

	const page = await context.newPage();
	await page.addInitScript((relayUrl) => {
		localStorage.setItem(
			'ours.sync-settings',
			JSON.stringify({ signalingUrls: [relayUrl], iceServers: [] })
		);
	}, `ws://127.0.0.1:${relayPort}`);
	await page.goto(`${origin}/`);
	await page.getByLabel('Co-op name').fill('Audit co-op');
	await page.getByLabel('Your name').fill('Founder');
	await page.getByRole('button', { name: 'Create' }).click();
	await page.getByTestId('coop-name').waitFor();
	await page.evaluate(() => navigator.serviceWorker.ready);
	const coopUrl = page.url();
	await page.close();

	allMet =
		report(`An open co-op (${new URL(coopUrl).pathname})`, await auditMedian(coopUrl, true)) &&
		allMet;
} finally {
	await context.close();
	await rm(profile, { recursive: true, force: true });
	relay.kill('SIGTERM');
	server.close();
}
console.log(`\n${allMet ? 'Every goal met.' : 'Some goals missed.'}`);
process.exit(allMet ? 0 : 1);

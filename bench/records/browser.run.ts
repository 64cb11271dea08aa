import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { it } from 'vitest';
import * as Y from 'yjs';
import { bundleForBrowser } from '../../scripts/bundle-for-browser.js';
import { chromiumArgs, findChromium } from '../../scripts/chromium.js';
import type { OpenTimes, RecordsBench } from './browser-page';
import { buildCoop } from './build-coop';
import { serveBenchPage } from './serve-page';

/**
 * Opening a large co-op in real Chromium with real IndexedDB, through the app's own storage and
 * session code. Records are signed in Node (not timed); the page receives the co-op as one Yjs
 * update, as from a peer. The page script is bundled by Vite into a temporary folder and served
 * by a throwaway server on 127.0.0.1, so nothing is added to the app. The browser profile is on
 * disk (a persistent context), since an incognito context keeps IndexedDB in memory.
 * An open is timed twice: "ready", when the roster from the vault can show (what the reopen goal
 * is about), and "loaded", when the document has loaded and been judged too; both are printed.
 * Figures are printed, never asserted: machines differ.
 */

const SIZES = [10_000, 100_000];
const MEMBERS = 100;
const REOPENS = 3;
const GOALS = { reopenMs: 1000, verifyRate: 10_000 };

/** The whole co-op as one Yjs update, as a peer sends it to a new device. */
async function coopUpdate(size: number): Promise<{ coop: string; update: Uint8Array }> {
	const { coop, entries } = await buildCoop(size, MEMBERS);
	const doc = new Y.Doc();
	const map = doc.getMap('records');
	doc.transact(() => {
		for (const [id, record] of entries) map.set(id, record);
	});
	return { coop, update: Y.encodeStateAsUpdate(doc) };
}

async function ready(page: Page): Promise<void> {
	await page.waitForFunction(() => 'recordsBench' in globalThis);
}

interface Row {
	readonly size: number;
	readonly bytes: number;
	readonly first: OpenTimes;
	readonly reopens: readonly OpenTimes[];
}

async function measure(base: string, size: number, coop: string, bytes: number): Promise<Row> {
	const profile = await mkdtemp(join(tmpdir(), 'ours-records-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: findChromium(),
		args: chromiumArgs,
		headless: true
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(base);
		await ready(page);
		const first = await page.evaluate(
			({ coop, url }) =>
				(globalThis as unknown as { recordsBench: RecordsBench }).recordsBench.firstOpen(coop, url),
			{ coop, url: `/update-${size}.bin` }
		);
		const reopens: OpenTimes[] = [];
		for (let run = 0; run < REOPENS; run++) {
			// A fresh page each time, like a tab opened again: nothing is left in memory.
			await page.reload();
			await ready(page);
			reopens.push(
				await page.evaluate(
					(coop) =>
						(globalThis as unknown as { recordsBench: RecordsBench }).recordsBench.reopen(coop),
					coop
				)
			);
		}
		return { size, bytes, first, reopens };
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
	}
}

const count = (value: number): string => Math.round(value).toLocaleString('en-US');
/** The median of one time over the reopens. */
const median = (runs: readonly OpenTimes[], time: (run: OpenTimes) => number): number =>
	runs.map(time).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
/** Records verified per second: the whole co-op over the time its entries took to be judged. */
const verifyRate = (row: Row): number => (row.size / row.first.judge) * 1000;
const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

function table(rows: readonly Row[]): string[] {
	const head = [
		'records',
		'document',
		'first open',
		'verified/s',
		'reopen ready',
		'reopen loaded',
		'reopen total'
	];
	const body = rows.map((row) => [
		count(row.size),
		`${(row.bytes / 1_048_576).toFixed(1)} MiB`,
		`${count(row.first.total)} ms`,
		count(verifyRate(row)),
		`${count(median(row.reopens, (run) => run.ready))} ms`,
		`${count(median(row.reopens, (run) => run.loaded))} ms`,
		`${count(median(row.reopens, (run) => run.total))} ms`
	]);
	const widths = head.map((title, column) =>
		Math.max(title.length, ...body.map((cells) => cells[column]!.length))
	);
	const line = (cells: readonly string[]) =>
		cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
	return [line(head), ...body.map(line)];
}

function details(row: Row): string[] {
	const { first } = row;
	const runs = (time: (run: OpenTimes) => number) =>
		row.reopens.map((run) => count(time(run))).join(', ');
	return [
		`${count(row.size)} records, ${row.first.members} members, ${count(first.accepted)} accepted`,
		`  first open: document loaded and update applied ${count(first.doc)} ms, judged ` +
			`${count(first.judge)} ms, vault and document writes ${count(first.total - first.loaded)} ms`,
		`  reopen:     ready ${runs((run) => run.ready)} ms (vault load ${runs((run) => run.vaultLoad)}` +
			` ms; accepted when ready ${runs((run) => run.readyAccepted)})`,
		`              document ${runs((run) => run.doc)} ms, loaded ${runs((run) => run.loaded)} ms,` +
			` total ${runs((run) => run.total)} ms`
	];
}

it('prints how long opening a large co-op takes in Chromium', async () => {
	const executable = findChromium();
	if (executable === undefined) throw new Error('No Chromium found: set CHROMIUM_PATH');
	const script = await bundleForBrowser('bench/records/browser-page.ts');
	const coops = [];
	const files = new Map<string, Uint8Array>();
	for (const size of SIZES) {
		const { coop, update } = await coopUpdate(size);
		files.set(`/update-${size}.bin`, update);
		coops.push({ size, coop, bytes: update.byteLength });
	}
	const server = await serveBenchPage('records bench', script, files);
	const { port } = server.address() as AddressInfo;
	const rows: Row[] = [];
	try {
		for (const { size, coop, bytes } of coops) {
			rows.push(await measure(`http://127.0.0.1:${port}/`, size, coop, bytes));
		}
	} finally {
		server.close();
	}
	const version = await chromium
		.launch({ executablePath: executable, args: chromiumArgs })
		.then(async (browser) => {
			const name = browser.version();
			await browser.close();
			return name;
		});
	const largest = rows.at(-1)!;
	const reopenMs = median(largest.reopens, (run) => run.ready);
	const loadedMs = median(largest.reopens, (run) => run.loaded);
	const rate = Math.min(...rows.map(verifyRate));
	console.log(`\nRecords in Chromium ${version} (${MEMBERS} members, IndexedDB on disk)\n`);
	for (const line of table(rows)) console.log(line);
	console.log('');
	for (const row of rows) for (const line of details(row)) console.log(line);
	console.log('\nGoals');
	console.log(
		`  reopen of ${count(largest.size)} records ready < ${count(GOALS.reopenMs)} ms: ` +
			`${verdict(reopenMs < GOALS.reopenMs)} (${count(reopenMs)} ms; document loaded and ` +
			`judged ${count(loadedMs)} ms)`
	);
	console.log(
		`  first verification >= ${count(GOALS.verifyRate)} records/s: ` +
			`${verdict(rate >= GOALS.verifyRate)} (slowest ${count(rate)} records/s)\n`
	);
});

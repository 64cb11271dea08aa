import { flushSync, mount, unmount } from 'svelte';
import * as Y from 'yjs';
import IntegrityReport from '$lib/components/IntegrityReport.svelte';
import { generateSigningKey } from '$lib/crypto/keys';
import type { JunkLedger } from '$lib/domain/kernel/junk-ledger';
import type { Rejection } from '$lib/domain/kernel/reasons';
import type { IntegrityReport as Report } from '$lib/domain/kernel/accounting';
import { SignedRecords } from '$lib/session/signed-records';
import { applyInSlices, applyStoredInSlices } from '$lib/sync/apply-in-slices';
import { docDatabaseName, persistDoc } from '$lib/storage/doc-persistence';
import { IndexedDbVault, vaultDatabaseName } from '$lib/storage/vault';

/**
 * The page side of the flood benchmark: the app's own storage and session code with a co-op
 * open, then a flood arriving as from a peer. Bundled (with Svelte, for the Integrity report) by
 * `flood.run.ts`, which drives it. Times in ms, sizes in bytes.
 */

export interface FloodFigures {
	/** Whether the flood was applied as the app applies a peer's update (in windows). */
	readonly sliced: boolean;
	/**
	 * From the flood's arrival to Yjs having applied all of it to the open co-op, the app's
	 * observers included: one task when applied whole, else `windows` tasks and the pauses.
	 */
	readonly applyMs: number;
	/** Transactions (tasks) the flood was applied in. */
	readonly windows: number;
	/** Longest task while the flood was being applied (Chromium's `longtask`, else 0). */
	readonly longestIngestTaskMs: number;
	/** The same update applied to a bare document (no observer, no storage): Yjs alone. */
	readonly bareApplyMs: number;
	/** Longest gap between two runs of a `setTimeout(0)` heartbeat, from the flood's arrival. */
	readonly longestGapMs: number;
	/** Longest task Chromium reported (`longtask`), the update's application included. */
	readonly longestTaskMs: number;
	/** Longest task after the update was applied: the app's own work. */
	readonly longestAppTaskMs: number;
	/** From the flood's arrival, with the honest update right after it (from another peer), to its record in the roster. */
	readonly honestMs: number;
	/** From the flood applied to every entry judged, junk removed and the ledger written. */
	readonly judgedMs: number;
	readonly junkCounted: number;
	readonly mapSizeAfter: number;
	readonly flooderNamed: boolean;
}

export interface OpenFigures {
	readonly readyMs: number;
	/** y-indexeddb loaded the stored document (and compacted it, if it had many rows). */
	readonly docMs: number;
	readonly loadedMs: number;
	readonly docBytes: number;
	readonly docRows: number;
	readonly vaultBytes: number;
	readonly usageBytes: number;
	readonly junkCounted: number;
}

export interface RenderFigures {
	/** Mounting the report with the ledger of the flood and the co-op's roster. */
	readonly floodMs: number;
	/** Mounting it with 100,000 rule rejections and 100,000 waiting records (valid spam). */
	readonly spamMs: number;
	readonly listItems: number;
}

const now = () => performance.now();

function savedOf(persistence: ReturnType<typeof persistDoc>): Promise<void> {
	if (persistence.saved) return Promise.resolve();
	return new Promise((done) => {
		const stop = persistence.onSavedChange((saved) => {
			if (!saved) return;
			stop();
			done();
		});
	});
}

/** Bytes held in one IndexedDB database: row values as stored (binary or text). */
async function databaseBytes(name: string): Promise<{ bytes: number; rows: number }> {
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const request = indexedDB.open(name);
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
	});
	let bytes = 0;
	let rows = 0;
	for (const store of db.objectStoreNames) {
		const values = await new Promise<unknown[]>((resolve, reject) => {
			const request = db.transaction(store).objectStore(store).getAll();
			request.onsuccess = () => resolve(request.result as unknown[]);
			request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
		});
		rows += values.length;
		for (const value of values) {
			bytes += value instanceof Uint8Array ? value.byteLength : JSON.stringify(value).length;
		}
	}
	db.close();
	return { bytes, rows };
}

async function openCoop(coop: string, compactAbove?: number) {
	const key = await generateSigningKey();
	const doc = new Y.Doc();
	const vault = new IndexedDbVault(coop);
	let docLoaded: (loaded: Promise<void>) => void = () => {};
	const start = now();
	const records = await SignedRecords.open({
		coopId: coop,
		doc,
		key,
		vault,
		docLoaded: new Promise((resolve) => (docLoaded = resolve))
	});
	const ready = now();
	const persistence = persistDoc(coop, doc, { compactAbove, applyLarge: applyStoredInSlices });
	let docAt = 0;
	docLoaded(persistence.loaded.then(() => void (docAt = now())));
	await records.loaded;
	const loaded = now();
	const close = async () => {
		await records.settled();
		await savedOf(persistence);
		await records.close();
		await persistence.close();
		doc.destroy();
	};
	return {
		doc,
		records,
		persistence,
		close,
		readyMs: ready - start,
		docMs: docAt - start,
		loadedMs: loaded - start
	};
}

let longTasks: Array<{ start: number; duration: number }> = [];
new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		longTasks.push({ start: entry.startTime, duration: entry.duration });
	}
}).observe({ type: 'longtask', buffered: false });

/** First open: the co-op arrives whole, is judged and kept. */
async function seed(coop: string, url: string): Promise<void> {
	const update = new Uint8Array(await (await fetch(url)).arrayBuffer());
	const open = await openCoop(coop);
	Y.applyUpdate(open.doc, update, 'peer');
	await open.close();
}

/**
 * The flood and, right after it, one honest record, as two updates from two peers: `sliced`
 * applies the flood as `PeerSync` does (`applyInSlices`, the honest update meanwhile), else whole
 * in one task (as before), then the honest update.
 */
async function flood(
	coop: string,
	floodUrl: string,
	honestUrl: string,
	honestId: string,
	flooder: string,
	sliced: boolean
): Promise<FloodFigures> {
	const floodUpdate = new Uint8Array(await (await fetch(floodUrl)).arrayBuffer());
	const honestUpdate = new Uint8Array(await (await fetch(honestUrl)).arrayBuffer());
	const bare = new Y.Doc();
	Y.applyUpdate(bare, new Uint8Array(await (await fetch('/base.bin')).arrayBuffer()));
	const bareStart = now();
	Y.applyUpdate(bare, floodUpdate);
	const bareApplyMs = now() - bareStart;
	bare.destroy();
	const open = await openCoop(coop);
	let beating = true;
	let longestGap = 0;
	let last = now();
	const beat = () => {
		const at = now();
		longestGap = Math.max(longestGap, at - last);
		last = at;
		if (beating) setTimeout(beat, 0);
	};
	await new Promise((resolve) => setTimeout(resolve, 50));
	let windows = 0;
	const countWindows = (_update: Uint8Array, origin: unknown) => {
		if (origin === 'peer') windows++;
	};
	open.doc.on('update', countWindows);
	longTasks = [];
	last = now();
	setTimeout(beat, 0);
	let honestMs = -1;
	let start = 0;
	const honestArrived = new Promise<void>((resolve) => {
		const check = () => {
			if (open.records.get(honestId) === undefined) return;
			// The honest update arrived with the flood: applied whole, the flood held it up.
			honestMs = now() - start;
			stop();
			resolve();
		};
		const stop = open.records.onChange(check);
	});
	start = now();
	const slicing = sliced ? applyInSlices(open.doc, floodUpdate, 'peer') : null;
	if (slicing === null) Y.applyUpdate(open.doc, floodUpdate, 'peer');
	Y.applyUpdate(open.doc, honestUpdate, 'peer');
	await slicing;
	const applied = now();
	open.doc.off('update', countWindows);
	await honestArrived;
	await open.records.settled();
	const judged = now();
	await new Promise((resolve) => setTimeout(resolve, 1200));
	beating = false;
	const { junk } = open.records.state;
	const figures: FloodFigures = {
		sliced: slicing !== null,
		applyMs: applied - start,
		windows: windows - 1, // the honest update
		longestIngestTaskMs: Math.max(
			0,
			...longTasks.filter((task) => task.start < applied).map((task) => task.duration)
		),
		bareApplyMs,
		longestGapMs: longestGap,
		longestTaskMs: Math.max(0, ...longTasks.map((task) => task.duration)),
		longestAppTaskMs: Math.max(
			0,
			...longTasks.filter((task) => task.start >= applied - 1).map((task) => task.duration)
		),
		honestMs,
		judgedMs: judged - start,
		junkCounted: junk.total,
		mapSizeAfter: open.doc.getMap('records').size,
		flooderNamed: (junk.bySigner[flooder] ?? 0) > 0
	};
	await open.close();
	return figures;
}

/** Reopens the co-op (`compactAbove` 0 forces a compaction) and measures its storage. */
async function reopen(coop: string, compactAbove?: number): Promise<OpenFigures> {
	const open = await openCoop(coop, compactAbove);
	const junkCounted = open.records.state.junk.total;
	await open.close();
	const docSize = await databaseBytes(docDatabaseName(coop));
	const vaultSize = await databaseBytes(vaultDatabaseName(coop));
	const estimate = await navigator.storage.estimate();
	return {
		readyMs: open.readyMs,
		docMs: open.docMs,
		loadedMs: open.loadedMs,
		docBytes: docSize.bytes,
		docRows: docSize.rows,
		vaultBytes: vaultSize.bytes,
		usageBytes: estimate.usage ?? 0,
		junkCounted
	};
}

function timeMount(report: Report, junk: JunkLedger): { ms: number; items: number } {
	const target = document.createElement('div');
	document.body.append(target);
	const start = now();
	const component = mount(IntegrityReport, {
		target,
		props: { report, junk, restored: 0, authorName: (author: string) => author.slice(0, 8) }
	});
	flushSync();
	// Layout too: what a member waits for before the page shows.
	void target.getBoundingClientRect();
	const ms = now() - start;
	const items = target.querySelectorAll('li').length;
	void unmount(component);
	target.remove();
	return { ms, items };
}

/** The Integrity report rendered with the flood's ledger, and with 100,000 rule rejections. */
async function render(coop: string): Promise<RenderFigures> {
	const open = await openCoop(coop);
	const { roster, junk } = open.records.state;
	await open.close();
	const flood = timeMount(roster.integrity, junk);
	const spam = (index: number, reason: Rejection['reason']): Rejection => ({
		id: `spam-${index}`,
		reason,
		type: 'member.profile',
		author: 'x'.repeat(43),
		at: null,
		detail: null
	});
	const many: Report = {
		checked: 200_000,
		accepted: 0,
		rejected: 100_000,
		pending: 100_000,
		rejections: Array.from({ length: 100_000 }, (_, index) => spam(index, 'not-a-member')),
		waiting: Array.from({ length: 100_000 }, (_, index) => spam(index, 'unknown-author'))
	};
	const spamRender = timeMount(many, junk);
	return { floodMs: flood.ms, spamMs: spamRender.ms, listItems: spamRender.items };
}

const bench = { seed, flood, reopen, render };
export type FloodBench = typeof bench;
(globalThis as unknown as { floodBench: FloodBench }).floodBench = bench;

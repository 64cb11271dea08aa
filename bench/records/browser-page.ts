import * as Y from 'yjs';
import { generateSigningKey } from '$lib/crypto/keys';
import { SignedRecords } from '$lib/session/signed-records';
import { persistDoc } from '$lib/storage/doc-persistence';
import { applyStoredInSlices } from '$lib/sync/apply-in-slices';
import type { RecordVault } from '$lib/storage/record-vault';
import { IndexedDbVault } from '$lib/storage/vault';

/**
 * The page side of the browser benchmark: the app's own storage and session code opening a
 * co-op, timed with `performance.now()`. Bundled by `browser.run.ts`, which drives it.
 */

/** Times of one open, in ms from its start. */
export interface OpenTimes {
	/** `SignedRecords.open` resolved and the roster snapshot built: what the UI waits for. */
	readonly ready: number;
	/** y-indexeddb, after `ready`: the stored document loaded (and the update applied). */
	readonly doc: number;
	/** The document loaded, compared with the vault and every new entry judged (`loaded`). */
	readonly loaded: number;
	/** Everything, including the vault's and the document's writes committed. */
	readonly total: number;
	/** The vault's `load` (read and parse), inside `ready`. */
	readonly vaultLoad: number;
	/** Judging the document's entries: from the document loaded to `loaded`. */
	readonly judge: number;
	/** Records the roster counted when ready, and once loaded. */
	readonly readyAccepted: number;
	readonly accepted: number;
	readonly members: number;
}

/** The vault of the app, watched: how long loading takes, and when its writes are committed. */
class WatchedVault implements RecordVault {
	readonly #inner: IndexedDbVault;
	readonly #writes: Promise<void>[] = [];
	loadMs = 0;

	constructor(coop: string) {
		this.#inner = new IndexedDbVault(coop);
	}

	async load() {
		const start = performance.now();
		const loaded = await this.#inner.load();
		this.loadMs = performance.now() - start;
		return loaded;
	}

	putRecords(...args: Parameters<RecordVault['putRecords']>) {
		return this.#watch(this.#inner.putRecords(...args));
	}

	putJunk(...args: Parameters<RecordVault['putJunk']>) {
		return this.#watch(this.#inner.putJunk(...args));
	}

	close() {
		return this.#inner.close();
	}

	async written(): Promise<void> {
		await Promise.all(this.#writes);
	}

	#watch(write: Promise<void>): Promise<void> {
		this.#writes.push(write);
		return write;
	}
}

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

/**
 * Opens the co-op as the app does (`CoopSession.open` without sync and key store): the signed
 * records from the vault first, then the document from IndexedDB. With `update`, the document
 * then receives the whole co-op as a peer would send it, so every record is verified and kept.
 */
async function open(coop: string, update?: Uint8Array): Promise<OpenTimes> {
	const key = await generateSigningKey();
	const start = performance.now();
	const doc = new Y.Doc();
	const vault = new WatchedVault(coop);
	let docLoaded: (loaded: Promise<void>) => void = () => {};
	const records = await SignedRecords.open({
		coopId: coop,
		doc,
		key,
		vault,
		docLoaded: new Promise((resolve) => (docLoaded = resolve))
	});
	const readyAccepted = records.state.roster.integrity.accepted;
	const ready = performance.now();
	const persistence = persistDoc(coop, doc, { applyLarge: applyStoredInSlices });
	let docAt = 0;
	docLoaded(
		persistence.loaded.then(() => {
			if (update !== undefined) Y.applyUpdate(doc, update);
			docAt = performance.now();
		})
	);
	await records.loaded;
	const { roster } = records.state;
	const loaded = performance.now();
	await Promise.all([vault.written(), savedOf(persistence)]);
	const end = performance.now();
	await records.close();
	await persistence.close();
	doc.destroy();
	return {
		ready: ready - start,
		doc: docAt - start,
		loaded: loaded - start,
		total: end - start,
		vaultLoad: vault.loadMs,
		judge: loaded - docAt,
		readyAccepted,
		accepted: roster.integrity.accepted,
		members: roster.members.length
	};
}

async function firstOpen(coop: string, url: string): Promise<OpenTimes> {
	const update = new Uint8Array(await (await fetch(url)).arrayBuffer());
	return open(coop, update);
}

const reopen = (coop: string): Promise<OpenTimes> => open(coop);

const bench = { firstOpen, reopen };
export type RecordsBench = typeof bench;
(globalThis as unknown as { recordsBench: RecordsBench }).recordsBench = bench;

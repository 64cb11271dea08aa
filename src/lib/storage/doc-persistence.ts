import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { DocPersistence, PersistenceAdapter } from './persistence-adapter';
import { flushAfter, STRICT } from './durable';

/** The IndexedDB database that holds one co-op's document. */
export const docDatabaseName = (coopId: string): string => `ours-coop-${coopId}`;

/**
 * y-indexeddb keeps every change as a row and merges them only past 500 rows, and adds a row on
 * every load (yjs/y-indexeddb#31): a co-op opened often grows without bound and loads slower.
 * Past this many rows, opening merges them into one.
 */
export const COMPACT_ABOVE_ROWS = 100;

/**
 * Replaces every row of the updates store with one: the document's state. In one read-write
 * transaction, so no write from this tab lands in between; rows another tab of this browser wrote
 * since this one loaded are applied to the document first, so none is lost.
 */
export function compactUpdates(persistence: IndexeddbPersistence, doc: Y.Doc): Promise<number> {
	const db = persistence.db;
	if (!db) return Promise.resolve(0);
	return new Promise((resolve, reject) => {
		// Strict: a restored backup is reported as done once this completes.
		const transaction = db.transaction('updates', 'readwrite', STRICT);
		const store = transaction.objectStore('updates');
		let removed = 0;
		const keys = store.getAllKeys();
		const rows = store.getAll();
		rows.onsuccess = () => {
			const last = keys.result.at(-1);
			if (last === undefined) return;
			Y.transact(
				doc,
				() => (rows.result as Uint8Array[]).forEach((row) => Y.applyUpdate(doc, row)),
				persistence,
				false
			);
			store.add(Y.encodeStateAsUpdate(doc));
			store.delete(IDBKeyRange.upperBound(last));
			removed = keys.result.length;
		};
		transaction.oncomplete = () => resolve(removed);
		transaction.onerror = () => reject(transaction.error ?? new Error('compaction failed'));
		transaction.onabort = () => reject(transaction.error ?? new Error('compaction aborted'));
	});
}

/** How many rows the co-op's updates store holds. */
export function countUpdates(persistence: IndexeddbPersistence): Promise<number> {
	const db = persistence.db;
	if (!db) return Promise.resolve(0);
	return new Promise((resolve, reject) => {
		const request = db.transaction('updates', 'readonly').objectStore('updates').count();
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('count failed'));
	});
}

/** Compacts after loading when the store has grown past `threshold`; a failure only costs space. */
async function compactIfLarge(
	persistence: IndexeddbPersistence,
	doc: Y.Doc,
	threshold: number
): Promise<void> {
	try {
		if ((await countUpdates(persistence)) > threshold) await compactUpdates(persistence, doc);
	} catch (error) {
		console.warn('The co-op storage could not be compacted', error);
	}
}

/**
 * Writes `update` into a co-op's stored document without opening the co-op (restoring a backup),
 * merged with whatever the device already has.
 */
export async function seedDoc(coopId: string, update: Uint8Array): Promise<void> {
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(docDatabaseName(coopId), doc);
	try {
		await persistence.whenSynced;
		Y.applyUpdate(doc, update);
		await compactUpdates(persistence, doc);
	} finally {
		await persistence.destroy();
		doc.destroy();
	}
}

/** The browser's document persistence adapter for one co-op: its y-indexeddb database. */
export const indexedDbPersistence =
	(coopId: string): PersistenceAdapter =>
	(doc) =>
		persistDoc(coopId, doc);

/** Keeps a co-op's document in IndexedDB: every change is written as it happens. */
export function persistDoc(
	coopId: string,
	doc: Y.Doc,
	compactAbove = COMPACT_ABOVE_ROWS
): DocPersistence {
	const persistence = new IndexeddbPersistence(docDatabaseName(coopId), doc);
	// While any 'update' listener is registered, Yjs encodes every transaction as an update for
	// it, loading included: 0.7 s spent writing out a 100,000-record document again, only for
	// y-indexeddb to ignore it as its own. Nothing listens until the stored rows are applied.
	// Nothing is lost meanwhile: when y-indexeddb reads the rows it first stores the whole state
	// of the document, which holds every change made before; and it applies the rows and reports
	// 'synced' in one synchronous step, when listening starts again.
	doc.off('update', persistence._storeUpdate);
	const listeners = new Set<(saved: boolean) => void>();
	const notify = (saved: boolean) => listeners.forEach((listener) => listener(saved));
	// Changes not yet known to be on disk, and whether a flush is under way: while one is, later
	// changes wait for the next, so typing costs one flush at a time rather than one per key.
	let unflushed = false;
	let flushing = false;
	let closed = false;
	const flush = (db: IDBDatabase) => {
		flushing = true;
		unflushed = false;
		const done = () => {
			flushing = false;
			if (unflushed && !closed) flush(db);
			else notify(true);
		};
		flushAfter(db, ['updates']).then(done, (error: unknown) => {
			// Still unsaved: the indicator keeps saying so, and the next change tries again.
			console.warn('The co-op document could not be flushed to disk', error);
			flushing = false;
			unflushed = true;
		});
	};

	// y-indexeddb merges its rows, past 500, in one task that reads back every row written since
	// its last merge and applies them all to the document again: after a flood that arrived in
	// windows (a row each), 2.3 s of the page's thread in Chromium. Its count is held at zero
	// (after its own handler, which runs first, counted the row) so that never starts; rows are
	// merged when the co-op next opens (`compactIfLarge`).
	const holdMerge = () => {
		persistence._dbsize = 0;
	};

	// y-indexeddb writes each change in its own transaction from its own update handler, which
	// runs before this one. A strict transaction over the same store, opened after it, completes
	// only once that write is committed and on disk: that is when the change is safe from a
	// closed tab or a killed browser.
	const onUpdate = (_update: Uint8Array, origin: unknown) => {
		holdMerge();
		const db = persistence.db;
		if (origin === persistence || !db) return;
		if (!unflushed && !flushing) notify(false);
		unflushed = true;
		if (!flushing) flush(db);
	};
	let listening = false;
	persistence.once('synced', () => {
		if (closed) return;
		listening = true;
		holdMerge();
		doc.on('update', persistence._storeUpdate);
		doc.on('update', onUpdate);
	});

	return {
		loaded: persistence.whenSynced.then(() => compactIfLarge(persistence, doc, compactAbove)),
		get saved() {
			return !unflushed && !flushing;
		},
		onSavedChange(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		close: () => {
			closed = true;
			if (listening) doc.off('update', onUpdate);
			listeners.clear();
			return persistence.destroy();
		}
	};
}

import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { DocPersistence, PersistenceAdapter } from './persistence-adapter';
import { nextTask, SLICE_MS } from '$lib/util/next-task';
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
 * Cuts a document's whole state into updates of about `bytes` each, each depending only on those
 * before it (`UpdateSlicer.split`); null to keep it whole.
 */
export type SplitState = (state: Uint8Array, bytes: number) => Uint8Array[] | null;

/**
 * A compacted document is stored in rows of about this size, or more for a document past
 * `MAX_STATE_ROWS` of them: the browser hands a read's rows over in one task, and one row of
 * 44 MiB held the page for 60 to 70 ms in Chromium.
 */
export const STATE_ROW_BYTES = 2 * 1024 * 1024;
const MAX_STATE_ROWS = 32;

/** The rows that store `state`: cut by `split` when it is large, else one. */
function stateRows(state: Uint8Array, split: SplitState | undefined): Uint8Array[] {
	if (split === undefined || state.byteLength <= STATE_ROW_BYTES) return [state];
	const bytes = Math.max(STATE_ROW_BYTES, Math.ceil(state.byteLength / MAX_STATE_ROWS));
	return split(state, bytes) ?? [state];
}

/**
 * Replaces every row of the updates store with the document's state, in as many rows as `split`
 * cuts it into. In one read-write transaction, so no write from this tab lands in between; rows
 * another tab of this browser wrote since this one loaded are applied to the document first, so
 * none is lost.
 */
export function compactUpdates(
	persistence: IndexeddbPersistence,
	doc: Y.Doc,
	split?: SplitState
): Promise<number> {
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
			for (const row of stateRows(Y.encodeStateAsUpdate(doc), split)) store.add(row);
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
	threshold: number,
	split: SplitState | undefined
): Promise<void> {
	try {
		if ((await countUpdates(persistence)) > threshold) {
			await compactUpdates(persistence, doc, split);
		}
	} catch (error) {
		console.warn('The co-op storage could not be compacted', error);
	}
}

/**
 * Writes `update` into a co-op's stored document without opening the co-op (restoring a backup),
 * merged with whatever the device already has.
 */
export async function seedDoc(
	coopId: string,
	update: Uint8Array,
	split?: SplitState
): Promise<void> {
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(docDatabaseName(coopId), doc);
	try {
		await persistence.whenSynced;
		Y.applyUpdate(doc, update);
		await compactUpdates(persistence, doc, split);
	} finally {
		await persistence.destroy();
		doc.destroy();
	}
}

/**
 * Applies a large update over several tasks (`applyInSlices`), each window with `origin`, until
 * `stopped` says so; returns null, having applied nothing, for an update to apply whole.
 */
export type ApplyLarge = (
	doc: Y.Doc,
	update: Uint8Array,
	origin: unknown,
	stopped: () => boolean
) => Promise<void> | null;

export interface DocPersistenceOptions {
	/** Merges the stored rows into one on open past this many (`COMPACT_ABOVE_ROWS`). */
	readonly compactAbove?: number;
	/** Applies a large stored row over several tasks; without it, each row is applied whole. */
	readonly applyLarge?: ApplyLarge;
	/** Cuts a large compacted document into rows; without it, it is one row. */
	readonly split?: SplitState;
}

/** The browser's document persistence adapter for one co-op: its y-indexeddb database. */
export const indexedDbPersistence =
	(coopId: string, options: Omit<DocPersistenceOptions, 'compactAbove'> = {}): PersistenceAdapter =>
	(doc) =>
		persistDoc(coopId, doc, options);

/** A row up to this size is applied with the rows around it; a larger one on its own. */
const SMALL_ROW_BYTES = 64 * 1024;

/**
 * Applies the stored rows a slice at a time, each transaction with `origin`, yielding between
 * slices: a large row through `applyLarge`, small ones together for `SLICE_MS`. A row Yjs
 * refuses is logged and skipped, as a peer's is. Never rejects.
 */
async function applyRows(
	doc: Y.Doc,
	rows: readonly Uint8Array[],
	origin: unknown,
	applyLarge: ApplyLarge | undefined,
	stopped: () => boolean
): Promise<void> {
	const apply = (row: Uint8Array) => {
		try {
			Y.applyUpdate(doc, row, origin);
		} catch (error) {
			console.error('A stored row of the co-op document could not be applied', error);
		}
	};
	let index = 0;
	while (index < rows.length && !stopped()) {
		const large = applyLarge?.(doc, rows[index]!, origin, stopped) ?? null;
		if (large !== null) {
			index++;
			await large.catch((error: unknown) => {
				console.error('A stored row of the co-op document could not be applied', error);
			});
			continue;
		}
		const until = performance.now() + SLICE_MS;
		Y.transact(
			doc,
			() => {
				do apply(rows[index++]!);
				while (
					index < rows.length &&
					rows[index]!.byteLength <= SMALL_ROW_BYTES &&
					performance.now() < until
				);
			},
			origin,
			false
		);
		if (index < rows.length) await nextTask();
	}
}

/**
 * Keeps a co-op's document in IndexedDB: every change is written as it happens. The stored rows
 * are applied a slice at a time (`applyRows`), so opening a large co-op does not hold the page.
 */
export function persistDoc(
	coopId: string,
	doc: Y.Doc,
	options: DocPersistenceOptions = {}
): DocPersistence {
	const compactAbove = options.compactAbove ?? COMPACT_ABOVE_ROWS;
	const persistence = new IndexeddbPersistence(docDatabaseName(coopId), doc);
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
	// before its handler counts each row, so that never starts; rows are merged when the co-op
	// next opens (`compactIfLarge`).
	const storeUpdate = (update: Uint8Array, origin: unknown) => {
		persistence._dbsize = 0;
		persistence._storeUpdate(update, origin);
	};

	// y-indexeddb writes each change in its own transaction (`storeUpdate`, which runs before
	// this). A strict transaction over the same store, opened after it, completes only once that
	// write is committed and on disk: that is when the change is safe from a closed tab or a
	// killed browser.
	// A change made before the database opened is flushed once the stored rows are applied (it is
	// in the first row y-indexeddb writes): until then it is not called saved either.
	const onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (origin === persistence) return;
		if (!unflushed && !flushing) notify(false);
		unflushed = true;
		if (persistence.db && !flushing) flush(persistence.db);
	};

	// While any 'update' listener is registered, Yjs encodes every transaction as an update for
	// it, loading included: 0.7 s spent writing out a 100,000-record document again, only for
	// y-indexeddb to ignore it as its own. So the two handlers listen to every transaction but
	// those of y-indexeddb itself (the stored rows applied, a compaction): Yjs calls
	// 'afterTransactionCleanup' just before it looks for 'update' listeners, for each transaction
	// in turn. A change made while the rows are applied (a command, typing) is written as a row as
	// it happens, and one made before the database opened is in the row y-indexeddb stores first:
	// the whole state of the document before the load.
	let listening = false;
	const listen = (on: boolean) => {
		if (on === listening) return;
		listening = on;
		if (on) {
			doc.on('update', storeUpdate);
			doc.on('update', onUpdate);
		} else {
			doc.off('update', storeUpdate);
			doc.off('update', onUpdate);
		}
	};
	const gate = (transaction: Y.Transaction) => listen(transaction.origin !== persistence);
	doc.off('update', persistence._storeUpdate);
	doc.on('afterTransactionCleanup', gate);
	persistence.applyUpdates = (rows) =>
		applyRows(doc, rows, persistence, options.applyLarge, () => closed || doc.isDestroyed);
	persistence.once('synced', () => {
		if (closed) return;
		listen(true);
		if (unflushed && !flushing && persistence.db) flush(persistence.db);
	});

	return {
		loaded: persistence.whenSynced.then(() =>
			compactIfLarge(persistence, doc, compactAbove, options.split)
		),
		get saved() {
			return !unflushed && !flushing;
		},
		onSavedChange(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		close: () => {
			closed = true;
			doc.off('afterTransactionCleanup', gate);
			listen(false);
			listeners.clear();
			return persistence.destroy();
		}
	};
}

import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { readLedger, type JunkLedger } from '$lib/domain/kernel/junk-ledger';
import type { RecordVault, StoredRecord, VaultContents, VaultRecord } from './record-vault';
import { nextTask, SLICE_MS } from '$lib/util/next-task';
import { STRICT } from './durable';

/**
 * The vault: every valid record this device has seen in a co-op, and a ledger of the junk it
 * rejected (counts and a short sample, see `junk-ledger.ts`: one row, whatever the junk's size).
 *
 * Records are write-once and the app never deletes them, but anyone with the room key can delete
 * or overwrite entries of the shared map with raw Yjs. The vault is the device's own copy of what
 * was valid: the session puts back whatever disappears from the map, and on reopen it trusts the
 * vault instead of verifying every signature again.
 *
 * Records are kept in chunks: one row holds up to `CHUNK_RECORDS` records as a single JSON text,
 * `[[id, record], …]`. Reopening reads a few large strings and parses each with one `JSON.parse`
 * (no hashing, no signature), where one row per record cost a structured clone each: 100,000 rows
 * took 0.6–0.8 s to read in Chromium, and seconds to write. Every write adds rows and never
 * rewrites one; small rows (a command's records, a peer's latest) are merged on load once there
 * are many. An id may appear in more than one row (the same record kept twice); that is the same
 * record, the reader keeps one.
 */

/** One row of the `chunks` store: `count` records, as the JSON text `[[id, record], …]`. */
interface VaultChunk {
	readonly count: number;
	readonly text: string;
}

interface VaultSchema extends DBSchema {
	chunks: { key: number; value: VaultChunk };
	/** One row, under `LEDGER_KEY`. */
	junk: { key: string; value: unknown };
}

const LEDGER_KEY = 'ledger';

/** The IndexedDB database of one co-op's vault. */
export const vaultDatabaseName = (coopId: string): string => `ours-vault-${coopId}`;

/**
 * Version 1 kept one row per record in `records` (keyPath `id`, value `{ id, text }`). Version 2
 * keeps them in `chunks`; the upgrade moves every row of version 1 into chunks, in the upgrade's
 * own transaction: if anything fails, the database stays at version 1 with all its rows.
 * Versions 1 and 2 also kept one row per rejected entry in `rejected` (a flood of 100,000 junk
 * entries left 100,000 rows); version 3 drops that store for the one-row `junk` ledger. The old
 * rows are not counted into it: they were a cache, and the junk they name is judged again if it
 * is still in the map.
 */
export const VAULT_VERSION = 3;

/** Records per chunk: 1,000 profiles make about 400 KB of text. */
export const CHUNK_RECORDS = 1000;
/** A chunk closes earlier at this many characters (proposals and closes are large). */
export const CHUNK_CHARS = 1 << 20;
/** Rows read per request when loading (at most 8 MiB of text). */
const READ_ROWS = 8;
/** Load merges the chunks that are not full once there are more than this many. */
export const MERGE_ABOVE_CHUNKS = 32;
/** Chunks merged in one task (at most half the limits each: 8 MiB of text). */
const MERGE_GROUP = 16;

/** The rows that keep `records`, each a JSON text `[[id, record], …]`. */
export function chunksOf(records: readonly VaultRecord[]): VaultChunk[] {
	const chunks: VaultChunk[] = [];
	let parts: string[] = [];
	let chars = 0;
	const flush = () => {
		if (parts.length === 0) return;
		chunks.push({ count: parts.length, text: `[${parts.join(',')}]` });
		parts = [];
		chars = 0;
	};
	for (const { id, text } of records) {
		const part = `[${JSON.stringify(id)},${text}]`;
		if (parts.length >= CHUNK_RECORDS || chars + part.length > CHUNK_CHARS) flush();
		parts.push(part);
		chars += part.length + 1;
	}
	flush();
	return chunks;
}

/** At least half the limit: merging two such chunks could exceed it. */
const isFull = (chunk: VaultChunk): boolean =>
	chunk.count >= CHUNK_RECORDS / 2 || chunk.text.length >= CHUNK_CHARS / 2;

/**
 * Merges chunks that are not full, without parsing them: the pairs of `[a, b]` and `[c]` are the
 * pairs of `[a, b, c]`. Each input is under half the limits, so every output but the last one
 * is full: merging again never finds the same rows to merge.
 */
function mergeChunks(chunks: readonly VaultChunk[]): VaultChunk[] {
	const merged: VaultChunk[] = [];
	let parts: string[] = [];
	let count = 0;
	let chars = 0;
	const flush = () => {
		if (parts.length === 0) return;
		merged.push({ count, text: `[${parts.join(',')}]` });
		parts = [];
		count = 0;
		chars = 0;
	};
	for (const chunk of chunks) {
		const inner = chunk.text.slice(1, -1);
		if (count + chunk.count > CHUNK_RECORDS || chars + inner.length > CHUNK_CHARS) flush();
		parts.push(inner);
		count += chunk.count;
		chars += inner.length + 1;
	}
	flush();
	return merged;
}

/**
 * The records of one chunk. A chunk that does not parse (a damaged disk) is skipped with a
 * warning rather than failing the whole vault: its records are verified again from the map.
 */
function readChunk(chunk: VaultChunk, into: StoredRecord[]): void {
	let pairs: unknown;
	try {
		pairs = JSON.parse(chunk.text);
	} catch (error) {
		console.warn('A chunk of the vault could not be read', error);
		return;
	}
	if (!Array.isArray(pairs)) return;
	for (const pair of pairs as unknown[]) {
		if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string') {
			into.push(pair as unknown as StoredRecord);
		}
	}
}

/**
 * The end of `transaction`, marked as handled: a failure also fails the request that caused it,
 * which the caller awaits first, and idb rejects the end of every transaction that fails.
 */
function settledBy(transaction: { readonly done: Promise<void> }): Promise<void> {
	const done = transaction.done;
	done.catch(() => {});
	return done;
}

/** The version 1 store, which only the upgrade sees. */
interface VersionOneRow {
	readonly id: string;
	readonly text: string;
}

/** Moves version 1's rows (one per record) into chunks, then drops their store. */
async function upgradeFromVersionOne(
	db: IDBPDatabase<VaultSchema>,
	transaction: IDBPTransaction<VaultSchema, ('chunks' | 'junk')[], 'versionchange'>
): Promise<void> {
	const names = transaction.objectStoreNames as unknown as DOMStringList;
	if (!names.contains('records')) return;
	const old = (
		transaction as unknown as IDBPTransaction<unknown, ['records'], 'versionchange'>
	).objectStore('records');
	const rows = (await old.getAll()) as VersionOneRow[];
	// Only rows of the shape version 1 wrote, with text that parses: anything else could not
	// have been read by version 1 either, and one bad text would spoil a whole chunk.
	const records = rows.filter((row) => {
		if (typeof row?.id !== 'string' || typeof row.text !== 'string') return false;
		try {
			JSON.parse(row.text);
			return true;
		} catch {
			return false;
		}
	});
	const chunks = transaction.objectStore('chunks');
	await Promise.all(chunksOf(records).map((chunk) => chunks.add(chunk)));
	db.deleteObjectStore('records' as never);
}

/** A co-op's vault in IndexedDB. */
export class IndexedDbVault implements RecordVault {
	readonly #db: Promise<IDBPDatabase<VaultSchema>>;
	#merging: Promise<void> = Promise.resolve();

	constructor(coopId: string) {
		this.#db = openDB<VaultSchema>(vaultDatabaseName(coopId), VAULT_VERSION, {
			upgrade(db, oldVersion, _newVersion, transaction) {
				if (oldVersion < 3) {
					const names = db.objectStoreNames as unknown as DOMStringList;
					if (names.contains('rejected')) db.deleteObjectStore('rejected' as never);
					db.createObjectStore('junk');
				}
				if (oldVersion < 2) {
					db.createObjectStore('chunks', { autoIncrement: true });
					// A failed upgrade is reported by opening.
					void settledBy(transaction);
					// Runs within the upgrade transaction: a failure aborts it, and the database
					// keeps version 1 as it was.
					upgradeFromVersionOne(db, transaction).catch((error: unknown) => {
						console.warn('The vault could not be upgraded', error);
						try {
							transaction.abort();
						} catch {
							// Already aborted by the failure itself.
						}
					});
				}
			},
			blocking(_current, _next, event) {
				// A newer version of the app, in another tab, waits to upgrade the vault: let it.
				// This tab's next write then fails and is reported (the page needs a reload).
				(event.target as IDBDatabase).close();
			}
		});
	}

	async load(): Promise<VaultContents> {
		const db = await this.#db;
		const transaction = db.transaction(['chunks', 'junk'], 'readonly');
		void settledBy(transaction);
		const store = transaction.objectStore('chunks');
		const [keys, ledger] = await Promise.all([
			store.getAllKeys(),
			transaction.objectStore('junk').get(LEDGER_KEY)
		]);
		// Read a few rows per request: the browser copies each request's rows out of storage in
		// one task, and 44 MiB of rows in one request held the page for over 0.1 s. Each request is
		// made as the last one's rows arrive, so the transaction stays open.
		const chunks: VaultChunk[] = [];
		for (let first = 0; first < keys.length; first += READ_ROWS) {
			const last = keys[Math.min(first + READ_ROWS, keys.length) - 1]!;
			chunks.push(...(await store.getAll(IDBKeyRange.bound(keys[first]!, last))));
		}
		// Parsed a few chunks per task: all at once, 100,000 records held the page for 0.2 s.
		const records: StoredRecord[] = [];
		let until = performance.now() + SLICE_MS;
		for (const chunk of chunks) {
			readChunk(chunk, records);
			if (performance.now() < until) continue;
			await nextTask();
			until = performance.now() + SLICE_MS;
		}
		const small = keys.filter((_, index) => !isFull(chunks[index]!));
		if (small.length > MERGE_ABOVE_CHUNKS) {
			this.#merging = this.#mergeAll(small).catch((error: unknown) => {
				console.warn('The vault could not be compacted', error);
			});
		}
		return { records, junk: readLedger(ledger) };
	}

	async putRecords(records: readonly VaultRecord[], durable = false): Promise<void> {
		if (records.length === 0) return;
		const db = await this.#db;
		const transaction = db.transaction('chunks', 'readwrite', durable ? STRICT : {});
		const done = settledBy(transaction);
		await Promise.all(chunksOf(records).map((chunk) => transaction.store.add(chunk)));
		await done;
	}

	async putJunk(junk: JunkLedger): Promise<void> {
		const db = await this.#db;
		const transaction = db.transaction('junk', 'readwrite');
		const done = settledBy(transaction);
		await transaction.store.put(junk, LEDGER_KEY);
		await done;
	}

	async close(): Promise<void> {
		await this.#merging;
		(await this.#db).close();
	}

	/**
	 * Merges the chunks under `keys` a group at a time, a task each: after a large co-op was first
	 * verified (a chunk per slice of judging), merging them all at once held the page for 0.5 s.
	 */
	async #mergeAll(keys: readonly number[]): Promise<void> {
		for (let start = 0; start < keys.length; start += MERGE_GROUP) {
			if (start > 0) await nextTask();
			await this.#merge(keys.slice(start, start + MERGE_GROUP));
		}
	}

	/**
	 * Replaces the chunks under `keys` (not full when loaded) with as few as possible. In one
	 * read-write transaction that reads them again itself, so no write can slip in between.
	 */
	async #merge(keys: readonly number[]): Promise<void> {
		const db = await this.#db;
		const transaction = db.transaction('chunks', 'readwrite');
		const done = settledBy(transaction);
		const store = transaction.store;
		const rows = await Promise.all(keys.map((key) => store.get(key)));
		const small = keys.flatMap((key, index) => {
			const chunk = rows[index];
			return chunk === undefined || isFull(chunk) ? [] : [{ key, chunk }];
		});
		const writes: Promise<unknown>[] = [];
		if (small.length > 1) {
			for (const chunk of mergeChunks(small.map((row) => row.chunk))) writes.push(store.add(chunk));
			for (const { key } of small) writes.push(store.delete(key));
		}
		await Promise.all(writes);
		await done;
	}
}

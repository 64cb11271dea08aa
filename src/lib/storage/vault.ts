import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { Rejection } from '$lib/domain/reasons';
import { STRICT } from './durable';

/**
 * The vault: every valid record this device has seen in a co-op, and the entries it rejected.
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
 * record, the reader keeps one. Rejections stay one row per id: they are few, and replaced by id.
 */

/** A record verified on this device: its id and its JSON text as it was in the map. */
export interface VaultRecord {
	readonly id: string;
	readonly text: string;
}

/**
 * A record as the vault gives it back: its id and its value, parsed from the text it was given.
 * The value is fresh from `JSON.parse`: nothing else holds it.
 */
export type StoredRecord = readonly [id: string, record: unknown];

/** An entry that failed verification, remembered so the same junk is not verified again. */
export interface VaultRejection {
	readonly id: string;
	/** JSON text of the rejected value: the verdict holds for this value only. */
	readonly text: string;
	readonly rejection: Rejection;
}

/** What a vault holds, as `load` returns it. */
export interface VaultContents {
	readonly records: StoredRecord[];
	readonly rejections: VaultRejection[];
}

/** One row of the `chunks` store: `count` records, as the JSON text `[[id, record], …]`. */
interface VaultChunk {
	readonly count: number;
	readonly text: string;
}

interface VaultSchema extends DBSchema {
	chunks: { key: number; value: VaultChunk };
	rejected: { key: string; value: VaultRejection };
}

/** What the session needs of a vault (tests may keep one in memory). */
export interface RecordVault {
	load(): Promise<VaultContents>;
	/**
	 * Keeps valid records, and forgets any rejection cached under their ids. With `durable`, resolves
	 * only once they are on disk, safe from the browser being killed (see `STRICT`).
	 */
	putRecords(records: readonly VaultRecord[], durable?: boolean): Promise<void>;
	putRejections(rejections: readonly VaultRejection[]): Promise<void>;
	close(): Promise<void>;
}

/** The IndexedDB database of one co-op's vault. */
export const vaultDatabaseName = (coopId: string): string => `ours-vault-${coopId}`;

/**
 * Version 1 kept one row per record in `records` (keyPath `id`, value `{ id, text }`). Version 2
 * keeps them in `chunks`; the upgrade moves every row of version 1 into chunks, in the upgrade's
 * own transaction: if anything fails, the database stays at version 1 with all its rows.
 */
export const VAULT_VERSION = 2;

/** Records per chunk: 1,000 profiles make about 400 KB of text. */
export const CHUNK_RECORDS = 1000;
/** A chunk closes earlier at this many characters (proposals and closes are large). */
export const CHUNK_CHARS = 1 << 20;
/** Load merges the chunks that are not full once there are more than this many. */
export const MERGE_ABOVE_CHUNKS = 32;

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
	transaction: IDBPTransaction<VaultSchema, ('chunks' | 'rejected')[], 'versionchange'>
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
				if (oldVersion < 1) db.createObjectStore('rejected', { keyPath: 'id' });
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
		const transaction = db.transaction(['chunks', 'rejected'], 'readonly');
		void settledBy(transaction);
		const [keys, chunks, rejections] = await Promise.all([
			transaction.objectStore('chunks').getAllKeys(),
			transaction.objectStore('chunks').getAll(),
			transaction.objectStore('rejected').getAll()
		]);
		const records: StoredRecord[] = [];
		for (const chunk of chunks) readChunk(chunk, records);
		const small = keys.filter((_, index) => !isFull(chunks[index]!));
		if (small.length > MERGE_ABOVE_CHUNKS) {
			this.#merging = this.#merge(small).catch((error: unknown) => {
				console.warn('The vault could not be compacted', error);
			});
		}
		return { records, rejections };
	}

	async putRecords(records: readonly VaultRecord[], durable = false): Promise<void> {
		if (records.length === 0) return;
		const db = await this.#db;
		const transaction = db.transaction(['chunks', 'rejected'], 'readwrite', durable ? STRICT : {});
		const done = settledBy(transaction);
		// Rejections are few: look up which ids have one instead of a delete per record.
		const rejected = transaction.objectStore('rejected');
		const held = await rejected.getAllKeys();
		const chunks = transaction.objectStore('chunks');
		const writes: Promise<unknown>[] = chunksOf(records).map((chunk) => chunks.add(chunk));
		const ids = new Set(records.map((record) => record.id));
		for (const id of held) if (ids.has(id)) writes.push(rejected.delete(id));
		await Promise.all(writes);
		await done;
	}

	async putRejections(rejections: readonly VaultRejection[]): Promise<void> {
		if (rejections.length === 0) return;
		const db = await this.#db;
		const transaction = db.transaction('rejected', 'readwrite');
		const done = settledBy(transaction);
		await Promise.all(rejections.map((rejection) => transaction.store.put(rejection)));
		await done;
	}

	async close(): Promise<void> {
		await this.#merging;
		(await this.#db).close();
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

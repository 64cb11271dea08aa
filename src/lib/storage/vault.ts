import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Rejection } from '$lib/domain/reasons';

/**
 * The vault: every valid record this device has seen in a co-op, and the entries it rejected.
 *
 * Records are write-once and the app never deletes them, but anyone with the room key can delete
 * or overwrite entries of the shared map with raw Yjs. The vault is the device's own copy of what
 * was valid: the session puts back whatever disappears from the map, and on reopen it trusts the
 * vault instead of verifying every signature again.
 *
 * Each entry keeps the record as JSON text: reopening parses it once (no hashing, no signature)
 * and compares the map's value with it in place. One `getAll` reads the whole store: per-record
 * reads would cost a request each.
 */

/** A record verified on this device: its id and its JSON text as it was in the map. */
export interface VaultRecord {
	readonly id: string;
	readonly text: string;
}

/** An entry that failed verification, remembered so the same junk is not verified again. */
export interface VaultRejection {
	readonly id: string;
	/** JSON text of the rejected value: the verdict holds for this value only. */
	readonly text: string;
	readonly rejection: Rejection;
}

interface VaultSchema extends DBSchema {
	records: { key: string; value: VaultRecord };
	rejected: { key: string; value: VaultRejection };
}

/** What the session needs of a vault (tests may keep one in memory). */
export interface RecordVault {
	load(): Promise<{ records: VaultRecord[]; rejections: VaultRejection[] }>;
	/** Keeps valid records, and forgets any rejection cached under their ids. */
	putRecords(records: readonly VaultRecord[]): Promise<void>;
	putRejections(rejections: readonly VaultRejection[]): Promise<void>;
	close(): Promise<void>;
}

/** The IndexedDB database of one co-op's vault. */
export const vaultDatabaseName = (coopId: string): string => `ours-vault-${coopId}`;

const VERSION = 1;

/** A co-op's vault in IndexedDB. */
export class IndexedDbVault implements RecordVault {
	readonly #db: Promise<IDBPDatabase<VaultSchema>>;

	constructor(coopId: string) {
		this.#db = openDB<VaultSchema>(vaultDatabaseName(coopId), VERSION, {
			upgrade(db) {
				db.createObjectStore('records', { keyPath: 'id' });
				db.createObjectStore('rejected', { keyPath: 'id' });
			}
		});
	}

	async load(): Promise<{ records: VaultRecord[]; rejections: VaultRejection[] }> {
		const db = await this.#db;
		const transaction = db.transaction(['records', 'rejected'], 'readonly');
		const [records, rejections] = await Promise.all([
			transaction.objectStore('records').getAll(),
			transaction.objectStore('rejected').getAll()
		]);
		return { records, rejections };
	}

	async putRecords(records: readonly VaultRecord[]): Promise<void> {
		if (records.length === 0) return;
		const db = await this.#db;
		const transaction = db.transaction(['records', 'rejected'], 'readwrite');
		const store = transaction.objectStore('records');
		const rejected = transaction.objectStore('rejected');
		for (const record of records) {
			void store.put(record);
			void rejected.delete(record.id);
		}
		await transaction.done;
	}

	async putRejections(rejections: readonly VaultRejection[]): Promise<void> {
		if (rejections.length === 0) return;
		const db = await this.#db;
		const transaction = db.transaction('rejected', 'readwrite');
		for (const rejection of rejections) void transaction.store.put(rejection);
		await transaction.done;
	}

	async close(): Promise<void> {
		(await this.#db).close();
	}
}

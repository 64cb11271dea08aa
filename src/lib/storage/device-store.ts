import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CoopEntry } from './coop-entry';
import { STRICT } from './durable';

/** A device key pair for one co-op; the private key is a non-extractable `CryptoKey`. */
export interface StoredKey {
	readonly coopId: string;
	readonly publicKey: string;
	readonly pair: CryptoKeyPair;
	readonly createdAt: number;
}

export interface DeviceSchema extends DBSchema {
	coops: { key: string; value: CoopEntry };
	keys: { key: string; value: StoredKey };
}

const DB_NAME = 'ours-device';
/** 1: co-ops. 2: device keys, one per co-op. */
const DB_VERSION = 2;

/** Opens the device's own database, creating or upgrading its stores as needed. */
export function openDeviceDb(): Promise<IDBPDatabase<DeviceSchema>> {
	return openDB<DeviceSchema>(DB_NAME, DB_VERSION, {
		upgrade(db, oldVersion) {
			if (oldVersion < 1) db.createObjectStore('coops', { keyPath: 'id' });
			if (oldVersion < 2) db.createObjectStore('keys', { keyPath: 'coopId' });
		}
	});
}

/** The device's own list of co-ops, kept apart from any co-op's shared document. */
export class DeviceStore {
	readonly #db: Promise<IDBPDatabase<DeviceSchema>>;

	constructor(db: Promise<IDBPDatabase<DeviceSchema>> = openDeviceDb()) {
		this.#db = db;
	}

	async listCoops(): Promise<CoopEntry[]> {
		const coops = await (await this.#db).getAll('coops');
		return coops.sort((a, b) => b.lastOpenedAt - a.lastOpenedAt);
	}

	async getCoop(id: string): Promise<CoopEntry | undefined> {
		return (await this.#db).get('coops', id);
	}

	/** On disk once it resolves: the UI shows the co-op as added then. */
	async putCoop(entry: CoopEntry): Promise<void> {
		const transaction = (await this.#db).transaction('coops', 'readwrite', STRICT);
		const done = transaction.done;
		// A refused write fails its request too, which is what the caller hears of.
		done.catch(() => {});
		await transaction.store.put(entry);
		await done;
	}

	/**
	 * Changes a co-op's entry as it is stored now, in one transaction: the open co-op and the app
	 * both write fields of it, and neither may put back a stale copy of the other's.
	 */
	async updateCoop(
		id: string,
		change: (entry: CoopEntry) => CoopEntry
	): Promise<CoopEntry | undefined> {
		const transaction = (await this.#db).transaction('coops', 'readwrite', STRICT);
		const entry = await transaction.store.get(id);
		const updated = entry === undefined ? undefined : change(entry);
		if (updated !== undefined) await transaction.store.put(updated);
		await transaction.done;
		return updated;
	}

	/** Forgets a co-op and this device's key for it, in one transaction. */
	async forgetCoop(id: string): Promise<void> {
		const transaction = (await this.#db).transaction(['coops', 'keys'], 'readwrite');
		await Promise.all([
			transaction.objectStore('coops').delete(id),
			transaction.objectStore('keys').delete(id),
			transaction.done
		]);
	}

	async close(): Promise<void> {
		(await this.#db).close();
	}
}

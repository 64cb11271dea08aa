import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { STRICT } from './durable';

/** A co-op this device is founding: its genesis is written when the co-op first opens. */
export interface PendingFound {
	readonly kind: 'found';
	/** The salt that, with this device's key, derives the co-op id. */
	readonly salt: string;
	readonly created: number;
	readonly displayName: string;
}

/** A join this device has asked for and not yet written: it waits for the invite record to sync. */
export interface PendingJoin {
	readonly kind: 'join';
	/** The invite secret from the link; it never leaves this device. */
	readonly secret: string;
	readonly displayName: string;
}

/** This device asked to become a device of an existing member (see docs/records.md). */
export interface PendingLink {
	readonly kind: 'link';
	/** The one-time code from the link shown on the member's other device. */
	readonly code: string;
	/** The member this device asks to join. */
	readonly member: string;
}

/** A co-op this device belongs to: what it needs to open the co-op's document and find its peers. */
export interface CoopEntry {
	readonly id: string;
	readonly name: string;
	/** The room secret: encrypts signaling and gates the sync room. Never leaves the device but in invite links. */
	readonly roomKey: string;
	readonly addedAt: number;
	readonly lastOpenedAt: number;
	/** Set from the moment a member opens an invite or link until the record is written. */
	readonly pending?: PendingFound | PendingJoin | PendingLink;
	/** When this device last made a backup of the co-op. */
	readonly lastBackupAt?: number;
	/** When records from each other device (by public key) last arrived on this one. */
	readonly lastSeen?: Readonly<Record<string, number>>;
}

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

	async close(): Promise<void> {
		(await this.#db).close();
	}
}

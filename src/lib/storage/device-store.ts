import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** A co-op this device belongs to: what it needs to open the co-op's document and find its peers. */
export interface CoopEntry {
	readonly id: string;
	readonly name: string;
	/** The room secret: encrypts signaling and gates the sync room. Never leaves the device but in invite links. */
	readonly roomKey: string;
	readonly addedAt: number;
	readonly lastOpenedAt: number;
}

interface DeviceSchema extends DBSchema {
	coops: { key: string; value: CoopEntry };
}

const DB_NAME = 'ours-device';
const DB_VERSION = 1;

/** The device's own list of co-ops, kept apart from any co-op's shared document. */
export class DeviceStore {
	readonly #db: Promise<IDBPDatabase<DeviceSchema>>;

	constructor() {
		this.#db = openDB<DeviceSchema>(DB_NAME, DB_VERSION, {
			upgrade(db) {
				db.createObjectStore('coops', { keyPath: 'id' });
			}
		});
	}

	async listCoops(): Promise<CoopEntry[]> {
		const coops = await (await this.#db).getAll('coops');
		return coops.sort((a, b) => b.lastOpenedAt - a.lastOpenedAt);
	}

	async getCoop(id: string): Promise<CoopEntry | undefined> {
		return (await this.#db).get('coops', id);
	}

	async putCoop(entry: CoopEntry): Promise<void> {
		await (await this.#db).put('coops', entry);
	}

	async close(): Promise<void> {
		(await this.#db).close();
	}
}

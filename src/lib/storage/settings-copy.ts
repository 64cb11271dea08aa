import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { STRICT } from './durable';

/**
 * A durable copy of the device's settings. The settings live in localStorage, read synchronously
 * before a co-op opens; but Chromium writes localStorage to disk some time later, and a browser
 * killed after "Saved." lost them every time (tests/e2e/durability.spec.ts). This copy is written
 * with strict durability before the page says saved, and put back on the next start.
 */
interface SettingsSchema extends DBSchema {
	settings: { key: string; value: string };
}

const DB_NAME = 'ours-settings';

function open(): Promise<IDBPDatabase<SettingsSchema>> {
	return openDB<SettingsSchema>(DB_NAME, 1, {
		upgrade(db) {
			db.createObjectStore('settings');
		}
	});
}

/** Keeps `text` under `key`; on disk once this resolves. */
export async function keepCopy(key: string, text: string): Promise<void> {
	const db = await open();
	try {
		const transaction = db.transaction('settings', 'readwrite', STRICT);
		const done = transaction.done;
		// A refused write fails its request too, which is what the caller hears of.
		done.catch(() => {});
		await transaction.store.put(text, key);
		await done;
	} finally {
		db.close();
	}
}

/** The text kept under `key`, if any. */
export async function readCopy(key: string): Promise<string | undefined> {
	const db = await open();
	try {
		return await db.get('settings', key);
	} finally {
		db.close();
	}
}

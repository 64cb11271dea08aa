import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '$lib/crypto/sign';
import { signBytes } from '$lib/crypto/sign';
import { DeviceStore } from '$lib/storage/device-store';
import { KeyStore } from '$lib/storage/key-store';

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});

describe('device key store', () => {
	it('keeps one key pair per co-op across reopening, and its private key cannot be read', async () => {
		const store = new KeyStore();
		const made = await store.getOrCreate('coop-1');
		expect(await store.getOrCreate('coop-1')).toMatchObject({ publicKey: made.publicKey });
		const other = await store.getOrCreate('coop-2');
		expect(other.publicKey).not.toBe(made.publicKey);
		await store.close();

		const reopened = new KeyStore();
		const key = await reopened.get('coop-1');
		expect(key?.publicKey).toBe(made.publicKey);
		expect(key?.privateKey.extractable).toBe(false);
		await expect(crypto.subtle.exportKey('pkcs8', key!.privateKey)).rejects.toThrow();
		const message = new TextEncoder().encode('vote yes');
		const signature = await signBytes(key!.privateKey, message);
		expect(await verifySignature(made.publicKey, signature, message)).toBe(true);
		expect(await reopened.get('no-such-coop')).toBeUndefined();
		await reopened.close();
	});

	it('gives the same key to two callers racing to make it', async () => {
		const store = new KeyStore();
		const [a, b] = await Promise.all([store.getOrCreate('race'), store.getOrCreate('race')]);
		expect(a.publicKey).toBe(b.publicKey);
		await store.close();
	});

	it('upgrades a device database of version 1, keeping its co-ops', async () => {
		const old = await openDB('ours-device', 1, {
			upgrade(db) {
				db.createObjectStore('coops', { keyPath: 'id' });
			}
		});
		await old.put('coops', { id: 'kept', name: 'Kept', roomKey: 'k', addedAt: 1, lastOpenedAt: 1 });
		old.close();

		const coops = new DeviceStore();
		expect((await coops.listCoops()).map((coop) => coop.id)).toEqual(['kept']);
		const keys = new KeyStore();
		expect((await keys.getOrCreate('kept')).publicKey).toHaveLength(43);
		await Promise.all([coops.close(), keys.close()]);
	});
});

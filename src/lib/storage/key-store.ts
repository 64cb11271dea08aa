import type { IDBPDatabase } from 'idb';
import { generateKeyPair, signingKeyFromPair, type SigningKey } from '$lib/crypto/keys';
import { openDeviceDb, type DeviceSchema, type StoredKey } from './device-store';
import { STRICT } from './durable';

/**
 * This device's Ed25519 keys, one pair per co-op. Separate keys per co-op mean two co-ops cannot
 * tell that one device belongs to both of them. The private key is made non-extractable by
 * WebCrypto and stored as a `CryptoKey`: IndexedDB keeps it, page scripts can sign with it, nobody
 * can read its bytes. Losing the device loses the key; another device of the member, linked
 * before, keeps the membership.
 */
export class KeyStore {
	readonly #db: Promise<IDBPDatabase<DeviceSchema>>;

	constructor(db: Promise<IDBPDatabase<DeviceSchema>> = openDeviceDb()) {
		this.#db = db;
	}

	/** The device's key for a co-op, if it has one. */
	async get(coopId: string): Promise<SigningKey | undefined> {
		const stored = await (await this.#db).get('keys', coopId);
		return stored === undefined ? undefined : signingKeyFromPair(stored.pair);
	}

	/**
	 * The device's key whose public key is `publicKey`, in whichever co-op: a credential from one
	 * co-op names the member's key there, and presenting it to another co-op signs with that key.
	 */
	async findByPublicKey(publicKey: string): Promise<SigningKey | undefined> {
		const stored = (await (await this.#db).getAll('keys')).find(
			(entry) => entry.publicKey === publicKey
		);
		return stored === undefined ? undefined : signingKeyFromPair(stored.pair);
	}

	/** Keeps a key pair made before the co-op id was known (a founder's key derives the id). */
	async put(coopId: string, pair: CryptoKeyPair): Promise<SigningKey> {
		const key = await signingKeyFromPair(pair);
		await this.#write('put', { coopId, publicKey: key.publicKey, pair, createdAt: Date.now() });
		return key;
	}

	/**
	 * The device's key for a co-op, made on first use. Two tabs may race to make it: `add` lets only
	 * one pair in, and the loser takes the winner's, so a device never signs with two keys.
	 */
	async getOrCreate(coopId: string): Promise<SigningKey> {
		const existing = await this.get(coopId);
		if (existing !== undefined) return existing;
		const pair = await generateKeyPair();
		const key = await signingKeyFromPair(pair);
		try {
			const stored = { coopId, publicKey: key.publicKey, pair, createdAt: Date.now() };
			await this.#write('add', stored);
			return key;
		} catch (error) {
			const winner = await this.get(coopId);
			if (winner === undefined) throw error;
			return winner;
		}
	}

	/**
	 * Keeps a key, on disk once this resolves: a key lost to a killed browser would leave records
	 * already signed with it that this device can no longer sign after.
	 */
	async #write(how: 'put' | 'add', stored: StoredKey): Promise<void> {
		const transaction = (await this.#db).transaction('keys', 'readwrite', STRICT);
		const done = transaction.done;
		// A refused write fails its request too, which is what the caller hears of.
		done.catch(() => {});
		await transaction.store[how](stored);
		await done;
	}

	async close(): Promise<void> {
		(await this.#db).close();
	}
}

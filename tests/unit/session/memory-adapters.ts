import * as Y from 'yjs';
import type { SigningKey } from '$lib/crypto/keys';
import { generateSigningKey } from '$lib/crypto/keys';
import type { DeviceKeys, SessionAdapters } from '$lib/session/adapters';
import type { DocPersistence, PersistenceAdapter } from '$lib/storage/persistence-adapter';
import { EMPTY_LEDGER, type JunkLedger } from '$lib/domain/kernel/junk-ledger';
import type { RecordVault, VaultContents, VaultRecord } from '$lib/storage/record-vault';
import type { CoopNetwork, NetworkAdapter, SyncRoom } from '$lib/sync/network-adapter';
import { initialSyncStatus, type SyncStatus } from '$lib/sync/sync-status';

/**
 * Adapters that keep everything in memory, for opening real sessions in tests: what one device
 * stores outlives its sessions (close one, open another over the same `MemoryDevice`), and an
 * in-memory hub joins the documents of devices in the same room as y-webrtc would.
 */

/** A vault in memory: what it keeps survives `close`, as a vault on disk does. */
export class MemoryVault implements RecordVault {
	readonly #records = new Map<string, string>();
	#junk: JunkLedger = EMPTY_LEDGER;

	load(): Promise<VaultContents> {
		return Promise.resolve({
			records: [...this.#records].map(([id, text]) => [id, JSON.parse(text)] as const),
			junk: this.#junk
		});
	}

	putRecords(records: readonly VaultRecord[]): Promise<void> {
		for (const { id, text } of records) this.#records.set(id, text);
		return Promise.resolve();
	}

	putJunk(junk: JunkLedger): Promise<void> {
		this.#junk = junk;
		return Promise.resolve();
	}

	close(): Promise<void> {
		return Promise.resolve();
	}
}

/** Origin of the updates read back from memory: they are not stored again. */
const LOAD_ORIGIN = Symbol('memory-load');

/** A document kept as the list of its updates, appended as they happen. */
export function memoryPersistence(stored: Uint8Array[]): PersistenceAdapter {
	return (doc): DocPersistence => {
		// What the document held before, and every change from now on, loading or not.
		stored.push(Y.encodeStateAsUpdate(doc));
		const onUpdate = (update: Uint8Array, origin: unknown) => {
			if (origin !== LOAD_ORIGIN) stored.push(update);
		};
		doc.on('update', onUpdate);
		// Loaded in a later task, as a store on disk would be.
		const loaded = new Promise<void>((resolve) =>
			setTimeout(() => {
				Y.transact(doc, () => stored.forEach((update) => Y.applyUpdate(doc, update)), LOAD_ORIGIN);
				resolve();
			})
		);
		return {
			loaded,
			saved: true,
			onSavedChange: () => () => {},
			close: () => {
				doc.off('update', onUpdate);
				return Promise.resolve();
			}
		};
	};
}

/** One device's keys, one per co-op, made on first use. */
export class MemoryKeys implements DeviceKeys {
	readonly #keys = new Map<string, SigningKey>();

	async getOrCreate(coopId: string): Promise<SigningKey> {
		const existing = this.#keys.get(coopId);
		if (existing !== undefined) return existing;
		const key = await generateSigningKey();
		this.#keys.set(coopId, key);
		return key;
	}

	put(coopId: string, key: SigningKey): void {
		this.#keys.set(coopId, key);
	}
}

interface Member {
	readonly room: string;
	readonly doc: Y.Doc;
	readonly network: MemoryNetwork;
}

/**
 * Rooms in memory: every document that joins a room gets what the others hold, and from then on
 * each update of one is applied to all the others, with the receiving network as its origin (as
 * y-webrtc applies peers' updates with its room as origin).
 */
export class MemoryHub {
	readonly #members = new Set<Member>();

	readonly network: NetworkAdapter = (room) => new MemoryNetwork(this, room);

	/** @internal Joins `network`'s document to the others of its room. */
	join(member: Member): void {
		const others = [...this.#members].filter((other) => other.room === member.room);
		this.#members.add(member);
		for (const other of others) {
			Y.applyUpdate(member.doc, Y.encodeStateAsUpdate(other.doc), member.network);
			Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(member.doc), other.network);
		}
		for (const other of others) other.network.peersChanged(this.#peersOf(other));
		member.network.peersChanged(others.length);
	}

	/** @internal Sends an update of `from`'s document to the others of its room. */
	send(from: Member, update: Uint8Array): void {
		for (const other of this.#members) {
			if (other === from || other.room !== from.room) continue;
			Y.applyUpdate(other.doc, update, other.network);
		}
	}

	/** @internal */
	leave(member: Member): void {
		this.#members.delete(member);
		for (const other of this.#members) {
			if (other.room === member.room) other.network.peersChanged(this.#peersOf(other));
		}
	}

	#peersOf(member: Member): number {
		return [...this.#members].filter((other) => other !== member && other.room === member.room)
			.length;
	}
}

class MemoryNetwork implements CoopNetwork {
	#status: SyncStatus = initialSyncStatus;
	readonly #listeners = new Set<(status: SyncStatus) => void>();
	readonly #hub: MemoryHub;
	#member: Member | null = null;
	#destroyed = false;
	readonly #onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === this) this.#set({ lastSyncedAt: Date.now() });
		else if (this.#member !== null) this.#hub.send(this.#member, update);
	};

	constructor(hub: MemoryHub, room: SyncRoom) {
		this.#hub = hub;
		const join = () => {
			if (this.#destroyed) return;
			this.#member = { room: room.coopId, doc: room.doc, network: this };
			room.doc.on('update', this.#onUpdate);
			hub.join(this.#member);
		};
		// Joins once the document has loaded, as the session's networks do.
		void Promise.resolve(room.loaded).then(join, join);
	}

	get status(): SyncStatus {
		return this.#status;
	}

	subscribe(listener: (status: SyncStatus) => void): () => void {
		this.#listeners.add(listener);
		listener(this.#status);
		return () => this.#listeners.delete(listener);
	}

	destroy(): Promise<void> {
		this.#destroyed = true;
		if (this.#member !== null) {
			this.#member.doc.off('update', this.#onUpdate);
			this.#hub.leave(this.#member);
			this.#member = null;
		}
		this.#listeners.clear();
		return Promise.resolve();
	}

	/** @internal */
	peersChanged(peers: number): void {
		this.#set({ peers, state: peers > 0 ? 'connected' : 'searching' });
	}

	#set(patch: Partial<SyncStatus>): void {
		this.#status = { ...this.#status, ...patch };
		for (const listener of this.#listeners) listener(this.#status);
	}
}

/** What one device keeps of one co-op: outlives the sessions opened over it. */
export class MemoryDevice {
	readonly keys = new MemoryKeys();
	readonly vault = new MemoryVault();
	readonly updates: Uint8Array[] = [];

	adapters(hub: MemoryHub): SessionAdapters {
		return {
			vault: this.vault,
			persistence: memoryPersistence(this.updates),
			network: hub.network
		};
	}
}

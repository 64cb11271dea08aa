import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import type { SyncConfig } from '$lib/util/sync-config';
import type { CoopNetwork, NetworkAdapter, SyncRoom } from './network-adapter';
import { initialSyncStatus, type SyncStatus } from './sync-status';
import { applyInSlices } from './apply-in-slices';
import { checkUpdate } from './update-bounds';

/** The sync room of a co-op on the relay: derived from the co-op id, so the relay never needs more. */
export const roomName = (coopId: string): string => `ours-${coopId}`;

type Listener = (status: SyncStatus) => void;

/**
 * Where WebRTC comes from: the browser's own unless given. Node has none, and passes simple-peer
 * the `wrtc` implementation it takes (node-datachannel's, in the always-on peer).
 */
export interface WebrtcRuntime {
	readonly wrtc?: object;
}

/** The network adapter of a y-webrtc room: the same in the browser and, with `wrtc`, in Node. */
export const webrtcNetwork =
	(config: SyncConfig, runtime: WebrtcRuntime = {}): NetworkAdapter =>
	(room) =>
		new PeerSync(room, config, runtime);

/**
 * Syncs one co-op's document with every peer that has its room key: browser to browser over WebRTC
 * (signaling through the configured relays, encrypted with the room key), and tab to tab over
 * BroadcastChannel. Follows the device's network state so the indicator tells the truth and peers
 * reconnect by themselves when the network returns; offline, the tabs of this browser keep
 * syncing with each other, since they need no network.
 */
export class PeerSync implements CoopNetwork {
	/** Made once the document has loaded (see the constructor). */
	#provider: WebrtcProvider | null = null;
	readonly #listeners = new Set<Listener>();
	#status: SyncStatus = initialSyncStatus;
	// Node has no `navigator` before version 21, and no `navigator.onLine` after: online then.
	#online = typeof navigator === 'undefined' || navigator.onLine !== false;
	readonly #cleanups: Array<() => void> = [];
	#destroyed = false;

	/**
	 * `room.loaded`, if given, resolves once the document holds what the device had stored: the
	 * room is joined only then. Joined earlier, y-webrtc would send every change made while loading
	 * (the whole stored document) to the other tabs and peers, and ask peers for everything, from
	 * an empty state vector.
	 */
	constructor(room: SyncRoom, config: SyncConfig, runtime: WebrtcRuntime = {}) {
		const { coopId, roomKey, doc, loaded } = room;
		if (typeof window !== 'undefined') {
			const online = () => this.#setOnline(true);
			const offline = () => this.#setOnline(false);
			window.addEventListener('online', online);
			window.addEventListener('offline', offline);
			this.#cleanups.push(() => {
				window.removeEventListener('online', online);
				window.removeEventListener('offline', offline);
			});
		}
		// Relay connections come and go on their own (reconnect with backoff); poll their state
		// rather than hooking into y-webrtc's shared connection objects.
		const timer = setInterval(() => this.#refresh(), 1000);
		this.#cleanups.push(() => clearInterval(timer));
		this.#refresh();

		const start = () => {
			if (this.#destroyed) return;
			this.#join(coopId, roomKey, doc, config, runtime);
		};
		// A document that failed to load still syncs: peers bring back what they have.
		if (loaded === undefined) start();
		else loaded.then(start, start);
	}

	get status(): SyncStatus {
		return this.#status;
	}

	subscribe(listener: Listener): () => void {
		this.#listeners.add(listener);
		listener(this.#status);
		return () => this.#listeners.delete(listener);
	}

	/** Leaves the room. Resolves once the room is released, so the co-op can be opened again. */
	async destroy(): Promise<void> {
		this.#destroyed = true;
		for (const cleanup of this.#cleanups) cleanup();
		this.#listeners.clear();
		const provider = this.#provider;
		if (provider === null) return;
		await provider.key;
		provider.destroy();
		// y-webrtc releases the room one step after the key resolves.
		await Promise.resolve();
	}

	#join(
		coopId: string,
		roomKey: string,
		doc: Y.Doc,
		config: SyncConfig,
		runtime: WebrtcRuntime
	): void {
		const provider = new WebrtcProvider(roomName(coopId), doc, {
			signaling: [...config.signalingUrls],
			password: roomKey,
			// A peer's update is applied only if its work is bounded, as a file's is.
			checkUpdate: (update) => checkUpdate(update).ok,
			// A large one is applied a window at a time, so the page answers meanwhile; the
			// peer's later messages wait for it (docs/sync.md).
			sliceUpdate: (update, origin) => applyInSlices(doc, update, origin),
			peerOpts: {
				config: { iceServers: [...config.iceServers] },
				...(runtime.wrtc === undefined ? {} : { wrtc: runtime.wrtc })
			}
		});
		this.#provider = provider;
		if (!this.#online) this.#goOffline(provider);

		const onPeers = () => this.#refresh();
		const onSynced = ({ synced }: { synced: boolean }) => {
			if (synced) this.#refresh({ lastSyncedAt: Date.now() });
		};
		const onUpdate = (_update: Uint8Array, origin: unknown) => {
			// Remote changes are applied with the sync room as their origin; local edits have none.
			if (origin !== null && origin !== undefined && origin === provider.room) {
				this.#refresh({ lastSyncedAt: Date.now() });
			}
		};
		provider.on('peers', onPeers);
		provider.on('undecryptable', onPeers);
		provider.on('refused', onPeers);
		provider.on('synced', onSynced);
		doc.on('update', onUpdate);
		this.#cleanups.push(() => doc.off('update', onUpdate));
		this.#refresh();
	}

	#setOnline(online: boolean): void {
		this.#online = online;
		const provider = this.#provider;
		if (provider !== null) {
			if (online) provider.connect();
			else this.#goOffline(provider);
		}
		this.#refresh();
	}

	/**
	 * Leaves the relays and the peers, not this browser's other tabs. y-webrtc's `disconnect()`
	 * leaves all of them, so the room then rejoins the tabs' BroadcastChannel alone: its relay
	 * connections closed with it (they close when their last room leaves, and a tab has one co-op
	 * open), so it announces itself to nobody else.
	 */
	#goOffline(provider: WebrtcProvider): void {
		provider.disconnect();
		void provider.key.then(() => {
			if (!this.#online && !this.#destroyed) provider.room?.connect();
		});
	}

	#refresh(patch: Partial<SyncStatus> = {}): void {
		const room = this.#provider?.room ?? null;
		const direct = room
			? [...room.webrtcConns.values()].filter((conn) => conn.connected).length
			: 0;
		const peers = direct + (room ? room.bcConns.size : 0);
		const conns = (this.#provider?.signalingConns ?? []) as Array<{ connected: boolean }>;
		// y-webrtc lists a relay connection again each time it reconnects: count each once.
		const relays = new Set(conns.filter((conn) => conn.connected)).size;
		// Counted by the patched y-webrtc (patches/y-webrtc+*.patch).
		const ignored = this.#provider?.undecryptable ?? 0;
		const refused = this.#provider?.refused ?? 0;
		const state: SyncStatus['state'] = !this.#online
			? 'offline'
			: peers > 0
				? 'connected'
				: 'searching';
		const next: SyncStatus = {
			...this.#status,
			...patch,
			state,
			peers,
			relays,
			ignored,
			refused
		};
		if (
			next.state === this.#status.state &&
			next.peers === this.#status.peers &&
			next.relays === this.#status.relays &&
			next.ignored === this.#status.ignored &&
			next.refused === this.#status.refused &&
			next.lastSyncedAt === this.#status.lastSyncedAt
		) {
			return;
		}
		this.#status = next;
		for (const listener of this.#listeners) listener(next);
	}
}

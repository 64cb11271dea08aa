import type * as Y from 'yjs';
import type { SyncStatus } from './sync-status';

/** The co-op a network joins: its sync room, and the document it keeps in step with peers. */
export interface SyncRoom {
	readonly coopId: string;
	/** The room secret: only devices holding it meet in the room and read what is sent. */
	readonly roomKey: string;
	readonly doc: Y.Doc;
	/**
	 * Resolves once `doc` holds what the device had stored: the room is joined only then, so
	 * peers are not sent the stored document as if it were new. Without it, `doc` counts as loaded.
	 */
	readonly loaded?: Promise<unknown>;
}

/** A co-op's link to its peers, as the session and the UI see it. */
export interface CoopNetwork {
	readonly status: SyncStatus;
	/** Calls `listener` with the status now and on every change; returns a function that stops it. */
	subscribe(listener: (status: SyncStatus) => void): () => void;
	/** Leaves the room; resolves once it is released, so the co-op can be opened again. */
	destroy(): Promise<void>;
}

/**
 * The network adapter: joins a co-op's room and exchanges the document's updates with the peers
 * there. y-webrtc in both the browser (with BroadcastChannel between tabs) and the always-on peer
 * (WebRTC from node-datachannel), see `peer-sync.ts`; an in-memory hub in tests.
 */
export type NetworkAdapter = (room: SyncRoom) => CoopNetwork;

import type { SessionAdapters } from '$lib/session/adapters';
import { indexedDbPersistence } from '$lib/storage/doc-persistence';
import { IndexedDbVault } from '$lib/storage/vault';
import { applyStoredInSlices } from '$lib/sync/apply-in-slices';
import { webrtcNetwork } from '$lib/sync/peer-sync';
import type { SyncConfig } from '$lib/util/sync-config';

/**
 * How the browser keeps and shares a co-op, chosen here and nowhere else: its vault and its
 * document in IndexedDB (the document loaded a slice at a time), its peers over WebRTC through
 * the configured relays, and this browser's other tabs over BroadcastChannel.
 */
export function browserAdapters(coopId: string, config: SyncConfig): SessionAdapters {
	return {
		vault: new IndexedDbVault(coopId),
		persistence: indexedDbPersistence(coopId, applyStoredInSlices),
		network: webrtcNetwork(config)
	};
}

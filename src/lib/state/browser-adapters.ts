import type { SessionAdapters } from '$lib/session/adapters';
import { indexedDbPersistence, seedDoc, type SplitState } from '$lib/storage/doc-persistence';
import { IndexedDbVault } from '$lib/storage/vault';
import { applyStoredInSlices } from '$lib/sync/apply-in-slices';
import { webrtcNetwork } from '$lib/sync/peer-sync';
import { UpdateSlicer } from '$lib/sync/update-slices';
import type { SyncConfig } from '$lib/util/sync-config';

/** A large stored document is kept in rows that each depend only on those before them. */
const split: SplitState = (state, bytes) => UpdateSlicer.split(state, bytes);

/**
 * How the browser keeps and shares a co-op, chosen here and nowhere else: its vault and its
 * document in IndexedDB (the document loaded a slice at a time), its peers over WebRTC through
 * the configured relays, and this browser's other tabs over BroadcastChannel.
 */
export function browserAdapters(coopId: string, config: SyncConfig): SessionAdapters {
	return {
		vault: new IndexedDbVault(coopId),
		persistence: indexedDbPersistence(coopId, { applyLarge: applyStoredInSlices, split }),
		network: webrtcNetwork(config)
	};
}

/** Writes a restored backup into a co-op's stored document (`seedDoc`), in rows like a compaction. */
export const seedStoredDoc = (coopId: string, update: Uint8Array): Promise<void> =>
	seedDoc(coopId, update, split);

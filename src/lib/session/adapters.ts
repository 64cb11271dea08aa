import type { SigningKey } from '$lib/crypto/keys';
import type { PersistenceAdapter } from '$lib/storage/persistence-adapter';
import type { RecordVault } from '$lib/storage/record-vault';
import type { NetworkAdapter } from '$lib/sync/network-adapter';

/**
 * What a session is given to open one co-op, as automerge-repo's `Repo` is given its storage and
 * network: where its valid records are kept, where its document is kept, and how it meets its
 * peers. The session builds none of them, so the browser (`src/lib/state/browser-adapters.ts`),
 * the always-on peer (`src/peer/peer-coop.ts`) and the tests (in memory) open a co-op through
 * the same code.
 */
export interface SessionAdapters {
	readonly vault: RecordVault;
	readonly persistence: PersistenceAdapter;
	readonly network: NetworkAdapter;
}

/** The device's signing keys, one per co-op, made on first use. */
export interface DeviceKeys {
	getOrCreate(coopId: string): Promise<SigningKey>;
}

import type { JunkLedger } from '$lib/domain/kernel/junk-ledger';

/** A record verified on this device: its id and its JSON text as it was in the map. */
export interface VaultRecord {
	readonly id: string;
	readonly text: string;
}

/**
 * A record as the vault gives it back: its id and its value, parsed from the text it was given.
 * The value is fresh from `JSON.parse`: nothing else holds it.
 */
export type StoredRecord = readonly [id: string, record: unknown];

/** What a vault holds, as `load` returns it. */
export interface VaultContents {
	readonly records: StoredRecord[];
	/** The junk counted so far (empty for a new vault). */
	readonly junk: JunkLedger;
}

/**
 * The vault adapter: what a session needs to keep a co-op's valid records on the device. The
 * browser keeps them in IndexedDB (`IndexedDbVault`), the always-on peer in a file
 * (`src/peer/file-vault.ts`), tests in memory; one test suite
 * (`tests/unit/storage/vault-adapter-suite.ts`) holds each of them to the same contract.
 */
export interface RecordVault {
	load(): Promise<VaultContents>;
	/**
	 * Keeps valid records. With `durable`, resolves only once they are on disk, safe from the
	 * browser being killed (see `STRICT` in `durable.ts`).
	 */
	putRecords(records: readonly VaultRecord[], durable?: boolean): Promise<void>;
	/** Replaces the junk ledger. */
	putJunk(junk: JunkLedger): Promise<void>;
	close(): Promise<void>;
}

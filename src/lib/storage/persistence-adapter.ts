import type * as Y from 'yjs';

/** A co-op's document kept on the device: loaded from it, and every change written as it happens. */
export interface DocPersistence {
	/** Resolves once what the device had stored is loaded into the document. */
	readonly loaded: Promise<void>;
	/** Whether every change so far is written to disk. */
	readonly saved: boolean;
	/** Calls `listener` whenever `saved` changes; returns a function that stops it. */
	onSavedChange(listener: (saved: boolean) => void): () => void;
	/** Stops writing changes; resolves once what was written is safe. */
	close(): Promise<void>;
}

/**
 * The document persistence adapter: starts keeping `doc` on the device and loads into it what was
 * stored. Changes made to `doc` before or while it loads are kept too. y-indexeddb in the browser
 * (`doc-persistence.ts`), an append-only update log in the always-on peer
 * (`src/peer/update-log.ts`), memory in tests.
 */
export type PersistenceAdapter = (doc: Y.Doc) => DocPersistence;

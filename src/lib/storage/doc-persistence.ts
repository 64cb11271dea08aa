import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/** The IndexedDB database that holds one co-op's document. */
export const docDatabaseName = (coopId: string): string => `ours-coop-${coopId}`;

/** Keeps a co-op's document in IndexedDB: every change is written as it happens. */
export interface DocPersistence {
	/** Resolves once what the device had stored is loaded into the document. */
	readonly loaded: Promise<void>;
	close(): Promise<void>;
}

export function persistDoc(coopId: string, doc: Y.Doc): DocPersistence {
	const persistence = new IndexeddbPersistence(docDatabaseName(coopId), doc);
	return {
		loaded: persistence.whenSynced.then(() => undefined),
		close: () => persistence.destroy()
	};
}

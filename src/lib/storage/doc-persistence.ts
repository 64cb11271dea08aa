import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/** The IndexedDB database that holds one co-op's document. */
export const docDatabaseName = (coopId: string): string => `ours-coop-${coopId}`;

/** Keeps a co-op's document in IndexedDB: every change is written as it happens. */
export interface DocPersistence {
	/** Resolves once what the device had stored is loaded into the document. */
	readonly loaded: Promise<void>;
	/** Whether every change so far is written to disk. */
	readonly saved: boolean;
	/** Calls `listener` whenever `saved` changes; returns a function that stops it. */
	onSavedChange(listener: (saved: boolean) => void): () => void;
	close(): Promise<void>;
}

export function persistDoc(coopId: string, doc: Y.Doc): DocPersistence {
	const persistence = new IndexeddbPersistence(docDatabaseName(coopId), doc);
	const listeners = new Set<(saved: boolean) => void>();
	let pending = 0;
	const notify = () => listeners.forEach((listener) => listener(pending === 0));

	// y-indexeddb writes each change in its own transaction from its own update handler, which
	// runs before this one. A read transaction over the same store, opened after it, completes only
	// once that write is committed: that is when the change is safe from a closed tab.
	const onUpdate = (_update: Uint8Array, origin: unknown) => {
		const db = persistence.db;
		if (origin === persistence || !db) return;
		pending++;
		if (pending === 1) notify();
		const done = () => {
			pending--;
			if (pending === 0) notify();
		};
		const transaction = db.transaction('updates', 'readonly');
		transaction.oncomplete = done;
		transaction.onabort = done;
	};
	doc.on('update', onUpdate);

	return {
		loaded: persistence.whenSynced.then(() => undefined),
		get saved() {
			return pending === 0;
		},
		onSavedChange(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		close: () => {
			doc.off('update', onUpdate);
			listeners.clear();
			return persistence.destroy();
		}
	};
}

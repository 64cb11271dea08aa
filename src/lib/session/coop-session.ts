import * as Y from 'yjs';
import type { CoopEntry } from '$lib/storage/device-store';
import { persistDoc, type DocPersistence } from '$lib/storage/doc-persistence';
import type { SyncConfig } from '$lib/sync/config';
import { PeerSync } from '$lib/sync/peer-sync';

/**
 * One open co-op: its shared document, kept in IndexedDB and synced with peers. Everything the UI
 * shows of a co-op comes from here; closing it releases the storage and the sync room.
 */
export class CoopSession {
	readonly coop: CoopEntry;
	readonly doc: Y.Doc;
	/** The co-op's meeting notes: low-stakes shared text, co-edited and unsigned. */
	readonly notes: Y.Text;
	readonly sync: PeerSync;
	/** Whether every change is written to this device's storage. */
	readonly persistence: DocPersistence;

	private constructor(coop: CoopEntry, config: SyncConfig) {
		this.coop = coop;
		this.doc = new Y.Doc();
		this.notes = this.doc.getText('notes');
		this.persistence = persistDoc(coop.id, this.doc);
		this.sync = new PeerSync(coop.id, coop.roomKey, this.doc, config);
	}

	/** Opens a co-op; resolves once what this device had stored is loaded. */
	static async open(coop: CoopEntry, config: SyncConfig): Promise<CoopSession> {
		const session = new CoopSession(coop, config);
		await session.persistence.loaded;
		return session;
	}

	async close(): Promise<void> {
		await this.sync.destroy();
		await this.persistence.close();
		this.doc.destroy();
	}
}

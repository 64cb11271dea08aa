import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import * as Y from 'yjs';
import { PRIVATE_FILE, writeFileAtomic } from './files';

/** Origin of the updates read back from disk: they need not be written again. */
export const LOAD_ORIGIN = Symbol('ours/peer-load');

const HEADER = 4;

/** A length-prefixed frame (4 bytes, little-endian) holding one Yjs update. */
function frame(update: Uint8Array): Uint8Array {
	const bytes = new Uint8Array(HEADER + update.length);
	new DataView(bytes.buffer).setUint32(0, update.length, true);
	bytes.set(update, HEADER);
	return bytes;
}

/** The updates of a log; a frame cut short (the machine lost power mid-write) ends it. */
function readFrames(bytes: Uint8Array): Uint8Array[] {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const updates: Uint8Array[] = [];
	let offset = 0;
	while (offset + HEADER <= bytes.length) {
		const length = view.getUint32(offset, true);
		if (offset + HEADER + length > bytes.length) break;
		updates.push(bytes.subarray(offset + HEADER, offset + HEADER + length));
		offset += HEADER + length;
	}
	return updates;
}

/**
 * A co-op's document on disk: every update, local or from peers, appended to one file as it
 * happens. On open, the file is read back into the document, then replaced by the document's
 * whole state as a single update, so the file does not grow forever across restarts. Appends are
 * synchronous: updates land on disk in the order the document saw them.
 */
export class UpdateLog {
	readonly #doc: Y.Doc;
	readonly #fd: number;
	readonly #onUpdate = (update: Uint8Array, origin: unknown): void => {
		if (origin !== LOAD_ORIGIN) writeSync(this.#fd, frame(update));
	};

	private constructor(doc: Y.Doc, fd: number) {
		this.#doc = doc;
		this.#fd = fd;
		doc.on('update', this.#onUpdate);
	}

	/** Loads the log into `doc`, compacts it, and keeps appending the document's updates to it. */
	static async open(path: string, doc: Y.Doc): Promise<{ log: UpdateLog; updates: number }> {
		let bytes: Uint8Array;
		try {
			bytes = readFileSync(path);
		} catch {
			bytes = new Uint8Array();
		}
		const updates = readFrames(bytes);
		Y.transact(
			doc,
			() => {
				for (const update of updates) Y.applyUpdate(doc, update, LOAD_ORIGIN);
			},
			LOAD_ORIGIN
		);
		await writeFileAtomic(path, frame(Y.encodeStateAsUpdate(doc)));
		return { log: new UpdateLog(doc, openSync(path, 'a', PRIVATE_FILE)), updates: updates.length };
	}

	close(): void {
		this.#doc.off('update', this.#onUpdate);
		fsyncSync(this.#fd);
		closeSync(this.#fd);
	}
}

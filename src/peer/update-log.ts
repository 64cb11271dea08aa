import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as Y from 'yjs';
import type { DocPersistence } from '$lib/storage/persistence-adapter';
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

async function readLog(path: string): Promise<Uint8Array> {
	try {
		return await readFile(path);
	} catch {
		// No log yet: a co-op just joined.
		return new Uint8Array();
	}
}

const nothing = () => {};

/**
 * The peer's document persistence adapter (see `src/lib/storage/persistence-adapter.ts`): every
 * update, local or from peers, appended to one file as it happens. Loading reads the file back
 * into the document, then replaces it by the document's whole state as a single update, so the
 * file does not grow forever across restarts. Appends are synchronous: updates land in the file
 * in the order the document saw them, and are flushed to disk (fsync) when the log closes.
 */
export class UpdateLog implements DocPersistence {
	readonly loaded: Promise<void>;
	/** Every change is in the file once the document has seen it (and on disk once closed). */
	readonly saved = true;
	readonly #doc: Y.Doc;
	/** Open once the log is compacted; updates seen before that wait in `#waiting`. */
	#fd: number | null = null;
	#waiting: Uint8Array[] = [];
	#updates = 0;
	readonly #onUpdate = (update: Uint8Array, origin: unknown): void => {
		if (origin === LOAD_ORIGIN) return;
		if (this.#fd === null) this.#waiting.push(update);
		else writeSync(this.#fd, frame(update));
	};

	constructor(path: string, doc: Y.Doc) {
		this.#doc = doc;
		this.loaded = this.#load(path);
	}

	/** How many updates the log held when it was loaded. */
	get updates(): number {
		return this.#updates;
	}

	onSavedChange(): () => void {
		return nothing;
	}

	async close(): Promise<void> {
		await this.loaded.catch(nothing);
		this.#doc.off('update', this.#onUpdate);
		if (this.#fd === null) return;
		fsyncSync(this.#fd);
		closeSync(this.#fd);
		this.#fd = null;
	}

	async #load(path: string): Promise<void> {
		const updates = readFrames(await readLog(path));
		this.#updates = updates.length;
		Y.transact(
			this.#doc,
			() => {
				for (const update of updates) Y.applyUpdate(this.#doc, update, LOAD_ORIGIN);
			},
			LOAD_ORIGIN
		);
		// The state written below holds every change made so far, loaded or not; anything later
		// is heard from here on, in the same step, so nothing falls in between.
		const state = Y.encodeStateAsUpdate(this.#doc);
		this.#doc.on('update', this.#onUpdate);
		await writeFileAtomic(path, frame(state));
		const fd = openSync(path, 'a', PRIVATE_FILE);
		for (const update of this.#waiting) writeSync(fd, frame(update));
		this.#waiting = [];
		this.#fd = fd;
	}
}

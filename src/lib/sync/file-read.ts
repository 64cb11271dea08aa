import * as Y from 'yjs';
import {
	decodeSyncFile,
	type SyncFileError,
	type SyncFileHeader,
	type SyncFileKind
} from './file-sync';

/** What a file is checked against: the kinds wanted here, and the co-op if one is open. */
export interface SyncFileExpected {
	readonly kinds: readonly SyncFileKind[];
	readonly coopId?: string;
}

/** `unreadable`: Yjs itself refused the update (it passed the cheap checks). */
export type SyncFileReadError = SyncFileError | 'unreadable';

/**
 * A file read and verified. For an update or a backup, `payload` is what the file brings that
 * the reader's state vector lacks, encoded again by Yjs from a document that read the whole file:
 * bounded (it is at most what the file held) and known to apply.
 */
export type SyncFileRead =
	| {
			readonly ok: true;
			readonly header: SyncFileHeader;
			readonly payload: Uint8Array<ArrayBuffer>;
	  }
	| { readonly ok: false; readonly error: SyncFileReadError };

/** The state vector of an empty document: ask for everything. */
export const EVERYTHING = new Uint8Array([0]);

/**
 * Reads a sync file all the way: the container's checks, the work bounds, then Yjs reading the
 * update into a scratch document. This is the slow part, meant for a worker (see
 * `file-read-client.ts`) or a process that may take its time (the Node peer). Never throws.
 */
export async function readSyncFile(
	file: Uint8Array,
	expected: SyncFileExpected,
	stateVector: Uint8Array
): Promise<SyncFileRead> {
	const result = await decodeSyncFile(file, expected);
	if (!result.ok) return result;
	const { header, payload } = result;
	if (header.kind === 'state-vector') return { ok: true, header, payload: copy(payload) };
	// No garbage collection: the reader gets the file's changes exactly as written. Changes that
	// depend on something the scratch document lacks stay pending there, and Yjs encodes pending
	// changes too, so nothing the reader could use is lost.
	const scratch = new Y.Doc({ gc: false });
	try {
		Y.applyUpdate(scratch, payload);
		return { ok: true, header, payload: copy(Y.encodeStateAsUpdate(scratch, stateVector)) };
	} catch {
		return { ok: false, error: 'unreadable' };
	} finally {
		scratch.destroy();
	}
}

/** A copy in a buffer of its own, so it can be transferred from a worker. */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	return new Uint8Array(bytes);
}

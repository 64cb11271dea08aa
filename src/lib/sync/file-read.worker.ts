import { readSyncFile, type SyncFileExpected } from './file-read';

/**
 * Reads one sync file off the page's thread (see `file-read-client.ts`): the page stays
 * responsive however long Yjs takes, and the page can end this worker when it takes too long.
 */

export interface FileReadRequest {
	readonly file: Uint8Array;
	readonly expected: SyncFileExpected;
	readonly stateVector: Uint8Array;
}

self.onmessage = async (event: MessageEvent<FileReadRequest>) => {
	const { file, expected, stateVector } = event.data;
	const result = await readSyncFile(file, expected, stateVector);
	self.postMessage(result, { transfer: result.ok ? [result.payload.buffer] : [] });
};

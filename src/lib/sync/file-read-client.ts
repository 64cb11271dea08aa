import type { SyncFileExpected, SyncFileRead } from './file-read';
import type { FileReadRequest } from './file-read.worker';

/**
 * How long a worker may take to read a file before it is ended and the file refused. An honest
 * co-op of 100,000 records reads in about 3 s on a desktop (10 s with the machine's cores busy);
 * a slow phone may take five times that, and refusing an honest file leaves a member no way to
 * sync. Past this, the file is crafted to be slow to integrate (the work bounds in
 * `update-bounds.ts` cap what Yjs builds, not its conflict resolution), or the device too slow to
 * use it. The page then applies what the worker returned, which takes it about as long as the
 * worker took: this limit also bounds how long a crafted file can keep the page busy.
 */
export const READ_TIME_LIMIT_MS = 60_000;

/**
 * Reads a sync file in a Web Worker (`readSyncFile`), ended after `timeLimitMs`. `file`'s buffer
 * is moved to the worker (detached here): the page needs none of it afterwards, and copying
 * hundreds of megabytes would hold the page up. Never rejects.
 */
export function readSyncFileInWorker(
	file: Uint8Array<ArrayBuffer>,
	expected: SyncFileExpected,
	stateVector: Uint8Array,
	timeLimitMs = READ_TIME_LIMIT_MS
): Promise<SyncFileRead> {
	return new Promise((resolve) => {
		let worker: Worker;
		try {
			worker = new Worker(new URL('./file-read.worker.ts', import.meta.url), { type: 'module' });
		} catch (error) {
			console.warn('The file reader could not start', error);
			resolve({ ok: false, error: 'unreadable' });
			return;
		}
		const done = (result: SyncFileRead) => {
			clearTimeout(timer);
			worker.terminate();
			resolve(result);
		};
		const timer = setTimeout(() => done({ ok: false, error: 'too-much-work' }), timeLimitMs);
		worker.onmessage = (event: MessageEvent<SyncFileRead>) => done(event.data);
		// A worker that fails (out of memory, say) refuses the file; the page is unharmed.
		worker.onerror = (event) => {
			event.preventDefault();
			console.warn('The file reader failed', event.message);
			done({ ok: false, error: 'unreadable' });
		};
		worker.onmessageerror = () => done({ ok: false, error: 'unreadable' });
		const request: FileReadRequest = { file, expected, stateVector };
		const whole = file.byteOffset === 0 && file.byteLength === file.buffer.byteLength;
		worker.postMessage(request, { transfer: whole ? [file.buffer] : [] });
	});
}

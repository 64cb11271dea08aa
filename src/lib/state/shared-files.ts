// What another app hands Ours: a `.ours` file shared to it (the manifest's share target, kept by
// the service worker until the page takes it) or opened with it (the manifest's file handler,
// delivered by the browser's launch queue), and the hand-over of such a file to a co-op's sync page.
import { MAX_FILE_BYTES } from '$lib/sync/file-limits';
import { SHARE_PATH, SHARED_FILES_CACHE } from '$lib/util/shared-link';

/** The File Handling API's launch queue (Chromium), not yet in TypeScript's DOM types. */
interface LaunchParams {
	readonly targetURL?: string;
	readonly files: readonly FileSystemHandle[];
}
interface LaunchQueue {
	setConsumer(consumer: (params: LaunchParams) => void): void;
}

/** A file read for the app, or why it could not be. */
export type ReceivedFile =
	{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; error: 'too-large' };

async function readBlob(blob: Blob): Promise<ReceivedFile> {
	// Refused before it is read into memory, like a file picked on the sync page.
	if (blob.size > MAX_FILE_BYTES) return { ok: false, error: 'too-large' };
	return { ok: true, bytes: new Uint8Array(await blob.arrayBuffer()) };
}

/**
 * Takes the file the service worker kept under `key` (from the share target's redirect): read once,
 * then deleted. Null when there is no such file (a reload after it was taken, a made-up key).
 */
export async function takeSharedFile(key: string): Promise<ReceivedFile | null> {
	if (!key.startsWith(`${SHARE_PATH}/files/`) || !('caches' in window)) return null;
	const cache = await caches.open(SHARED_FILES_CACHE);
	const response = await cache.match(key);
	if (!response) return null;
	const file = await readBlob(await response.blob());
	await cache.delete(key);
	return file;
}

/**
 * Calls `receive` with each file the app is launched to open (the manifest's `file_handlers`),
 * where the browser supports it. The browser keeps the launch until a consumer is set.
 */
export function onLaunchedFiles(receive: (file: ReceivedFile) => void): void {
	const queue = (window as { launchQueue?: LaunchQueue }).launchQueue;
	queue?.setConsumer((params) => {
		for (const handle of params.files) {
			if (handle.kind !== 'file') continue;
			void (handle as FileSystemFileHandle).getFile().then(readBlob).then(receive);
		}
	});
}

/** Files received for a co-op, waiting for its sync page to merge them. */
const handed = new Map<string, Uint8Array<ArrayBuffer>>();

/** Leaves a received sync file for the sync page of `coopId`, which merges it as if picked there. */
export function handOver(coopId: string, bytes: Uint8Array<ArrayBuffer>): void {
	handed.set(coopId, bytes);
}

/** The file received for `coopId`, once. */
export function takeHandedFile(coopId: string): Uint8Array<ArrayBuffer> | null {
	const bytes = handed.get(coopId) ?? null;
	handed.delete(coopId);
	return bytes;
}

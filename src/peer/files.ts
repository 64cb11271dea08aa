import { mkdir, open, rename } from 'node:fs/promises';

/** Only the owner may read what the peer keeps: room keys, the device key and the co-op itself. */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

export async function makePrivateDir(path: string): Promise<void> {
	await mkdir(path, { recursive: true, mode: PRIVATE_DIR });
}

/**
 * Replaces a file all at once: written beside it, flushed, then renamed over it, so a power cut
 * (a Raspberry Pi unplugged) leaves the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
	const temporary = `${path}.tmp`;
	const handle = await open(temporary, 'w', PRIVATE_FILE);
	try {
		await handle.writeFile(data);
		await handle.sync();
	} finally {
		await handle.close();
	}
	await rename(temporary, path);
}

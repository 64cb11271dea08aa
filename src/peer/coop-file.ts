import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './files';

/**
 * What the peer keeps about a co-op besides its document: `coop.json` in the co-op's folder.
 * It holds the room key (read by the owner only), and the invite secret until the join is
 * counted, then forgets it.
 */
export interface CoopFile {
	readonly coopId: string;
	readonly roomKey: string;
	readonly name: string;
	readonly relays: readonly string[];
	readonly pending?: { readonly secret: string; readonly displayName: string };
}

export const COOP_FILE = 'coop.json';

export async function readCoopFile(dir: string): Promise<CoopFile | undefined> {
	let text: string;
	try {
		text = await readFile(join(dir, COOP_FILE), 'utf8');
	} catch {
		return undefined;
	}
	const value = JSON.parse(text) as Partial<CoopFile>;
	if (typeof value.coopId !== 'string' || typeof value.roomKey !== 'string') {
		throw new Error(`${join(dir, COOP_FILE)} is not a co-op file`);
	}
	return {
		coopId: value.coopId,
		roomKey: value.roomKey,
		name: typeof value.name === 'string' ? value.name : '',
		relays: Array.isArray(value.relays)
			? value.relays.filter((url) => typeof url === 'string')
			: [],
		...pendingOf(value.pending)
	};
}

/** The invite kept until the join is counted; anything else in its place is dropped. */
function pendingOf(pending: unknown): Pick<CoopFile, 'pending'> {
	if (typeof pending !== 'object' || pending === null) return {};
	const { secret, displayName } = pending as Record<string, unknown>;
	if (typeof secret !== 'string' || typeof displayName !== 'string') return {};
	return { pending: { secret, displayName } };
}

export async function writeCoopFile(dir: string, coop: CoopFile): Promise<void> {
	await writeFileAtomic(join(dir, COOP_FILE), `${JSON.stringify(coop, null, '\t')}\n`);
}

/** The co-ops stored under the data folder: each subfolder with a co-op file. */
export async function storedCoops(dataDir: string): Promise<string[]> {
	let entries;
	try {
		entries = await readdir(dataDir, { withFileTypes: true });
	} catch {
		return [];
	}
	const found: string[] = [];
	for (const entry of entries) {
		if (!entry.isDirectory()) continue;
		const coop = await readCoopFile(join(dataDir, entry.name));
		if (coop !== undefined) found.push(coop.coopId);
	}
	return found.sort();
}

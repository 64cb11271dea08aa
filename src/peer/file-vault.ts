import { appendFile, readFile } from 'node:fs/promises';
import { EMPTY_LEDGER, readLedger, type JunkLedger } from '$lib/domain/kernel/junk-ledger';
import type {
	RecordVault,
	StoredRecord,
	VaultContents,
	VaultRecord
} from '$lib/storage/record-vault';
import { writeFileAtomic } from './files';

type Line = { readonly record: VaultRecord } | { readonly junk: JunkLedger };

/**
 * The vault (see `src/lib/storage/vault.ts`) as a file of JSON lines, one record each, or the
 * junk ledger; appended as they are judged and rewritten on open without duplicates and with
 * the latest ledger only (lines of older versions, one per rejected entry, are dropped then).
 * Like the browser's vault, it lets the peer put back records that someone deletes from the
 * shared map, even across restarts, and spares it checking every signature again on start.
 */
export class FileVault implements RecordVault {
	readonly #path: string;
	#writes: Promise<void> = Promise.resolve();

	constructor(path: string) {
		this.#path = path;
	}

	async load(): Promise<VaultContents> {
		let text = '';
		try {
			text = await readFile(this.#path, 'utf8');
		} catch {
			// No vault yet: the document's records are all verified on open.
		}
		const records = new Map<string, VaultRecord>();
		let junk = EMPTY_LEDGER;
		for (const line of text.split('\n')) {
			const entry = parseLine(line);
			if (entry === undefined) continue;
			if ('record' in entry) records.set(entry.record.id, entry.record);
			else junk = entry.junk;
		}
		const kept = [...records.values()];
		const lines: Line[] = kept.map((record) => ({ record }));
		if (junk.total > 0) lines.push({ junk });
		await writeFileAtomic(this.#path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
		return { records: kept.flatMap(parseRecord), junk };
	}

	putRecords(records: readonly VaultRecord[]): Promise<void> {
		return this.#append(records.map((record) => ({ record })));
	}

	putJunk(junk: JunkLedger): Promise<void> {
		return this.#append([{ junk }]);
	}

	async close(): Promise<void> {
		// A failed write was already reported to the session, which stopped trusting the vault.
		await this.#writes.catch(() => undefined);
	}

	/** Appends one after another, so lines never interleave. */
	#append(lines: readonly Line[]): Promise<void> {
		if (lines.length === 0) return this.#writes;
		const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
		this.#writes = this.#writes.then(() => appendFile(this.#path, text, { mode: 0o600 }));
		return this.#writes;
	}
}

/** A kept record's value; one whose text does not parse is verified again from the map. */
function parseRecord({ id, text }: VaultRecord): StoredRecord[] {
	try {
		return [[id, JSON.parse(text)]];
	} catch {
		return [];
	}
}

/** A line cut short by a power cut, or edited by hand into nonsense, is skipped. */
function parseLine(line: string): Line | undefined {
	if (line.trim() === '') return undefined;
	try {
		const value = JSON.parse(line) as Partial<{ record: VaultRecord; junk: unknown }>;
		if (typeof value.record?.id === 'string' && typeof value.record.text === 'string') {
			return { record: value.record };
		}
		if (typeof value.junk === 'object' && value.junk !== null) {
			return { junk: readLedger(value.junk) };
		}
	} catch {
		// Skipped below.
	}
	return undefined;
}

import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { addJunk, EMPTY_LEDGER, JUNK_SAMPLE } from '$lib/domain/kernel/junk-ledger';
import type { Rejection } from '$lib/domain/kernel/reasons';
import {
	CHUNK_CHARS,
	CHUNK_RECORDS,
	chunksOf,
	IndexedDbVault,
	MERGE_ABOVE_CHUNKS,
	VAULT_VERSION,
	vaultDatabaseName
} from '$lib/storage/vault';
import type { VaultRecord } from '$lib/storage/record-vault';
import { vaultAdapterSuite } from './vault-adapter-suite';

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});

vaultAdapterSuite('The IndexedDB vault', { open: () => new IndexedDbVault('suite') });

const rejection: Rejection = {
	id: 'junk',
	reason: 'hash-mismatch',
	type: 'member.profile',
	author: null,
	at: null,
	detail: null
};

/** `count` records with distinct ids and texts, in the shape the session keeps. */
function someRecords(count: number, from = 0): VaultRecord[] {
	return Array.from({ length: count }, (_, index) => ({
		id: `r${from + index}`,
		text: JSON.stringify({ n: from + index, name: `Ünïcode "quoted" \\ ${from + index}` })
	}));
}

/** The records as `load` returns them: id and parsed value. */
const parsed = (records: readonly VaultRecord[]) =>
	records.map(({ id, text }) => [id, JSON.parse(text) as unknown]);

async function rowsOf(coopId: string, store: 'chunks' | 'junk'): Promise<unknown[]> {
	const db = await openDB(vaultDatabaseName(coopId));
	try {
		return (await db.getAll(store)) as unknown[];
	} finally {
		db.close();
	}
}

/** A vault as version 1 of the app left it: one row per record in `records`. */
async function versionOneVault(
	coopId: string,
	rows: readonly unknown[],
	rejections: readonly unknown[] = []
) {
	const db = await openDB(vaultDatabaseName(coopId), 1, {
		upgrade(db) {
			db.createObjectStore('records', { keyPath: 'id' });
			db.createObjectStore('rejected', { keyPath: 'id' });
		}
	});
	const transaction = db.transaction(['records', 'rejected'], 'readwrite');
	for (const row of rows) void transaction.objectStore('records').put(row);
	for (const row of rejections) void transaction.objectStore('rejected').put(row);
	await transaction.done;
	db.close();
}

describe('record vault', () => {
	it('keeps one vault per co-op', async () => {
		const vault = new IndexedDbVault('coop-a');
		await vault.putRecords([{ id: 'r1', text: '{"v":1}' }]);
		await vault.close();

		const other = new IndexedDbVault('coop-b');
		expect(await other.load()).toEqual({ records: [], junk: EMPTY_LEDGER });
		await other.close();
	});

	it('keeps one ledger row, whatever the junk counted', async () => {
		const vault = new IndexedDbVault('coop-c');
		let ledger = EMPTY_LEDGER;
		for (let round = 0; round < 10; round++) {
			const items = Array.from({ length: 10_000 }, (_, index) => ({
				rejection: { ...rejection, id: `junk-${round}-${index}` },
				signer: null
			}));
			ledger = addJunk(ledger, items);
			await vault.putJunk(ledger);
		}
		const rows = await rowsOf('coop-c', 'junk');
		expect(rows).toHaveLength(1);
		const { junk } = await vault.load();
		expect(junk.total).toBe(100_000);
		expect(junk.unattributed).toBe(100_000);
		expect(junk.recent).toHaveLength(JUNK_SAMPLE);
		expect(junk.recent[0]!.id).toBe('junk-9-9999');
		expect(JSON.stringify(rows[0]).length).toBeLessThan(30_000);
		await vault.close();
	});

	it('keeps records in rows of at most CHUNK_RECORDS records', async () => {
		const kept = someRecords(2 * CHUNK_RECORDS + 500);
		const vault = new IndexedDbVault('coop-d');
		await vault.putRecords(kept);
		await vault.close();
		const rows = (await rowsOf('coop-d', 'chunks')) as { count: number }[];
		expect(rows.map((row) => row.count)).toEqual([CHUNK_RECORDS, CHUNK_RECORDS, 500]);

		const reopened = new IndexedDbVault('coop-d');
		expect((await reopened.load()).records).toEqual(parsed(kept));
		await reopened.close();
	});

	it('closes a chunk early when its text grows past CHUNK_CHARS', () => {
		const large = Array.from({ length: 10 }, (_, index) => ({
			id: `big${index}`,
			text: JSON.stringify({ text: 'x'.repeat(CHUNK_CHARS / 4) })
		}));
		const chunks = chunksOf(large);
		expect(chunks.map((chunk) => chunk.count)).toEqual([3, 3, 3, 1]);
		for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_CHARS);
		const pairs = chunks.flatMap((chunk) => JSON.parse(chunk.text) as unknown[]);
		expect(pairs).toEqual(parsed(large));
	});

	it('merges small rows on load once there are many, losing none', async () => {
		const writes = MERGE_ABOVE_CHUNKS + 8;
		const vault = new IndexedDbVault('coop-e');
		const kept: VaultRecord[] = [];
		for (let write = 0; write < writes; write++) {
			const records = someRecords(2, write * 2);
			kept.push(...records);
			await vault.putRecords(records);
		}
		await vault.close();
		expect(await rowsOf('coop-e', 'chunks')).toHaveLength(writes);

		const merging = new IndexedDbVault('coop-e');
		expect((await merging.load()).records).toEqual(parsed(kept));
		await merging.close();
		// Merged 16 rows at a time, a task each: 40 rows of 2 make rows of 32, 32 and 16.
		const rows = (await rowsOf('coop-e', 'chunks')) as { count: number }[];
		expect(writes).toBe(40);
		expect(rows.map((row) => row.count).sort((a, b) => b - a)).toEqual([32, 32, 16]);

		const reopened = new IndexedDbVault('coop-e');
		const records = (await reopened.load()).records;
		expect(new Map(records)).toEqual(new Map(parsed(kept) as [string, unknown][]));
		await reopened.close();
	});

	it('skips a damaged row and still reads the others', async () => {
		const vault = new IndexedDbVault('coop-f');
		await vault.putRecords([{ id: 'r1', text: '{"v":1}' }]);
		await vault.close();
		const db = await openDB(vaultDatabaseName('coop-f'));
		await db.add('chunks', { count: 1, text: '[["r2",{"v":' });
		db.close();
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

		const reopened = new IndexedDbVault('coop-f');
		expect((await reopened.load()).records).toEqual([['r1', { v: 1 }]]);
		expect(warn).toHaveBeenCalledOnce();
		warn.mockRestore();
		await reopened.close();
	});

	it('lets a newer version of the app upgrade the vault while this one has it open', async () => {
		const vault = new IndexedDbVault('coop-m');
		await vault.load();
		const newer = await openDB(vaultDatabaseName('coop-m'), VAULT_VERSION + 1);
		expect(newer.version).toBe(VAULT_VERSION + 1);
		newer.close();
		await expect(vault.putRecords([{ id: 'r1', text: '{"v":1}' }])).rejects.toThrow();
	});

	it('upgrades version 2: keeps the chunks, drops the row per rejected entry', async () => {
		const db = await openDB(vaultDatabaseName('coop-v2'), 2, {
			upgrade(db) {
				db.createObjectStore('rejected', { keyPath: 'id' });
				db.createObjectStore('chunks', { autoIncrement: true });
			}
		});
		const transaction = db.transaction(['chunks', 'rejected'], 'readwrite');
		for (const chunk of chunksOf(someRecords(10)))
			void transaction.objectStore('chunks').add(chunk);
		for (let index = 0; index < 5000; index++) {
			const row = {
				id: `junk-${index}`,
				text: '{}',
				rejection: { ...rejection, id: `junk-${index}` }
			};
			void transaction.objectStore('rejected').put(row);
		}
		await transaction.done;
		db.close();

		const vault = new IndexedDbVault('coop-v2');
		const { records, junk } = await vault.load();
		expect(records).toEqual(parsed(someRecords(10)));
		expect(junk).toEqual(EMPTY_LEDGER);
		await vault.close();
		const upgraded = await openDB(vaultDatabaseName('coop-v2'));
		expect(upgraded.version).toBe(VAULT_VERSION);
		expect([...upgraded.objectStoreNames].sort()).toEqual(['chunks', 'junk']);
		upgraded.close();
	});

	describe('upgrade from version 1 (one row per record)', () => {
		it('moves every record into chunks, and drops the rows of rejections', async () => {
			const rows = someRecords(CHUNK_RECORDS + 234);
			const junk = { id: 'junk', text: '{"x":1}', rejection };
			await versionOneVault('coop-g', rows, [junk]);

			const vault = new IndexedDbVault('coop-g');
			const { records, junk: ledger } = await vault.load();
			// Version 1 returned rows in id order; every one of them is here, unchanged.
			const byId = (a: VaultRecord, b: VaultRecord) => (a.id < b.id ? -1 : 1);
			expect(records).toEqual(parsed([...rows].sort(byId)));
			expect(ledger).toEqual(EMPTY_LEDGER);
			await vault.close();

			const db = await openDB(vaultDatabaseName('coop-g'));
			expect(db.version).toBe(VAULT_VERSION);
			expect([...db.objectStoreNames].sort()).toEqual(['chunks', 'junk']);
			const chunks = (await db.getAll('chunks')) as { count: number }[];
			expect(chunks.map((chunk) => chunk.count)).toEqual([CHUNK_RECORDS, 234]);
			db.close();
		});

		it('upgrades an empty vault, and one whose records fill no chunk', async () => {
			await versionOneVault('coop-h', []);
			const empty = new IndexedDbVault('coop-h');
			expect(await empty.load()).toEqual({ records: [], junk: EMPTY_LEDGER });
			await empty.close();

			await versionOneVault('coop-i', [{ id: 'r1', text: '{"v":1}' }]);
			const one = new IndexedDbVault('coop-i');
			expect((await one.load()).records).toEqual([['r1', { v: 1 }]]);
			await one.close();
		});

		it('drops only rows version 1 could not have read either', async () => {
			await versionOneVault('coop-j', [
				{ id: 'r1', text: '{"v":1}' },
				{ id: 'r2', text: '{"v":' },
				{ id: 'r3', text: 42 },
				{ id: 'r4', text: '{"v":4}' }
			]);
			const vault = new IndexedDbVault('coop-j');
			expect((await vault.load()).records).toEqual([
				['r1', { v: 1 }],
				['r4', { v: 4 }]
			]);
			await vault.close();
		});

		it('leaves version 1 whole when the upgrade fails, and upgrades next time', async () => {
			const rows = someRecords(1500);
			await versionOneVault('coop-l', rows);
			const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
				throw new DOMException('Disk full', 'QuotaExceededError');
			});
			const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
			const failing = new IndexedDbVault('coop-l');
			await expect(failing.load()).rejects.toThrow();
			add.mockRestore();
			warn.mockRestore();

			const db = await openDB(vaultDatabaseName('coop-l'));
			expect(db.version).toBe(1);
			expect(await db.count('records')).toBe(1500);
			db.close();

			const vault = new IndexedDbVault('coop-l');
			expect((await vault.load()).records).toHaveLength(1500);
			await vault.close();
		});

		it('keeps writing and reading after the upgrade', async () => {
			await versionOneVault('coop-k', [{ id: 'r1', text: '{"v":1}' }]);
			const vault = new IndexedDbVault('coop-k');
			await vault.putRecords([{ id: 'r2', text: '{"v":2}' }]);
			await vault.close();
			const reopened = new IndexedDbVault('coop-k');
			expect((await reopened.load()).records).toEqual([
				['r1', { v: 1 }],
				['r2', { v: 2 }]
			]);
			await reopened.close();
		});
	});
});

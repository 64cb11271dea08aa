import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Rejection } from '$lib/domain/reasons';
import { IndexedDbVault } from '$lib/storage/vault';

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});

const rejection: Rejection = {
	id: 'junk',
	reason: 'hash-mismatch',
	type: 'member.profile',
	author: null,
	at: null,
	detail: null
};

describe('record vault', () => {
	it('keeps records and rejections across reopening, one vault per co-op', async () => {
		const vault = new IndexedDbVault('coop-a');
		await vault.putRecords([
			{ id: 'r1', text: '{"v":1}' },
			{ id: 'r2', text: '{"v":2}' }
		]);
		await vault.putRejections([{ id: 'junk', text: '{"x":1}', rejection }]);
		await vault.close();

		const reopened = new IndexedDbVault('coop-a');
		const { records, rejections } = await reopened.load();
		expect(records).toEqual([
			{ id: 'r1', text: '{"v":1}' },
			{ id: 'r2', text: '{"v":2}' }
		]);
		expect(rejections).toEqual([{ id: 'junk', text: '{"x":1}', rejection }]);
		await reopened.close();

		const other = new IndexedDbVault('coop-b');
		expect(await other.load()).toEqual({ records: [], rejections: [] });
		await other.close();
	});

	it('forgets a cached rejection once a valid record is kept under its id', async () => {
		const vault = new IndexedDbVault('coop-c');
		await vault.putRejections([{ id: 'junk', text: '{"x":1}', rejection }]);
		await vault.putRecords([{ id: 'junk', text: '{"v":1}' }]);
		const { records, rejections } = await vault.load();
		expect(records).toHaveLength(1);
		expect(rejections).toEqual([]);
		await vault.close();
	});
});

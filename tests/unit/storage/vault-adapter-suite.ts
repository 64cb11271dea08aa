import { describe, expect, it } from 'vitest';
import { addJunk, EMPTY_LEDGER, type JunkLedger } from '$lib/domain/kernel/junk-ledger';
import type { Rejection } from '$lib/domain/kernel/reasons';
import type { RecordVault, VaultContents, VaultRecord } from '$lib/storage/record-vault';

/**
 * The contract every vault adapter keeps (see `src/lib/storage/record-vault.ts`), registered once
 * per adapter as automerge-repo does for its storage adapters. `open` gives a vault over the same
 * storage each time it is called within a test (reopening it); each test starts from empty storage.
 */
export interface VaultAdapterUnderTest {
	open(): RecordVault;
}

const rejection = (id: string): Rejection => ({
	id,
	reason: 'hash-mismatch',
	type: 'member.profile',
	author: null,
	at: null,
	detail: null
});

/** A ledger that counted `count` junk entries, unsigned. */
const ledgerOf = (count: number): JunkLedger =>
	addJunk(
		EMPTY_LEDGER,
		Array.from({ length: count }, (_, index) => ({
			rejection: rejection(`junk-${index}`),
			signer: null
		}))
	);

/** `count` records with distinct ids and texts that JSON must escape. */
function someRecords(count: number, from = 0): VaultRecord[] {
	return Array.from({ length: count }, (_, index) => ({
		id: `r${from + index}`,
		text: JSON.stringify({ n: from + index, name: `Ünïcode "quoted" \\ ${from + index}\n` })
	}));
}

/** The records as id -> value: an adapter may give one record back more than once. */
const byId = (contents: VaultContents) => new Map(contents.records);

const expected = (records: readonly VaultRecord[]) =>
	new Map(records.map(({ id, text }) => [id, JSON.parse(text) as unknown]));

async function reopened(adapter: VaultAdapterUnderTest): Promise<VaultContents> {
	const vault = adapter.open();
	try {
		return await vault.load();
	} finally {
		await vault.close();
	}
}

export function vaultAdapterSuite(name: string, adapter: VaultAdapterUnderTest): void {
	describe(`${name}, as a vault adapter`, () => {
		it('starts empty', async () => {
			expect(await reopened(adapter)).toEqual({ records: [], junk: EMPTY_LEDGER });
		});

		it('gives back, once reopened, the records and the latest junk ledger it kept', async () => {
			const vault = adapter.open();
			await vault.load();
			const records = someRecords(3);
			await vault.putRecords(records);
			await vault.putJunk(ledgerOf(1));
			await vault.putJunk(ledgerOf(2));
			await vault.close();

			const contents = await reopened(adapter);
			expect(byId(contents)).toEqual(expected(records));
			expect(contents.junk).toEqual(ledgerOf(2));
		});

		it('gives back values nothing else holds', async () => {
			const vault = adapter.open();
			await vault.putRecords(someRecords(1));
			await vault.close();
			const first = await reopened(adapter);
			(first.records[0]![1] as { n: number }).n = 99;
			expect(byId(await reopened(adapter))).toEqual(expected(someRecords(1)));
		});

		it('gives a record kept twice back as the same record', async () => {
			const vault = adapter.open();
			await vault.putRecords(someRecords(2));
			await vault.putRecords(someRecords(2, 1));
			await vault.close();
			expect(byId(await reopened(adapter))).toEqual(expected(someRecords(3)));
		});

		it('keeps every write still in flight when it is closed', async () => {
			// The session does not wait for the vault's writes (see signed-records.ts).
			const vault = adapter.open();
			await vault.load();
			const writes = [
				vault.putRecords(someRecords(10)),
				vault.putRecords(someRecords(10, 10)),
				vault.putJunk(ledgerOf(1))
			];
			await vault.close();
			await Promise.all(writes);
			const contents = await reopened(adapter);
			expect(byId(contents)).toEqual(expected(someRecords(20)));
			expect(contents.junk.total).toBe(1);
		});

		it('keeps thousands of records across many writes', async () => {
			const vault = adapter.open();
			const all = someRecords(2500);
			for (let from = 0; from < all.length; from += 100) {
				await vault.putRecords(all.slice(from, from + 100));
			}
			await vault.close();
			expect(byId(await reopened(adapter))).toEqual(expected(all));
		});
	});
}

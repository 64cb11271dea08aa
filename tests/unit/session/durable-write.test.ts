import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateSigningKey } from '$lib/crypto/keys';
import { newCoopId } from '$lib/domain/kernel/coop-id';
import { genesisDraft } from '$lib/domain/settings/commands';
import { SignedRecords } from '$lib/session/signed-records';
import type { RecordVault, VaultRecord } from '$lib/storage/record-vault';
import { IndexedDbVault } from '$lib/storage/vault';

/**
 * The UI says "saved" when a command resolves: by then its records must be on disk. The vault
 * here is the real one, with its durable writes held at a gate the test opens, or refused.
 */
class GatedVault implements RecordVault {
	readonly inner: IndexedDbVault;
	readonly durableWrites: string[][] = [];
	#open: () => void = () => {};
	readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));
	readonly #refuse: boolean;

	constructor(coop: string, refuse = false) {
		this.inner = new IndexedDbVault(coop);
		this.#refuse = refuse;
	}

	open(): void {
		this.#open();
	}

	load() {
		return this.inner.load();
	}

	async putRecords(records: readonly VaultRecord[], durable?: boolean): Promise<void> {
		if (durable) {
			this.durableWrites.push(records.map((record) => record.id));
			if (this.#refuse) throw new Error('QuotaExceededError');
			await this.#gate;
		}
		await this.inner.putRecords(records, durable);
	}

	putJunk(...args: Parameters<RecordVault['putJunk']>) {
		return this.inner.putJunk(...args);
	}

	close() {
		return this.inner.close();
	}
}

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});

async function openCoop(refuse = false) {
	const key = await generateSigningKey();
	const { coop, salt } = await newCoopId(key.publicKey);
	const vault = new GatedVault(coop, refuse);
	const records = await SignedRecords.open({ coopId: coop, doc: new Y.Doc(), key, vault });
	const found = () =>
		records.write((context) =>
			genesisDraft(context, { name: 'Boulangerie', created: Date.now(), salt })
		);
	return { vault, records, found };
}

describe('a command of this device', () => {
	it('resolves only once its records are written to the vault durably', async () => {
		const { vault, records, found } = await openCoop();
		let resolved = false;
		const writing = found().then((result) => {
			resolved = true;
			return result;
		});
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(vault.durableWrites).toHaveLength(1);
		expect(resolved).toBe(false);

		vault.open();
		const result = await writing;
		expect(result.ok).toBe(true);
		const ids = result.ok ? result.ids : [];
		expect(vault.durableWrites[0]).toEqual(ids);
		const kept = await vault.inner.load();
		expect(kept.records.map(([id]) => id)).toEqual(ids);
		await records.close();
	});

	it('says it was not saved when the vault refuses it', async () => {
		const { records, found } = await openCoop(true);
		const result = await found();
		expect(result).toEqual({ ok: false, field: '', messageKey: 'record_not_saved' });
		expect(records.state.vaultHealthy).toBe(false);
		await records.close();
	});
});

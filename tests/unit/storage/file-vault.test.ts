import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addJunk, EMPTY_LEDGER } from '$lib/domain/kernel/junk-ledger';
import type { Rejection } from '$lib/domain/kernel/reasons';
import { FileVault } from '../../../src/peer/file-vault';
import { vaultAdapterSuite } from './vault-adapter-suite';

let dir = '';

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ours-file-vault-'));
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

vaultAdapterSuite("The peer's file vault", { open: () => new FileVault(join(dir, 'vault.jsonl')) });

const rejection: Rejection = {
	id: 'junk',
	reason: 'hash-mismatch',
	type: 'member.profile',
	author: null,
	at: null,
	detail: null
};

describe("the peer's file vault", () => {
	it('gives back the records it kept, parsed, and the latest junk ledger', async () => {
		const path = join(dir, 'vault.jsonl');
		const vault = new FileVault(path);
		await vault.putRecords([
			{ id: 'r1', text: '{"v":1}' },
			{ id: 'r2', text: '{"v":2}' }
		]);
		const once = addJunk(EMPTY_LEDGER, [{ rejection, signer: null }]);
		const twice = addJunk(once, [{ rejection, signer: null }]);
		await vault.putJunk(once);
		await vault.putJunk(twice);
		await vault.close();
		// A line cut short, and a record whose text does not parse: both skipped.
		await appendFile(path, '{"record":{"id":"r3","text":"{\\"v\\":"}}\n{"record":{"id":"r4"');

		const reopened = new FileVault(path);
		expect(await reopened.load()).toEqual({
			records: [
				['r1', { v: 1 }],
				['r2', { v: 2 }]
			],
			junk: twice
		});
		await reopened.close();
		// Rewritten on open: the records once each, and the latest ledger only.
		const again = new FileVault(path);
		expect((await again.load()).junk.total).toBe(2);
		await again.close();
	});
});

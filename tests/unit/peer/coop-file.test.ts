import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COOP_FILE, readCoopFile, writeCoopFile } from '../../../src/peer/coop-file';

let dir = '';

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ours-coop-file-'));
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

const coop = { coopId: 'c1', roomKey: 'k1', name: 'Vélo', relays: ['ws://relay:4444'] };

describe("the peer's co-op file", () => {
	it('keeps the invite until the join is counted', async () => {
		await writeCoopFile(dir, { ...coop, pending: { secret: 's', displayName: 'Pi' } });
		expect(await readCoopFile(dir)).toEqual({
			...coop,
			pending: { secret: 's', displayName: 'Pi' }
		});
		await writeCoopFile(dir, coop);
		expect(await readCoopFile(dir)).toEqual(coop);
	});

	it('drops a kept invite that is not one, rather than joining with it', async () => {
		for (const pending of ['junk', null, { secret: 1, displayName: 'Pi' }, { secret: 's' }]) {
			await writeFile(join(dir, COOP_FILE), JSON.stringify({ ...coop, pending }));
			expect(await readCoopFile(dir)).toEqual(coop);
		}
	});
});

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import {
	countUpdates,
	docDatabaseName,
	persistDoc,
	seedDoc,
	STATE_ROW_BYTES
} from '$lib/storage/doc-persistence';
import { UpdateSlicer } from '$lib/sync/update-slices';

const split = (state: Uint8Array, bytes: number) => UpdateSlicer.split(state, bytes);

/** Rows in a co-op's updates store, read through y-indexeddb as the app stores them. */
async function rows(coopId: string): Promise<number> {
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(docDatabaseName(coopId), doc);
	await persistence.whenSynced;
	const count = await countUpdates(persistence);
	await persistence.destroy();
	return count;
}

/** Opens a co-op's document, makes `edits` changes one by one, and closes it once they are on disk. */
async function edit(coopId: string, edits: number, compactAbove = Infinity): Promise<void> {
	const doc = new Y.Doc();
	const persistence = persistDoc(coopId, doc, { compactAbove });
	await persistence.loaded;
	for (let index = 0; index < edits; index++) doc.getText('notes').insert(0, `${index % 10}`);
	doc.getMap('records').set('r1', { type: 'test' });
	while (!persistence.saved) await new Promise((resolve) => setTimeout(resolve, 5));
	await persistence.close();
}

async function text(coopId: string): Promise<string> {
	const doc = new Y.Doc();
	const persistence = persistDoc(coopId, doc, { compactAbove: Infinity });
	await persistence.loaded;
	const value = doc.getText('notes').toJSON();
	await persistence.close();
	return value;
}

describe('compaction of a co-op document', () => {
	it('merges a store past the threshold into one row on open, keeping every change', async () => {
		await edit('busy', 150);
		const before = await rows('busy');
		expect(before).toBeGreaterThan(150);
		const expected = await text('busy');
		expect(expected).toHaveLength(150);

		await edit('busy', 1, 100);
		const after = await rows('busy');
		// The merged state, the later edit, its record change and the row each load adds
		// (counting loads too): not one row per old edit.
		expect(after).toBeLessThanOrEqual(5);
		expect(await text('busy')).toBe(`0${expected}`);
	});

	it('does not merge rows while the co-op is open, where it would take one long task', async () => {
		const doc = new Y.Doc();
		const persistence = persistDoc('open', doc, { compactAbove: Infinity });
		await persistence.loaded;
		for (let index = 0; index < 600; index++) doc.getText('notes').insert(0, `${index % 10}`);
		while (!persistence.saved) await new Promise((resolve) => setTimeout(resolve, 5));
		// y-indexeddb merges past 500 rows, one second after the last change.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		await persistence.close();
		expect(await rows('open')).toBeGreaterThan(600);
		expect(await text('open')).toHaveLength(600);
	});

	it('leaves a small store as it is', async () => {
		await edit('quiet', 5);
		const before = await rows('quiet');
		await edit('quiet', 0, 100);
		expect(await rows('quiet')).toBeGreaterThanOrEqual(before);
	});

	it('seeds a document from an update, merged with what the device had', async () => {
		await edit('seeded', 3);
		const other = new Y.Doc();
		other.getText('notes').insert(0, 'from a backup. ');
		await seedDoc('seeded', Y.encodeStateAsUpdate(other));
		const value = await text('seeded');
		expect(value).toContain('from a backup. ');
		expect(value).toContain('210');
	});

	it('keeps a large document in rows of about 2 MiB, read back whole', async () => {
		const source = new Y.Doc();
		source.transact(() => {
			for (let index = 0; index < 12_000; index++) {
				source.getMap('records').set(`r-${index}`, { n: index, text: 'x'.repeat(500) });
			}
		});
		const state = Y.encodeStateAsUpdate(source);
		expect(state.byteLength).toBeGreaterThan(2.5 * STATE_ROW_BYTES);
		await seedDoc('large', state, split);
		// One row per 2 MiB or so, and the row the load adds.
		const count = await rows('large');
		expect(count).toBeGreaterThanOrEqual(3);
		expect(count).toBeLessThanOrEqual(5);

		const doc = new Y.Doc();
		const persistence = persistDoc('large', doc, { compactAbove: 0, split });
		await persistence.loaded;
		expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(state)).toBe(true);
		await persistence.close();
		expect(await rows('large')).toBeLessThanOrEqual(5);
	});
});

import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { DeviceStore } from '$lib/storage/device-store';
import { indexedDbPersistence, persistDoc, seedDoc } from '$lib/storage/doc-persistence';
import { applyStoredInSlices } from '$lib/sync/apply-in-slices';
import { persistenceAdapterSuite } from './persistence-adapter-suite';

function saved(persistence: ReturnType<typeof persistDoc>): Promise<void> {
	if (persistence.saved) return Promise.resolve();
	return new Promise((resolve) => {
		const stop = persistence.onSavedChange((isSaved) => {
			if (!isSaved) return;
			stop();
			resolve();
		});
	});
}

/** How many 'update' listeners `doc` has. */
function listening(doc: Y.Doc): number {
	return (
		(doc as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('update')?.size ??
		0
	);
}

/** A document of `count` records of about 300 bytes each (well over the size applied whole). */
function largeDoc(count: number): Y.Doc {
	const doc = new Y.Doc();
	const map = doc.getMap('records');
	doc.transact(() => {
		for (let index = 0; index < count; index++) {
			map.set(`record-${index}`, { type: 'test.entry', n: index, text: 'x'.repeat(250) });
		}
	});
	doc.getText('notes').insert(0, 'Notes of a large co-op.');
	return doc;
}

/**
 * Follows the load of `doc`: the transactions that apply stored rows (y-indexeddb's persistence
 * is their origin), with, for each, how many timer ticks had run since `watchLoad` and how many
 * 'update' listeners Yjs found (it looks for them right after 'afterTransactionCleanup').
 */
function watchLoad(doc: Y.Doc) {
	const load = { ticks: 0, atTick: [] as number[], listening: [] as number[], stop: () => {} };
	let timer = setTimeout(function tick() {
		load.ticks++;
		timer = setTimeout(tick, 0);
	}, 0);
	load.stop = () => clearTimeout(timer);
	doc.on('afterTransactionCleanup', (transaction: Y.Transaction) => {
		if (!(transaction.origin instanceof IndexeddbPersistence)) return;
		load.atTick.push(load.ticks);
		load.listening.push(listening(doc));
	});
	return load;
}

let suiteRun = 0;
let suiteCoop = '';

beforeEach(() => {
	suiteCoop = `suite-${++suiteRun}`;
});

persistenceAdapterSuite('y-indexeddb', { adapter: () => indexedDbPersistence(suiteCoop) });

describe('co-op document persistence', () => {
	it('reloads into a new document exactly what was written, including later edits', async () => {
		const first = new Y.Doc();
		const persistence = persistDoc('round-trip', first);
		await persistence.loaded;
		first.getText('notes').insert(0, 'Assemblée générale: 12 mars.');
		first.getText('notes').insert(0, 'Ordre du jour. ');
		expect(persistence.saved).toBe(false);
		await saved(persistence);
		expect(persistence.saved).toBe(true);
		await persistence.close();

		const second = new Y.Doc();
		const reopened = persistDoc('round-trip', second);
		await reopened.loaded;
		expect(second.getText('notes').toJSON()).toBe('Ordre du jour. Assemblée générale: 12 mars.');
		second.getText('notes').delete(0, 15);
		await saved(reopened);
		await reopened.close();

		const third = new Y.Doc();
		const again = persistDoc('round-trip', third);
		await again.loaded;
		expect(third.getText('notes').toJSON()).toBe('Assemblée générale: 12 mars.');
		await again.close();
	});

	it('keeps what was written before the stored document had loaded', async () => {
		const first = new Y.Doc();
		const persistence = persistDoc('early-write', first);
		await persistence.loaded;
		first.getText('notes').insert(0, 'stored');
		await saved(persistence);
		await persistence.close();

		const second = new Y.Doc();
		second.getMap('records').set('before-open', 1);
		const reopened = persistDoc('early-write', second);
		second.getMap('records').set('while-loading', 2);
		// Not on disk yet: the database has not even opened.
		expect(reopened.saved).toBe(false);
		await reopened.loaded;
		second.getMap('records').set('after', 3);
		await saved(reopened);
		await reopened.close();

		const third = new Y.Doc();
		const again = persistDoc('early-write', third);
		await again.loaded;
		expect(third.getText('notes').toJSON()).toBe('stored');
		expect(third.getMap('records').toJSON()).toEqual({
			'before-open': 1,
			'while-loading': 2,
			after: 3
		});
		await again.close();
	});

	it('has no update listener while loading, so Yjs does not encode the load again', async () => {
		const first = new Y.Doc();
		const persistence = persistDoc('no-listeners', first);
		await persistence.loaded;
		first.getText('notes').insert(0, 'a long text');
		await saved(persistence);
		await persistence.close();

		const doc = new Y.Doc();
		const updates: unknown[] = [];
		const reopened = persistDoc('no-listeners', doc);
		const listening = () =>
			(doc as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('update')
				?.size ?? 0;
		expect(listening()).toBe(0);
		const count = () => updates.push(listening());
		doc.on('afterTransaction', count);
		await reopened.loaded;
		doc.off('afterTransaction', count);
		// The one transaction that applied the stored rows ran with nobody listening.
		expect(updates).toEqual([0]);
		expect(listening()).toBe(2);
		await reopened.close();
		expect(listening()).toBe(0);
	});

	it('loads a large document and many rows a slice at a time, as they were stored', async () => {
		const original = largeDoc(6000);
		await seedDoc('large', Y.encodeStateAsUpdate(original));
		const first = new Y.Doc();
		const persistence = persistDoc('large', first, { applyLarge: applyStoredInSlices });
		await persistence.loaded;
		expect(first.getMap('records').toJSON()).toEqual(original.getMap('records').toJSON());
		// Then many small rows on top of the large one.
		for (let index = 0; index < 200; index++) first.getText('notes').insert(0, `${index % 10}`);
		first.getMap('records').delete('record-7');
		await saved(persistence);
		await persistence.close();

		const doc = new Y.Doc();
		const load = watchLoad(doc);
		// Not merged on open (that reads and applies every row again, in one transaction).
		const reopened = persistDoc('large', doc, {
			applyLarge: applyStoredInSlices,
			compactAbove: Infinity
		});
		await reopened.loaded;
		load.stop();
		const bytes = (of: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(of));
		expect(bytes(doc).equals(bytes(first))).toBe(true);
		expect(doc.getMap('records').size).toBe(5999);
		expect(doc.getText('notes').toJSON()).toHaveLength(223);
		// Several transactions, with timers running between them, and none encoded again.
		expect(load.atTick.length).toBeGreaterThan(2);
		expect(load.atTick.at(-1)).toBeGreaterThan(load.atTick[0]!);
		expect(load.listening.every((count) => count === 0)).toBe(true);
		expect(listening(doc)).toBe(2);
		await reopened.close();
	});

	it('writes to disk what changes while the stored document loads', async () => {
		await seedDoc('busy-load', Y.encodeStateAsUpdate(largeDoc(6000)));
		const doc = new Y.Doc();
		let loaded = false;
		let changedWhileLoading = false;
		let loadTransactionsAfter = 0;
		const change = () => {
			doc.getMap('records').set('typed-while-loading', { n: -1 });
			doc.getText('notes').insert(0, 'Typed while loading. ');
			changedWhileLoading = !loaded;
		};
		let scheduled = false;
		doc.on('afterTransaction', (transaction: Y.Transaction) => {
			if (!(transaction.origin instanceof IndexeddbPersistence)) return;
			if (changedWhileLoading) loadTransactionsAfter++;
			if (scheduled) return;
			scheduled = true;
			setTimeout(change, 0);
		});
		const persistence = persistDoc('busy-load', doc, { applyLarge: applyStoredInSlices });
		await persistence.loaded;
		loaded = true;
		expect(changedWhileLoading).toBe(true);
		expect(loadTransactionsAfter).toBeGreaterThan(0);
		await saved(persistence);
		await persistence.close();

		const again = new Y.Doc();
		const reopened = persistDoc('busy-load', again);
		await reopened.loaded;
		expect(again.getMap('records').get('typed-while-loading')).toEqual({ n: -1 });
		expect(again.getMap('records').size).toBe(6001);
		// Typed into the text as it was then (empty): before or after the stored text, as Yjs orders.
		expect(again.getText('notes').toJSON()).toHaveLength(44);
		expect(again.getText('notes').toJSON()).toContain('Typed while loading. ');
		expect(again.getText('notes').toJSON()).toContain('Notes of a large co-op.');
		await reopened.close();
	});

	it('stops loading when closed halfway, and loads whole the next time', async () => {
		await seedDoc('closed-early', Y.encodeStateAsUpdate(largeDoc(6000)));
		const doc = new Y.Doc();
		const persistence = persistDoc('closed-early', doc, { applyLarge: applyStoredInSlices });
		const synced = vi.fn();
		void persistence.loaded.then(synced);
		// Closed as the first slice of the stored document is applied.
		await new Promise<void>((resolve) => {
			const close = (transaction: Y.Transaction) => {
				if (!(transaction.origin instanceof IndexeddbPersistence)) return;
				doc.off('afterTransaction', close);
				resolve(persistence.close());
			};
			doc.on('afterTransaction', close);
		});
		const size = doc.getMap('records').size;
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(doc.getMap('records').size).toBe(size);
		expect(size).toBeLessThan(6000);
		expect(synced).not.toHaveBeenCalled();

		const again = new Y.Doc();
		const reopened = persistDoc('closed-early', again, { applyLarge: applyStoredInSlices });
		await reopened.loaded;
		expect(again.getMap('records').size).toBe(6000);
		await reopened.close();
	});

	it('keeps each co-op in its own database', async () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const pa = persistDoc('coop-a', a);
		const pb = persistDoc('coop-b', b);
		await Promise.all([pa.loaded, pb.loaded]);
		a.getText('notes').insert(0, 'only in A');
		await saved(pa);
		await Promise.all([pa.close(), pb.close()]);

		const b2 = new Y.Doc();
		const pb2 = persistDoc('coop-b', b2);
		await pb2.loaded;
		expect(b2.getText('notes').toJSON()).toBe('');
		await pb2.close();
	});
});

describe('device store', () => {
	it('lists the co-ops of this device, most recently opened first', async () => {
		const store = new DeviceStore();
		await store.putCoop({ id: 'old', name: 'Old', roomKey: 'k1', addedAt: 1, lastOpenedAt: 10 });
		await store.putCoop({ id: 'new', name: 'New', roomKey: 'k2', addedAt: 2, lastOpenedAt: 20 });
		expect((await store.listCoops()).map((coop) => coop.id)).toEqual(['new', 'old']);
		expect(await store.getCoop('old')).toMatchObject({ name: 'Old', roomKey: 'k1' });
		expect(await store.getCoop('missing')).toBeUndefined();
		await store.close();
	});
});

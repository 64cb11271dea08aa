import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DeviceStore } from '$lib/storage/device-store';
import { indexedDbPersistence, persistDoc } from '$lib/storage/doc-persistence';
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

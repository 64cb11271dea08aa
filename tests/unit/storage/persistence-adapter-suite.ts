import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocPersistence, PersistenceAdapter } from '$lib/storage/persistence-adapter';

/**
 * The contract every document persistence adapter keeps (see
 * `src/lib/storage/persistence-adapter.ts`), registered once per adapter. `adapter()` gives the
 * adapter over the same storage each time it is called within a test; each test starts empty.
 */
export interface PersistenceAdapterUnderTest {
	adapter(): PersistenceAdapter;
}

/** Resolves once every change so far is written. */
function saved(persistence: DocPersistence): Promise<void> {
	if (persistence.saved) return Promise.resolve();
	return new Promise((resolve) => {
		const stop = persistence.onSavedChange((isSaved) => {
			if (!isSaved) return;
			stop();
			resolve();
		});
	});
}

export function persistenceAdapterSuite(name: string, under: PersistenceAdapterUnderTest): void {
	/** Opens the stored document in a fresh `Y.Doc`, lets `use` change it, then closes it. */
	async function session(use: (doc: Y.Doc) => void = () => {}): Promise<Y.Doc> {
		const doc = new Y.Doc();
		const persistence = under.adapter()(doc);
		await persistence.loaded;
		use(doc);
		await saved(persistence);
		await persistence.close();
		return doc;
	}

	describe(`${name}, as a document persistence adapter`, () => {
		it('loads nothing from empty storage', async () => {
			const doc = await session();
			expect(doc.getText('notes').toJSON()).toBe('');
			expect(doc.getMap('records').size).toBe(0);
		});

		it('loads back what was written, edits of later sessions included', async () => {
			await session((doc) => {
				doc.getText('notes').insert(0, 'Assemblée générale: 12 mars.');
				doc.getText('notes').insert(0, 'Ordre du jour. ');
			});
			await session((doc) => {
				expect(doc.getText('notes').toJSON()).toBe('Ordre du jour. Assemblée générale: 12 mars.');
				doc.getText('notes').delete(0, 15);
				doc.getMap('records').set('r1', { v: 1 });
			});
			const doc = await session();
			expect(doc.getText('notes').toJSON()).toBe('Assemblée générale: 12 mars.');
			expect(doc.getMap('records').toJSON()).toEqual({ r1: { v: 1 } });
		});

		it('keeps changes made before and while the stored document loads', async () => {
			await session((doc) => doc.getText('notes').insert(0, 'stored'));

			const doc = new Y.Doc();
			doc.getMap('records').set('before-open', 1);
			const persistence = under.adapter()(doc);
			doc.getMap('records').set('while-loading', 2);
			await persistence.loaded;
			expect(doc.getText('notes').toJSON()).toBe('stored');
			doc.getMap('records').set('after', 3);
			await saved(persistence);
			await persistence.close();

			const again = await session();
			expect(again.getText('notes').toJSON()).toBe('stored');
			expect(again.getMap('records').toJSON()).toEqual({
				'before-open': 1,
				'while-loading': 2,
				after: 3
			});
		});

		it('keeps every change made at any moment of loading', async () => {
			await session((doc) => doc.getText('notes').insert(0, 'stored'));
			const doc = new Y.Doc();
			const persistence = under.adapter()(doc);
			let loaded = false;
			void persistence.loaded.then(() => (loaded = true));
			let changes = 0;
			while (!loaded) {
				doc.getMap('records').set(`k${changes}`, changes++);
				await new Promise((resolve) => setImmediate(resolve));
			}
			doc.getMap('records').set(`k${changes}`, changes++);
			await saved(persistence);
			await persistence.close();

			const again = await session();
			expect(again.getText('notes').toJSON()).toBe('stored');
			expect(again.getMap('records').size).toBe(changes);
		});

		it('keeps changes from peers like its own', async () => {
			const peer = new Y.Doc();
			peer.getText('notes').insert(0, 'from a peer');
			const origin = Symbol('a peer');
			await session((doc) => Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), origin));
			expect((await session()).getText('notes').toJSON()).toBe('from a peer');
		});
	});
}

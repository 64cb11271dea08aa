import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Arrivals } from '$lib/session/arrivals';

/** A remote change to the records map, as a peer or the disk applies it. */
function remoteRecord(doc: Y.Doc, key: string, author: string): void {
	const other = new Y.Doc();
	other.getMap('records').set(key, { author });
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'remote');
}

describe('arrivals', () => {
	it('counts records from other devices as they arrive', async () => {
		const doc = new Y.Doc();
		const arrivals = new Arrivals(doc, 'me', {}, () => Promise.resolve());
		remoteRecord(doc, 'r1', 'bea');
		remoteRecord(doc, 'r2', 'me');
		expect([...arrivals.seen.keys()]).toEqual(['bea']);
		await arrivals.close();
	});

	it('does not count what the stored document brings while it loads', async () => {
		const doc = new Y.Doc();
		let loaded: () => void = () => {};
		const arrivals = new Arrivals(
			doc,
			'me',
			{},
			() => Promise.resolve(),
			new Promise<void>((resolve) => (loaded = resolve))
		);
		remoteRecord(doc, 'r1', 'bea');
		loaded();
		await Promise.resolve();
		expect(arrivals.seen.size).toBe(0);
		remoteRecord(doc, 'r2', 'cem');
		expect([...arrivals.seen.keys()]).toEqual(['cem']);
		await arrivals.close();
	});
});

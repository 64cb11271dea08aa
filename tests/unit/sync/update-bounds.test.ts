import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkStateVector, checkUpdate, UPDATE_LIMITS } from '$lib/sync/update-bounds';
import { craftedDeletes, craftedUpdate } from './crafted-update';

/** Documents using every kind of struct and content the app (or a hostile peer) can write. */
function richDocs(): Y.Doc[] {
	const a = new Y.Doc({ gc: false });
	const b = new Y.Doc();
	const records = a.getMap('records');
	records.set('r1', {
		type: 'profile',
		at: '2025-01-01T00:00:00.000Z-0000',
		body: { skills: ['baking', 'bikes'], hours: 12.5, small: 1.5, active: true, none: null },
		sig: 'x'.repeat(86)
	});
	records.set('bytes', new Uint8Array([1, 2, 3]));
	records.set('big', 2n ** 60n);
	records.set('negative', -123456);
	records.set('gone', 1);
	records.delete('gone');
	const notes = a.getText('notes');
	notes.insert(0, 'Hello world', { bold: true });
	notes.insertEmbed(5, { image: 'x.png' });
	notes.format(0, 3, { italic: true });
	notes.delete(2, 4);
	const list = a.getArray<unknown>('list');
	list.insert(0, [1, 'two', [3, [4]], { five: 5 }, null]);
	list.insert(1, [new Y.Map(), new Y.Array(), new Y.Text('inner')]);
	const fragment = a.getXmlFragment('xml');
	fragment.insert(0, [new Y.XmlElement('p'), new Y.XmlText('text')]);
	list.push([new Y.XmlHook('hook')]);
	list.push([new Y.Doc({ guid: 'sub' })]);
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	b.getText('notes').delete(0, 3); // gc'd in b: GC structs and deleted content
	b.getMap('records').set('r2', 'from b');
	return [a, b];
}

/** What Yjs itself builds for an update: structs plus client blocks, ranges plus their clients. */
function yjsWork(update: Uint8Array) {
	const { structs, ds } = Y.decodeUpdate(update);
	const clients = new Set(structs.map((struct) => struct.id.client));
	const ranges = [...ds.clients.values()].reduce((sum, items) => sum + items.length, 0);
	return { structs: structs.length + clients.size, deletes: ranges + ds.clients.size };
}

describe('update work bounds', () => {
	it('counts structs and delete ranges as Yjs builds them, on every kind of content', () => {
		for (const doc of richDocs()) {
			const update = Y.encodeStateAsUpdate(doc);
			const check = checkUpdate(update);
			expect(check.ok).toBe(true);
			if (!check.ok) continue;
			expect({ structs: check.work.structs, deletes: check.work.deletes }).toEqual(yjsWork(update));
			expect(check.work.values).toBeGreaterThan(10);
			expect(checkStateVector(Y.encodeStateVector(doc))).toMatchObject({ ok: true });
		}
	});

	it('refuses exactly the cut-short updates that Yjs cannot read', () => {
		const update = Y.encodeStateAsUpdate(richDocs()[1]!);
		for (let length = 0; length < update.length; length++) {
			const prefix = update.slice(0, length);
			let yjsReads = true;
			try {
				Y.decodeUpdate(prefix);
			} catch {
				yjsReads = false;
			}
			expect({ length, ok: checkUpdate(prefix).ok }).toEqual({ length, ok: yjsReads });
		}
	});

	it('never throws on random bytes', () => {
		for (let round = 0; round < 500; round++) {
			const bytes = crypto.getRandomValues(new Uint8Array(1 + (round % 64)));
			expect(() => checkUpdate(bytes)).not.toThrow();
			expect(() => checkStateVector(bytes)).not.toThrow();
		}
	});

	it('refuses a crafted update of tiny structs past the limit, and accepts one at it', () => {
		const crafted = craftedUpdate(UPDATE_LIMITS.structs);
		// A real update: Yjs reads it, and merges it into a document of a few bytes.
		const doc = new Y.Doc();
		Y.applyUpdate(doc, craftedUpdate(1000));
		expect(Y.encodeStateVector(doc)).toEqual(new Uint8Array([1, 7, 232, 7]));
		expect(checkUpdate(crafted)).toEqual({ ok: false, error: 'too-much-work' });
		expect(checkUpdate(craftedUpdate(UPDATE_LIMITS.structs - 1))).toMatchObject({ ok: true });
	});

	it('refuses a struct count that only claims to be huge before reading what follows', () => {
		// A hundred million structs declared, three present: refused on the count, not as cut short.
		const update = craftedUpdate(3, 100_000_000);
		expect(checkUpdate(update)).toEqual({ ok: false, error: 'too-much-work' });
	});

	it('refuses too many delete ranges, values, clients or nesting', () => {
		const deletes = craftedDeletes(UPDATE_LIMITS.deletes);
		expect(Y.decodeUpdate(craftedDeletes(10)).ds.clients.get(7)).toHaveLength(10);
		expect(checkUpdate(deletes)).toEqual({ ok: false, error: 'too-much-work' });

		const doc = new Y.Doc();
		doc.getMap('records').set(
			'many',
			Array.from({ length: 1000 }, (_, index) => index)
		);
		const small = { ...UPDATE_LIMITS, values: 500 };
		expect(checkUpdate(Y.encodeStateAsUpdate(doc))).toMatchObject({ ok: true });
		expect(checkUpdate(Y.encodeStateAsUpdate(doc), small)).toEqual({
			ok: false,
			error: 'too-much-work'
		});

		let nested: unknown = 'deep';
		for (let level = 0; level < UPDATE_LIMITS.depth + 2; level++) nested = [nested];
		const deep = new Y.Doc();
		deep.getMap('records').set('deep', nested);
		expect(checkUpdate(Y.encodeStateAsUpdate(deep))).toEqual({ ok: false, error: 'too-much-work' });

		const vector = new Uint8Array([0xc0, 0x84, 0x3d]); // claims 1,000,000 clients
		expect(checkStateVector(vector, { ...UPDATE_LIMITS, structs: 999_999 })).toEqual({
			ok: false,
			error: 'too-much-work'
		});
	});
});

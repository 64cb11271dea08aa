import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyInSlices, applyStoredInSlices } from '$lib/sync/apply-in-slices';
import { UpdateSlicer } from '$lib/sync/update-slices';
import { prng, pick } from '../domain/fixtures';

type Random = () => number;

const TEXTS = ['a', 'hello', 'é', '😀', 'x😀y', '漢字', 'line\nbreak', ''];
/**
 * Without characters outside the BMP: an insertion between the two halves of a surrogate pair
 * makes Yjs replace both halves with U+FFFD where it splits the item, and a change kept pending
 * is split (merged) along other lines than one applied at once, whole or in windows alike.
 */
const BMP_TEXTS = TEXTS.filter((text) => !/[\uD800-\uDFFF]/.test(text));

/** One random edit on `doc`: maps, arrays, text (formats, embeds), nested types, deletions. */
function edit(doc: Y.Doc, random: Random, texts = TEXTS): void {
	const map = doc.getMap<unknown>('map');
	const list = doc.getArray<unknown>('list');
	const text = doc.getText('text');
	const roll = random();
	const key = `k${Math.floor(random() * 6)}`;
	if (roll < 0.15) {
		map.set(key, pick(random, [1, 'two', { three: [3] }, null, true, new Uint8Array([4, 5])]));
	} else if (roll < 0.2) {
		map.delete(key);
	} else if (roll < 0.3) {
		const nested = pick(random, [
			() => new Y.Map<unknown>([['inner', random()]]),
			() => new Y.Array<unknown>(),
			() => new Y.Text('nested'),
			() => new Y.XmlElement('p'),
			() => new Y.Doc({ guid: `sub-${Math.floor(random() * 1e6)}` })
		])();
		if (random() < 0.5) map.set(key, nested);
		else list.insert(Math.floor(random() * (list.length + 1)), [nested]);
	} else if (roll < 0.45) {
		const values = Array.from({ length: 1 + Math.floor(random() * 3) }, () => random());
		list.insert(Math.floor(random() * (list.length + 1)), values);
	} else if (roll < 0.55 && list.length > 0) {
		const index = Math.floor(random() * list.length);
		list.delete(index, Math.min(list.length - index, 1 + Math.floor(random() * 3)));
	} else if (roll < 0.6) {
		// Edit inside a nested type, if any.
		const inner = [...map.values(), ...list.toArray()].find(
			(value) => value instanceof Y.Text || value instanceof Y.Map || value instanceof Y.Array
		);
		if (inner instanceof Y.Text) inner.insert(Math.floor(random() * (inner.length + 1)), 'in');
		else if (inner instanceof Y.Map) inner.set(key, random());
		else if (inner instanceof Y.Array) inner.push([random()]);
	} else if (roll < 0.8) {
		const at = Math.floor(random() * (text.length + 1));
		if (random() < 0.2) text.insertEmbed(at, { image: 'x.png' });
		else text.insert(at, pick(random, texts), random() < 0.2 ? { bold: true } : undefined);
	} else if (roll < 0.9 && text.length > 0) {
		const at = Math.floor(random() * text.length);
		text.delete(at, Math.min(text.length - at, 1 + Math.floor(random() * 4)));
	} else if (text.length > 0) {
		const at = Math.floor(random() * text.length);
		text.format(at, Math.min(text.length - at, 3), { italic: random() < 0.5 ? true : null });
	}
}

/** Devices editing and syncing at random; returns them (each with gc on or off). */
function devices(random: Random): Y.Doc[] {
	const docs = Array.from({ length: 2 + Math.floor(random() * 3) }, (_, index) => {
		const doc = new Y.Doc({ gc: random() < 0.6 });
		doc.clientID = 1 + index * 1000 + Math.floor(random() * 1000);
		return doc;
	});
	const steps = 10 + Math.floor(random() * 60);
	for (let step = 0; step < steps; step++) {
		const doc = pick(random, docs);
		const edits = 1 + Math.floor(random() * 4);
		doc.transact(() => {
			for (let index = 0; index < edits; index++) edit(doc, random);
		});
		if (random() < 0.3) {
			const other = pick(random, docs);
			Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
		}
	}
	return docs;
}

/** Plain data for comparison: a subdocument by its id (its own fields differ per copy). */
function plain(value: unknown): unknown {
	if (value instanceof Y.Doc) return { subdoc: value.guid };
	if (value instanceof Uint8Array) return { bytes: [...value] };
	if (Array.isArray(value)) return value.map(plain);
	if (value !== null && typeof value === 'object') {
		// A map's keys in a stable order: Yjs lists them in the order it met them.
		const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return Object.fromEntries(entries.map(([key, inner]) => [key, plain(inner)]));
	}
	return value;
}

/**
 * The document as a new device loading it holds it: when a change waited for a missing one, Yjs
 * may garbage-collect a deleted item's content in one case and not in the other (its pending
 * deletions are retried at the next update, and each window is one), which changes the bytes but
 * not the document. Loading it anew collects every deleted item's content.
 */
function loaded(doc: Y.Doc): Uint8Array {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return Y.encodeStateAsUpdate(copy);
}

/** Everything a reader can see of a document, pending changes included. */
function snapshot(doc: Y.Doc, exact: boolean) {
	return {
		update: exact ? Y.encodeStateAsUpdate(doc) : loaded(doc),
		loaded: loaded(doc),
		map: plain(doc.getMap('map').toJSON()),
		list: plain(doc.getArray('list').toJSON()),
		text: plain(doc.getText('text').toDelta()),
		vector: Y.encodeStateVector(doc)
	};
}

/** A target document: empty, or holding part of what the update brings (as a peer may). */
function target(random: Random, gc: boolean, from: Y.Doc[]): Y.Doc {
	const doc = new Y.Doc({ gc });
	doc.clientID = 999_999;
	if (random() < 0.5) {
		const source = pick(random, from);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
	}
	return doc;
}

async function applySliced(doc: Y.Doc, update: Uint8Array, random: Random): Promise<number> {
	let windows = 0;
	const counting = (_update: Uint8Array, origin: unknown) => {
		if (origin === 'peer') windows++;
	};
	doc.on('update', counting);
	const structs = 1 + Math.floor(random() * 6);
	const bytes = random() < 0.3 ? 1 : 1 << 20;
	const slicing = applyInSlices(doc, update, 'peer', {
		above: 0,
		budget: { structs, bytes },
		fixed: true,
		pause: () => Promise.resolve()
	});
	if (slicing === null) throw new Error('The update was not sliced');
	await slicing;
	doc.off('update', counting);
	return windows;
}

/** Applies `updates` to two copies of `base`: whole, and in windows; they must agree. */
async function expectSameResult(
	random: Random,
	gc: boolean,
	from: Y.Doc[],
	updates: Uint8Array[],
	exact = true
): Promise<void> {
	const whole = target(random, gc, from);
	const sliced = new Y.Doc({ gc });
	sliced.clientID = whole.clientID;
	Y.applyUpdate(sliced, Y.encodeStateAsUpdate(whole));
	for (const update of updates) {
		Y.applyUpdate(whole, update, 'peer');
		await applySliced(sliced, update, random);
	}
	expect(snapshot(sliced, exact)).toEqual(snapshot(whole, exact));
}

describe('applying an update in windows', () => {
	it('gives the document one whole application gives, for random documents (300 seeds)', async () => {
		for (let seed = 1; seed <= 300; seed++) {
			const random = prng(seed);
			const docs = devices(random);
			const source = pick(random, docs);
			const gc = random() < 0.5;
			await expectSameResult(random, gc, docs, [Y.encodeStateAsUpdate(source)]);
		}
	});

	it('agrees on updates with gaps (Skip structs) and on changes that wait for missing ones', async () => {
		for (let seed = 1000; seed < 1150; seed++) {
			const random = prng(seed);
			const doc = new Y.Doc({ gc: random() < 0.5 });
			doc.clientID = 7;
			const other = new Y.Doc();
			other.clientID = 8;
			const parts: Uint8Array[] = [];
			const record = (update: Uint8Array) => parts.push(update);
			doc.on('update', record);
			other.on('update', record);
			for (let step = 0; step < 30; step++) {
				const editor = random() < 0.6 ? doc : other;
				editor.transact(() => edit(editor, random, BMP_TEXTS));
				if (random() < 0.4)
					Y.applyUpdate(editor === doc ? other : doc, Y.encodeStateAsUpdate(editor));
			}
			// Some parts left out: the merged update has gaps (Skip) and depends on what it lacks.
			const kept = parts.filter(() => random() < 0.7);
			const left = parts.filter((part) => !kept.includes(part));
			const merged = Y.mergeUpdates(kept);
			// Then what was left out arrives, whole and in windows too.
			await expectSameResult(random, random() < 0.5, [doc], [merged, Y.mergeUpdates(left)], false);
		}
	});

	it('applies a flood of map entries in many windows, dependencies first', async () => {
		const base = new Y.Doc();
		base.getMap('records').set('a', 1);
		const flooder = new Y.Doc();
		flooder.clientID = 1; // lower than the base's: written after it
		Y.applyUpdate(flooder, Y.encodeStateAsUpdate(base));
		flooder.transact(() => {
			for (let index = 0; index < 5000; index++) {
				flooder.getMap('records').set(`junk-${index}`, { n: index });
			}
			flooder.getMap('records').delete('a');
		});
		const update = Y.encodeStateAsUpdate(flooder);
		const whole = new Y.Doc();
		Y.applyUpdate(whole, update);
		const sliced = new Y.Doc();
		const windows = await applySliced(sliced, update, () => 0.9);
		expect(windows).toBeGreaterThan(500);
		expect(snapshot(sliced, true)).toEqual(snapshot(whole, true));
		expect(sliced.store.pendingStructs).toBeNull();
		expect(sliced.getMap('records').has('a')).toBe(false);
	});

	it('reads the layout in steps, with the windows reading it at once gives', async () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			for (let index = 0; index < 5000; index++) doc.getMap('records').set(`r-${index}`, index);
		});
		doc.getMap('records').delete('r-7');
		const update = Y.encodeStateAsUpdate(doc);
		const state = () => 0;
		let pauses = 0;
		const pause = () => {
			pauses++;
			return Promise.resolve();
		};
		const stepped = await UpdateSlicer.inSteps(update, state, pause, 0);
		const whole = UpdateSlicer.of(update, state);
		expect(pauses).toBeGreaterThanOrEqual(4);
		const budget = { structs: 700, bytes: 1 << 20 };
		const windows = (slicer: UpdateSlicer | null) => {
			const all: Uint8Array[] = [];
			for (let next = slicer?.next(budget); next; next = slicer?.next(budget))
				all.push(next.update);
			return all;
		};
		const steppedWindows = windows(stepped);
		expect(steppedWindows.length).toBeGreaterThan(1);
		expect(steppedWindows).toEqual(windows(whole));
		expect(await UpdateSlicer.inSteps(Y.encodeStateAsUpdateV2(doc), state, pause, 0)).toBeNull();
	});

	it('applies a stored document in steps and windows, each a task of its own', async () => {
		const source = new Y.Doc();
		source.transact(() => {
			for (let index = 0; index < 5000; index++) {
				source.getMap('records').set(`r-${index}`, { n: index, text: 'x'.repeat(100) });
			}
		});
		const update = Y.encodeStateAsUpdate(source);
		const doc = new Y.Doc();
		let ticks = 0;
		let timer = setTimeout(function tick() {
			ticks++;
			timer = setTimeout(tick, 0);
		}, 0);
		const slicing = applyStoredInSlices(doc, update, 'stored');
		expect(slicing).not.toBeNull();
		// Nothing yet in the task that read it.
		expect(doc.getMap('records').size).toBe(0);
		await slicing;
		clearTimeout(timer);
		expect(ticks).toBeGreaterThan(2);
		// Byte for byte (compared as buffers: a deep comparison of the arrays takes seconds).
		expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(update)).toBe(true);
		expect(applyStoredInSlices(doc, new Uint8Array([0, 0]), 'stored')).toBeNull();
	});

	it('cuts a whole state into parts that each need only the parts before them (200 seeds)', () => {
		for (let seed = 1; seed <= 200; seed++) {
			const random = prng(seed);
			const source = pick(random, devices(random));
			const state = Y.encodeStateAsUpdate(source);
			const bytes = 1 + Math.floor(random() * 400);
			const parts = UpdateSlicer.split(state, bytes);
			if (parts === null) throw new Error(`seed ${seed}: the state was not cut`);
			const doc = new Y.Doc({ gc: source.gc });
			for (const part of parts) {
				Y.applyUpdate(doc, part);
				expect(doc.store.pendingStructs, `seed ${seed}`).toBeNull();
			}
			expect(snapshot(doc, false), `seed ${seed}`).toEqual(snapshot(source, false));
		}
	});

	it('cuts a large state into parts of about the size asked', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			for (let index = 0; index < 5000; index++) {
				doc.getMap('records').set(`r-${index}`, { n: index, text: 'x'.repeat(100) });
			}
		});
		const state = Y.encodeStateAsUpdate(doc);
		const parts = UpdateSlicer.split(state, 64 * 1024)!;
		expect(parts.length).toBeGreaterThanOrEqual(Math.floor(state.byteLength / (64 * 1024)));
		for (const part of parts) expect(part.byteLength).toBeLessThanOrEqual(64 * 1024 + 64);
		const copy = new Y.Doc();
		for (const part of parts) Y.applyUpdate(copy, part);
		expect(Buffer.from(Y.encodeStateAsUpdate(copy)).equals(state)).toBe(true);
		expect(UpdateSlicer.split(Y.encodeStateAsUpdateV2(doc), 1024)).toBeNull();
	});

	it('leaves a v2 update, a small one and an unreadable one to be applied whole', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('k', 'v'.repeat(1000));
		const state = () => 0;
		expect(UpdateSlicer.of(Y.encodeStateAsUpdateV2(doc), state)).toBeNull();
		expect(UpdateSlicer.of(new Uint8Array([1, 1, 5]), state)).toBeNull();
		expect(applyInSlices(new Y.Doc(), Y.encodeStateAsUpdate(doc), null)).toBeNull();
		expect(UpdateSlicer.of(Y.encodeStateAsUpdate(doc), state)).not.toBeNull();
	});
});

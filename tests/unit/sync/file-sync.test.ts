import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	decodeSyncFile,
	encodeSyncFile,
	fullUpdate,
	MAX_HEADER_BYTES,
	missingUpdate,
	stateVectorOf,
	type SyncFileKind
} from '$lib/sync/file-sync';
import { UPDATE_LIMITS } from '$lib/sync/update-bounds';
import { craftedUpdate } from './crafted-update';

const COOP = 'coop-1';
const ALL: SyncFileKind[] = ['update', 'state-vector', 'backup'];

function docWith(text: string): Y.Doc {
	const doc = new Y.Doc();
	doc.getText('notes').insert(0, text);
	doc.getMap('records').set('r1', { type: 'test', body: text });
	return doc;
}

function fileOf(kind: SyncFileKind, payload: Uint8Array, coopId = COOP) {
	return encodeSyncFile(
		{
			kind,
			coopId,
			coopName: 'Vélo Express',
			createdAt: 1_700_000_000_000,
			...(kind === 'backup' ? { roomKey: 'room-key' } : {})
		},
		payload
	);
}

describe('sync files', () => {
	it('round-trips each kind with its header and payload', async () => {
		const doc = docWith('Assemblée générale');
		const payloads = {
			update: fullUpdate(doc),
			'state-vector': stateVectorOf(doc),
			backup: fullUpdate(doc)
		};
		for (const kind of ALL) {
			const result = await decodeSyncFile(await fileOf(kind, payloads[kind]), {
				kinds: [kind],
				coopId: COOP
			});
			expect(result.ok, kind).toBe(true);
			if (!result.ok) continue;
			expect(result.header).toMatchObject({ kind, coopId: COOP, coopName: 'Vélo Express' });
			expect(result.header.bytes).toBe(payloads[kind].length);
			expect(result.payload).toEqual(payloads[kind]);
			expect(result.header.roomKey).toBe(kind === 'backup' ? 'room-key' : undefined);
		}
	});

	it('brings two documents level with a state vector and the diff it asks for', async () => {
		const a = docWith('from A');
		const b = new Y.Doc();
		Y.applyUpdate(b, fullUpdate(a));
		b.getText('notes').insert(0, 'B was here. ');
		a.getMap('records').set('r2', { type: 'test', body: 'A again' });

		const ask = await decodeSyncFile(await fileOf('state-vector', stateVectorOf(a)), {
			kinds: ['state-vector'],
			coopId: COOP
		});
		expect(ask.ok).toBe(true);
		if (!ask.ok) return;
		const diff = missingUpdate(b, ask.payload);
		expect(diff.length).toBeLessThan(fullUpdate(b).length);
		const sent = await decodeSyncFile(await fileOf('update', diff), { kinds: ['update'] });
		expect(sent.ok).toBe(true);
		if (!sent.ok) return;
		Y.applyUpdate(a, sent.payload);
		Y.applyUpdate(b, missingUpdate(a, stateVectorOf(b)));
		expect(a.getText('notes').toJSON()).toBe('B was here. from A');
		expect(a.getMap('records').toJSON()).toEqual(b.getMap('records').toJSON());
		expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
	});

	it('refuses a damaged file wherever the damage is', async () => {
		const file = await fileOf('update', fullUpdate(docWith('text')));
		for (let index = 5; index < file.length; index += 7) {
			const flipped = file.slice();
			flipped[index]! ^= 0x01;
			expect(await decodeSyncFile(flipped, { kinds: ALL })).toEqual({
				ok: false,
				error: index === 5 || index === 6 ? 'header' : 'damaged'
			});
		}
		for (const length of [4, 9, 20, file.length - 1, file.length - 33]) {
			const result = await decodeSyncFile(file.slice(0, length), { kinds: ALL });
			expect(result.ok, `truncated to ${length}`).toBe(false);
		}
		const wrongSum = file.slice();
		wrongSum[file.length - 1]! ^= 0xff;
		expect(await decodeSyncFile(wrongSum, { kinds: ALL })).toEqual({
			ok: false,
			error: 'damaged'
		});
	});

	it('refuses a file of another co-op and a file of the wrong kind', async () => {
		const update = fullUpdate(docWith('elsewhere'));
		expect(
			await decodeSyncFile(await fileOf('update', update, 'coop-2'), {
				kinds: ['update'],
				coopId: COOP
			})
		).toEqual({ ok: false, error: 'other-coop' });
		expect(
			await decodeSyncFile(await fileOf('update', update), { kinds: ['backup'], coopId: COOP })
		).toEqual({ ok: false, error: 'wrong-kind' });
	});

	it('refuses empty, foreign, random, oversized-header and unreadable files without throwing', async () => {
		expect(await decodeSyncFile(new Uint8Array(), { kinds: ALL })).toEqual({
			ok: false,
			error: 'empty'
		});
		const pdf = new TextEncoder().encode('%PDF-1.7 not a co-op');
		expect(await decodeSyncFile(pdf, { kinds: ALL })).toEqual({ ok: false, error: 'not-ours' });
		for (let round = 0; round < 50; round++) {
			const random = crypto.getRandomValues(new Uint8Array(1 + round * 13));
			const result = await decodeSyncFile(random, { kinds: ALL });
			expect(result.ok).toBe(false);
		}
		const huge = new Uint8Array(64);
		huge.set([0x4f, 0x55, 0x52, 0x53, 1]);
		new DataView(huge.buffer).setUint32(5, MAX_HEADER_BYTES + 1);
		expect(await decodeSyncFile(huge, { kinds: ALL })).toEqual({ ok: false, error: 'header' });
		const future = (await fileOf('update', new Uint8Array([0, 0]))).slice();
		future[4] = 9;
		expect(await decodeSyncFile(future, { kinds: ALL })).toEqual({ ok: false, error: 'version' });
		const garbage = await fileOf('update', crypto.getRandomValues(new Uint8Array(200)));
		expect(await decodeSyncFile(garbage, { kinds: ALL })).toMatchObject({ ok: false });
	});

	it('refuses a header whose length does not match its payload', async () => {
		const file = await fileOf('update', new Uint8Array([0, 0]));
		// A file made by hand with a lying header and a correct checksum.
		const text = new TextDecoder().decode(file.subarray(9, file.length - 34));
		expect(text).toContain('"bytes":2');
		const header = new TextEncoder().encode(text.replace('"bytes":2', '"bytes":3'));
		const body = new Uint8Array(9 + header.length + 2);
		body.set(file.subarray(0, 9));
		new DataView(body.buffer).setUint32(5, header.length);
		body.set(header, 9);
		const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
		const forged = new Uint8Array([...body, ...digest]);
		expect(await decodeSyncFile(forged, { kinds: ALL })).toEqual({ ok: false, error: 'header' });
	});

	it('refuses a crafted file whose small update holds too many structs, without reading them', async () => {
		// Valid header and checksum, 3 MB; Yjs would build three million objects to read it.
		const crafted = craftedUpdate(3 * UPDATE_LIMITS.structs);
		const file = await fileOf('update', crafted);
		expect(file.length).toBeLessThan(7 * 1024 * 1024);
		expect(await decodeSyncFile(file, { kinds: ALL, coopId: COOP })).toEqual({
			ok: false,
			error: 'too-much-work'
		});
	});
});

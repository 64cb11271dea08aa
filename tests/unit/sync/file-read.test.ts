import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EVERYTHING, readSyncFile } from '$lib/sync/file-read';
import {
	encodeSyncFile,
	fullUpdate,
	missingUpdate,
	stateVectorOf,
	type SyncFileKind
} from '$lib/sync/file-sync';
import { UPDATE_LIMITS } from '$lib/sync/update-bounds';
import { craftedUpdate } from './crafted-update';

const COOP = 'coop-1';
const ALL: SyncFileKind[] = ['update', 'state-vector', 'backup'];

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

/** A record as the app stores it: a signed JSON object, about fourteen values. */
function recordLike(index: number) {
	return {
		v: 1,
		type: 'profile',
		coop: COOP,
		author: `author-${index % 100}`,
		at: `2025-01-01T00:00:00.000Z-${String(index).padStart(6, '0')}`,
		body: {
			displayName: `Member ${index}`,
			bio: 'Bakes bread on Tuesdays.',
			skills: ['baking', 'bikes', 'accounts'],
			contact: 'Ring the bell twice.'
		},
		sig: 'x'.repeat(86)
	};
}

/** Applies a read file's payload as the page does. */
function applyRead(doc: Y.Doc, payload: Uint8Array): void {
	Y.applyUpdate(doc, payload, 'file');
}

describe('reading sync files', () => {
	it('refuses a crafted file of a million and one tiny structs as too much work', async () => {
		const file = await fileOf('update', craftedUpdate(UPDATE_LIMITS.structs + 1));
		expect(file.length).toBeLessThan(3 * 1024 * 1024);
		expect(await readSyncFile(file, { kinds: ALL, coopId: COOP }, EVERYTHING)).toEqual({
			ok: false,
			error: 'too-much-work'
		});
	});

	it('returns what the reader lacks, deletions and changes waiting on others included', async () => {
		const a = new Y.Doc();
		a.getText('notes').insert(0, 'Ada: order flour.');
		a.getMap('records').set('r1', recordLike(1));
		const b = new Y.Doc();
		Y.applyUpdate(b, fullUpdate(a));
		// B edits on top of what A wrote: its changes depend on A's, which the file does not hold.
		b.getText('notes').delete(0, 5);
		b.getText('notes').insert(0, 'Bea: ');
		b.getMap('records').set('r2', recordLike(2));
		const lack = await fileOf('update', missingUpdate(b, stateVectorOf(a)));

		const read = await readSyncFile(lack, { kinds: ALL, coopId: COOP }, stateVectorOf(a));
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		applyRead(a, read.payload);
		expect(a.getText('notes').toJSON()).toBe('Bea: order flour.');
		expect(a.getMap('records').toJSON()).toEqual(b.getMap('records').toJSON());

		// Read again by a device that has it all: nothing new, only the delete set.
		const again = await readSyncFile(lack, { kinds: ALL }, stateVectorOf(a));
		expect(again.ok && Y.decodeUpdate(again.payload).structs).toEqual([]);
	});

	it('passes a state vector through, and refuses files for another co-op', async () => {
		const doc = new Y.Doc();
		doc.getMap('records').set('r1', recordLike(1));
		const have = await fileOf('state-vector', stateVectorOf(doc));
		const read = await readSyncFile(have, { kinds: ALL, coopId: COOP }, EVERYTHING);
		expect(read).toMatchObject({ ok: true, header: { kind: 'state-vector' } });
		expect(read.ok && [...read.payload]).toEqual([...stateVectorOf(doc)]);
		const other = await fileOf('update', fullUpdate(doc), 'coop-2');
		expect(await readSyncFile(other, { kinds: ALL, coopId: COOP }, EVERYTHING)).toEqual({
			ok: false,
			error: 'other-coop'
		});
	});

	it('reads a backup of a co-op of 100,000 records whole', async () => {
		const doc = new Y.Doc();
		const records = doc.getMap('records');
		for (let index = 0; index < 100_000; index++) records.set(`id-${index}`, recordLike(index));
		doc.getText('notes').insert(0, 'Minutes.');
		const backup = await fileOf('backup', fullUpdate(doc));
		expect(backup.length).toBeGreaterThan(30_000_000);

		const read = await readSyncFile(backup, { kinds: ['backup'] }, EVERYTHING);
		expect(read).toMatchObject({ ok: true, header: { kind: 'backup', roomKey: 'room-key' } });
		if (!read.ok) return;
		const restored = new Y.Doc();
		applyRead(restored, read.payload);
		expect(restored.getMap('records').size).toBe(100_000);
		expect(restored.getMap('records').get('id-99999')).toEqual(recordLike(99_999));
		expect(restored.getText('notes').toJSON()).toBe('Minutes.');
	}, 120_000);
});

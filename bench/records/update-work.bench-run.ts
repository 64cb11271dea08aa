import { it } from 'vitest';
import * as Y from 'yjs';
import { encodeSyncFile } from '$lib/sync/file-sync';
import { EVERYTHING, readSyncFile } from '$lib/sync/file-read';
import { checkUpdate, UPDATE_LIMITS } from '$lib/sync/update-bounds';
import { craftedUpdate } from '../../tests/unit/sync/crafted-update';
import { buildCoop } from './build-coop';

/**
 * What reading a sync file costs: the work counts (`update-bounds.ts`) of a real co-op's whole
 * update, against the limits, and the time to count and to read it whole (`readSyncFile`, what
 * the worker runs). Then a crafted update: counted and refused, and what Yjs alone would spend.
 * Figures are printed, never asserted.
 */

const SIZES = [10_000, 100_000];
const MEMBERS = 100;

function timed<T>(run: () => T): { value: T; ms: number } {
	const start = performance.now();
	const value = run();
	return { value, ms: Math.round(performance.now() - start) };
}

async function timedAsync<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const start = performance.now();
	const value = await run();
	return { value, ms: Math.round(performance.now() - start) };
}

it('prints the work in real and crafted sync files', async () => {
	console.log(
		`\nSync file work (Node ${process.version}); limits ${JSON.stringify(UPDATE_LIMITS)}\n`
	);
	for (const size of SIZES) {
		const { coop, entries } = await buildCoop(size, MEMBERS);
		const doc = new Y.Doc();
		const records = doc.getMap('records');
		// As the app writes them: one transaction per record.
		for (const [id, record] of entries) records.set(id, record);
		doc.getText('notes').insert(0, 'Minutes of the general assembly.');
		const update = Y.encodeStateAsUpdate(doc);
		const check = timed(() => checkUpdate(update));
		const file = await encodeSyncFile(
			{ kind: 'update', coopId: coop, coopName: 'Bench co-op', createdAt: 0 },
			update
		);
		const read = await timedAsync(() => readSyncFile(file, { kinds: ['update'] }, EVERYTHING));
		if (!read.value.ok) throw new Error(`The bench co-op was refused: ${read.value.error}`);
		const work = check.value.ok ? JSON.stringify(check.value.work) : check.value.error;
		console.log(
			`${size.toLocaleString('en-US')} records: ${(update.length / 1e6).toFixed(1)} MB, ` +
				`work ${work}; counted in ${check.ms} ms, read whole in ${read.ms} ms`
		);
	}
	for (const structs of [UPDATE_LIMITS.structs + 1, 3_000_000]) {
		const update = craftedUpdate(structs);
		const check = timed(() => checkUpdate(update));
		const yjs = timed(() => Y.applyUpdate(new Y.Doc(), update));
		console.log(
			`crafted, ${structs.toLocaleString('en-US')} structs (${(update.length / 1e6).toFixed(1)} MB): ` +
				`${check.value.ok ? 'accepted' : check.value.error} in ${check.ms} ms; Yjs alone applies it in ${yjs.ms} ms`
		);
	}
});

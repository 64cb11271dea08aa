import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateLog } from '../../../src/peer/update-log';
import { persistenceAdapterSuite } from './persistence-adapter-suite';

let dir = '';

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ours-update-log-'));
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

const logPath = () => join(dir, 'doc.ylog');

persistenceAdapterSuite("The peer's update log", {
	adapter: () => (doc) => new UpdateLog(logPath(), doc)
});

describe("the peer's update log", () => {
	it('ends at a frame cut short, and is compacted to one update on load', async () => {
		const doc = new Y.Doc();
		const log = new UpdateLog(logPath(), doc);
		await log.loaded;
		for (const word of ['one ', 'two ', 'three ']) doc.getText('notes').insert(0, word);
		await log.close();
		// Power lost in the middle of a frame: its header says more than follows.
		await appendFile(logPath(), new Uint8Array([200, 0, 0, 0, 1, 2]));

		const reopened = new Y.Doc();
		const again = new UpdateLog(logPath(), reopened);
		await again.loaded;
		expect(again.updates).toBe(4);
		expect(reopened.getText('notes').toJSON()).toBe('three two one ');
		await again.close();

		const third = new UpdateLog(logPath(), new Y.Doc());
		await third.loaded;
		expect(third.updates).toBe(1);
		await third.close();
		expect((await readFile(logPath())).length).toBeGreaterThan(4);
	});
});

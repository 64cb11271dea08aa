import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeBase64url } from '$lib/crypto/base64url';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { generateSigningKey, type SigningKey } from '$lib/crypto/keys';
import { signBytes } from '$lib/crypto/sign';
import { genesisDraft } from '$lib/domain/settings/commands';
import { profileDraft } from '$lib/domain/membership/commands';
import { newCoopId } from '$lib/domain/kernel/coop-id';
import { recordId } from '$lib/domain/kernel/sign';
import { signRecord } from '$lib/domain/registry';
import { SignedRecords } from '$lib/session/signed-records';
import { IndexedDbVault, vaultDatabaseName } from '$lib/storage/vault';
import { link } from './linked-docs';

/**
 * Hostile members with a valid key, writing into the records map with raw Yjs: overwrites that
 * look equal to a record, floods of junk, junk signed by its writer. Real Y.Docs, joined in
 * memory as y-webrtc would; the real vault on fake-indexeddb.
 */

let open: SignedRecords[] = [];

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
	await Promise.all(open.map((records) => records.close()));
	open = [];
});

async function openRecords(coop: string, key: SigningKey, doc = new Y.Doc()) {
	const records = await SignedRecords.open({
		coopId: coop,
		doc,
		key,
		vault: new IndexedDbVault(coop)
	});
	open.push(records);
	return { doc, records };
}

/** A co-op founded with `created: 0` in its genesis, so a `-0` can stand for it. */
async function founded() {
	const key = await generateSigningKey();
	const { coop, salt } = await newCoopId(key.publicKey);
	const { doc, records } = await openRecords(coop, key);
	const written = await records.write(
		(context) => genesisDraft(context, { name: 'Boulangerie', created: 0, salt }),
		(context) =>
			profileDraft(context, { displayName: 'Ada', bio: '', skills: ['baking'], contact: '' })
	);
	if (!written.ok) throw new Error(written.messageKey);
	const [genesisId, profileId] = written.ids as [string, string];
	return { key, coop, doc, records, genesisId, profileId };
}

/** A key of the form of a record id that names nothing. */
function fakeId(index: number): string {
	const bytes = new Uint8Array(32);
	new DataView(bytes.buffer).setUint32(0, index);
	bytes[31] = 7;
	return encodeBase64url(bytes);
}

async function signedBy(draft: Record<string, unknown>, signer: SigningKey) {
	const record = { ...draft, sig: await signBytes(signer.privateKey, canonicalBytes(draft)) };
	return { id: await recordId(record as never), record };
}

async function until(condition: () => boolean): Promise<void> {
	for (let wait = 0; !condition(); wait++) {
		if (wait > 20_000) throw new Error('Timed out');
		await new Promise((resolve) => setTimeout(resolve, 1));
	}
}

describe('a record overwritten with a value equal to it, but not its canonical bytes', () => {
	it('is put back, so a device that never held it accepts it', async () => {
		const { doc, records, coop, genesisId } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap<Record<string, unknown>>('records');
		// `-0 === 0`, but JCS has no -0: whoever verifies this value rejects it.
		theirs.set(genesisId, { ...theirs.get(genesisId), created: -0 });
		await records.settled();
		expect(records.state.restored).toBe(1);
		expect(Object.is(theirs.get(genesisId)?.created, 0)).toBe(true);

		// A new device, with an empty vault, syncing with the hostile peer.
		globalThis.indexedDB = new IDBFactory();
		const newcomer = await openRecords(coop, await generateSigningKey());
		link(hostile, newcomer.doc);
		await newcomer.records.settled();
		expect(newcomer.records.state.roster.coop?.name).toBe('Boulangerie');
		expect(newcomer.records.state.junk.total).toBe(0);
	});

	it('is put back when it is a shared type holding the same fields', async () => {
		const { doc, records, profileId } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap<unknown>('records');
		const copy = new Y.Map<unknown>(Object.entries(theirs.get(profileId) as object));
		theirs.set(profileId, copy);
		await records.settled();
		expect(theirs.get(profileId)).not.toBeInstanceOf(Y.Map);
		expect(records.state.restored).toBe(1);
	});
});

describe('a flood of junk from a member with the room key', () => {
	it('leaves one ledger row and no rejection rows in the vault, and is removed from the map', async () => {
		const { doc, records, coop, key } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap<unknown>('records');
		const FLOOD = 100_000;
		hostile.transact(() => {
			for (let index = 0; index < FLOOD; index++) {
				// Half fail at the key, half get as far as the record's shape.
				if (index % 2 === 0) theirs.set(`junk-${index}`, { index });
				else theirs.set(fakeId(index), { v: 1, type: 'member.profile', index });
			}
		});
		await records.settled();
		expect(records.state.junk).toMatchObject({
			total: FLOOD,
			unattributed: FLOOD,
			byReason: { 'hash-mismatch': FLOOD / 2, 'invalid-shape': FLOOD / 2 }
		});
		expect(records.state.junk.recent.length).toBeLessThanOrEqual(100);
		// Every junk entry is gone, in the flooder's copy too: Yjs can collect it.
		expect(doc.getMap('records').size).toBe(2);
		expect(theirs.size).toBe(2);
		await records.close();
		open = open.filter((entry) => entry !== records);

		const db = await openDB(vaultDatabaseName(coop));
		expect([...db.objectStoreNames].sort()).toEqual(['chunks', 'junk']);
		expect(await db.count('junk')).toBe(1);
		expect(await db.count('chunks')).toBe(1);
		db.close();

		const reopened = await openRecords(coop, key, doc);
		expect(reopened.records.state.junk.total).toBe(FLOOD);
		expect(reopened.records.state.roster.members.map((member) => member.displayName)).toEqual([
			'Ada'
		]);
	});

	it('lets an honest record written after the flood arrive before the flood is judged', async () => {
		const { doc, records, coop, key } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap<unknown>('records');
		const FLOOD = 50_000;
		hostile.transact(() => {
			for (let index = 0; index < FLOOD; index++) {
				theirs.set(fakeId(index), { v: 1, type: 'member.profile', index });
			}
		});
		const { record } = await signRecord(
			{
				v: 1,
				type: 'member.profile',
				coop,
				author: key.publicKey,
				at: `${Date.now() + 60_000}-0000`,
				displayName: 'Ada L.',
				bio: '',
				skills: [],
				contact: ''
			} as never,
			key
		);
		const honest = await recordId(record);
		theirs.set(honest, record);
		await until(() => records.get(honest) !== undefined);
		// The honest record got its turn while most of the flood still waited.
		expect(theirs.size).toBeGreaterThan(FLOOD / 2);
		await until(() => records.state.roster.members[0]?.displayName === 'Ada L.');
		await records.settled();
		expect(theirs.size).toBe(3);
	});

	it('fails values of any size on a cheap check, and removes them', async () => {
		const { doc, records } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap<unknown>('records');
		const huge = 'x'.repeat(20 * 1024 * 1024);
		theirs.set(fakeId(1), { v: 1, type: 'member.profile', bio: huge });
		theirs.set(fakeId(2), huge);
		theirs.set(fakeId(3), { v: 1, list: Array.from({ length: 1_000_000 }, (_, index) => index) });
		await records.settled();
		expect(records.state.junk.byReason).toEqual({ 'too-large': 2, 'invalid-shape': 1 });
		expect(theirs.size).toBe(2);
		// Deleted content is garbage-collected: the document no longer carries the 20 MB.
		expect(Y.encodeStateAsUpdate(hostile).byteLength).toBeLessThan(100_000);
	});
});

describe('who made the junk', () => {
	it('names the signer of junk they signed, and never a member whose record is replayed or forged', async () => {
		const { doc, records, coop, key, profileId } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap<unknown>('records');
		const flooder = await generateSigningKey();
		const at = `${Date.now()}-0000`;
		// Signed by the flooder, stored under its own id, and invalid: only its author made it.
		const signed = await Promise.all(
			Array.from({ length: 20 }, (_, index) =>
				signedBy({ v: 1, type: 'spam', coop, author: flooder.publicKey, at, index }, flooder)
			)
		);
		// Claims to be Ada's, signed by the flooder.
		const forged = await Promise.all(
			Array.from({ length: 5 }, (_, index) =>
				signedBy({ v: 1, type: 'spam', coop, author: key.publicKey, at, index }, flooder)
			)
		);
		// Ada's own valid profile, replayed under keys that are not its id.
		const adaProfile = theirs.get(profileId);
		hostile.transact(() => {
			for (const { id, record } of [...signed, ...forged]) theirs.set(id, record);
			for (let index = 0; index < 5; index++) theirs.set(fakeId(index), adaProfile);
		});
		await records.settled();
		const { junk } = records.state;
		expect(junk.total).toBe(30);
		expect(junk.bySigner).toEqual({ [flooder.publicKey]: 20 });
		expect(junk.unattributed).toBe(10);
		expect(junk.byReason).toEqual({ 'invalid-shape': 25, 'hash-mismatch': 5 });
	});
});

describe('a record of a type this version does not know', () => {
	it("stays in the map when a member's device signed it, and is removed when anyone else did", async () => {
		const { doc, records, coop, key } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap<unknown>('records');
		const stranger = await generateSigningKey();
		const at = `${Date.now()}-0000`;
		// What a later version of the app might write: a new area's record, signed by Ada's device.
		const later = await signedBy(
			{ v: 1, type: 'work.job-posted', coop, author: key.publicKey, at, title: 'Deliveries' },
			key
		);
		const strangers = await signedBy(
			{ v: 1, type: 'work.job-posted', coop, author: stranger.publicKey, at, title: 'Spam' },
			stranger
		);
		hostile.transact(() => {
			theirs.set(later.id, later.record);
			theirs.set(strangers.id, strangers.record);
		});
		await records.settled();
		expect(records.state.junk.total).toBe(2);
		expect(theirs.has(later.id)).toBe(true);
		expect(theirs.has(strangers.id)).toBe(false);
	});
});

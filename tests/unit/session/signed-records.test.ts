import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { generateSigningKey, type SigningKey } from '$lib/crypto/keys';
import { signBytes } from '$lib/crypto/sign';
import { genesisDraft } from '$lib/domain/settings/commands';
import { profileDraft } from '$lib/domain/membership/commands';
import { newCoopId } from '$lib/domain/kernel/coop-id';
import { recordId } from '$lib/domain/kernel/sign';
import { verifyAll } from '$lib/domain/registry';
import { RESTORE_ORIGIN, SignedRecords, type Verifier } from '$lib/session/signed-records';
import { IndexedDbVault } from '$lib/storage/vault';
import { link } from './linked-docs';

/**
 * A member's device and a hostile peer with the room key, their documents joined in memory: every
 * update of one is applied to the other, as y-webrtc would. The hostile peer uses raw Yjs.
 */

let open: SignedRecords[] = [];

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
	await Promise.all(open.map((records) => records.close()));
	open = [];
});

async function founded(options: { verify?: Verifier; now?: () => number } = {}) {
	const key = await generateSigningKey();
	const { coop, salt } = await newCoopId(key.publicKey);
	const doc = new Y.Doc();
	const records = await SignedRecords.open({
		coopId: coop,
		doc,
		key,
		vault: new IndexedDbVault(coop),
		...options
	});
	open.push(records);
	const written = await records.write(
		(context) => genesisDraft(context, { name: 'Boulangerie', created: Date.now(), salt }),
		(context) =>
			profileDraft(context, { displayName: 'Ada', bio: '', skills: ['baking'], contact: '' })
	);
	if (!written.ok) throw new Error(written.messageKey);
	const [genesisId, profileId] = written.ids as [string, string];
	return { key, coop, doc, records, genesisId, profileId };
}

/** A record signed by `signer`, whatever author it claims. */
async function forged(draft: Record<string, unknown>, signer: SigningKey) {
	const record = { ...draft, sig: await signBytes(signer.privateKey, canonicalBytes(draft)) };
	return { id: await recordId(record as never), record };
}

/** Junk: a member's leave in the co-op, signed by a stranger's key. */
async function forgedLeave(coop: string, author: string) {
	const stranger = await generateSigningKey();
	return forged({ v: 1, type: 'member.leave', coop, author, at: `${Date.now()}-0009` }, stranger);
}

describe('signed records of an open co-op', () => {
	it('writes a command as signed records in one transaction, and projects them', async () => {
		const { doc, records, key } = await founded();
		const map = doc.getMap('records');
		expect(map.size).toBe(2);
		const { roster } = records.state;
		expect(roster.coop?.name).toBe('Boulangerie');
		expect(roster.members).toMatchObject([{ id: key.publicKey, displayName: 'Ada' }]);
		expect(roster.integrity).toMatchObject({ checked: 2, accepted: 2, rejected: 0 });
	});

	it('returns the message key of bad input and writes nothing', async () => {
		const { doc, records } = await founded();
		const result = await records.write((context) =>
			profileDraft(context, { displayName: '', bio: '', skills: [], contact: '' })
		);
		expect(result).toMatchObject({ ok: false, messageKey: 'record_display_name_empty' });
		expect(doc.getMap('records').size).toBe(2);
	});

	it('puts back a record a hostile peer deletes with raw Yjs', async () => {
		const { doc, records, genesisId } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap('records');
		expect(theirs.has(genesisId)).toBe(true);

		theirs.delete(genesisId);
		expect(theirs.has(genesisId)).toBe(true);
		expect(doc.getMap('records').has(genesisId)).toBe(true);
		expect(records.state.restored).toBe(1);
		expect(records.state.roster.coop?.name).toBe('Boulangerie');
	});

	it('puts back a record a hostile peer overwrites, and never shows the altered value', async () => {
		const { doc, records, profileId } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const theirs = hostile.getMap('records');
		expect(theirs.has(profileId)).toBe(true);
		const original = JSON.stringify(theirs.get(profileId));
		const altered = { ...(theirs.get(profileId) as object), displayName: 'Mallory' };

		theirs.set(profileId, altered);
		await records.settled();
		expect(JSON.stringify(theirs.get(profileId))).toBe(original);
		expect(records.state.roster.members[0]?.displayName).toBe('Ada');
	});

	it('never lets a forged record reach the roster, and reports it', async () => {
		const { doc, records, coop, key } = await founded();
		const hostile = new Y.Doc();
		link(doc, hostile);
		const mallory = await generateSigningKey();
		const at = `${Date.now() + 1000}-0000`;
		const profile = { displayName: 'Mallory', bio: '', skills: [], contact: '' };
		const base = { v: 1, type: 'member.profile', coop, at, ...profile };
		// Claims to be the founder, signed by someone else.
		const impostor = await forged({ ...base, author: key.publicKey }, mallory);
		// Signed by its author, who is nobody's device: it waits, and never counts.
		const stranger = await forged({ ...base, author: mallory.publicKey }, mallory);
		const theirs = hostile.getMap('records');
		hostile.transact(() => {
			theirs.set(impostor.id, impostor.record);
			theirs.set(stranger.id, stranger.record);
			theirs.set('not-a-hash', { ...impostor.record });
			theirs.set('junk', 42);
		});
		await records.settled();

		const { roster, junk } = records.state;
		expect(roster.members.map((member) => member.displayName)).toEqual(['Ada']);
		expect(roster.integrity.rejected).toBe(0);
		expect(roster.integrity.pending).toBe(1);
		// Keys that cannot be record ids fail before anything is parsed.
		expect(junk).toMatchObject({
			total: 3,
			byReason: { 'bad-signature': 1, 'hash-mismatch': 2 },
			unattributed: 3,
			bySigner: {}
		});
		expect(roster.integrity.waiting[0]).toMatchObject({
			id: stranger.id,
			reason: 'unknown-author'
		});
		// The junk is gone from the map, everywhere; the valid record waiting stays.
		expect([...theirs.keys()].sort()).toEqual([...doc.getMap('records').keys()].sort());
		expect(theirs.has(impostor.id) || theirs.has('junk') || theirs.has('not-a-hash')).toBe(false);
		expect(theirs.has(stranger.id)).toBe(true);
	});

	it('reopens from the vault without verifying any signature again', async () => {
		const first = await founded();
		const junk = await forgedLeave(first.coop, first.key.publicKey);
		first.doc.getMap('records').set(junk.id, junk.record);
		await first.records.settled();
		const before = first.records.state.roster;
		const junkBefore = first.records.state.junk;
		expect(junkBefore.total).toBe(1);
		const update = Y.encodeStateAsUpdate(first.doc);
		await first.records.close();
		open = open.filter((records) => records !== first.records);

		const verify = vi.fn<Verifier>(verifyAll);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, update);
		const reopened = await SignedRecords.open({
			coopId: first.coop,
			doc,
			key: first.key,
			vault: new IndexedDbVault(first.coop),
			verify
		});
		open.push(reopened);
		expect(verify).not.toHaveBeenCalled();
		expect(reopened.state.roster).toEqual(before);
		expect(reopened.state.junk).toEqual(junkBefore);

		// The vault alone is enough: a record missing from a reopened document is put back.
		doc.getMap('records').delete(first.genesisId);
		expect(doc.getMap('records').has(first.genesisId)).toBe(true);
	});

	it('restores on open what disappeared from the document while the co-op was closed', async () => {
		const first = await founded();
		await first.records.close();
		open = open.filter((records) => records !== first.records);

		const empty = new Y.Doc();
		const reopened = await SignedRecords.open({
			coopId: first.coop,
			doc: empty,
			key: first.key,
			vault: new IndexedDbVault(first.coop)
		});
		open.push(reopened);
		expect(empty.getMap('records').size).toBe(2);
		expect(reopened.state.restored).toBe(2);
	});

	it('puts back on open a record overwritten while the co-op was closed', async () => {
		const first = await founded();
		const update = Y.encodeStateAsUpdate(first.doc);
		await first.records.close();
		open = open.filter((records) => records !== first.records);

		const doc = new Y.Doc();
		Y.applyUpdate(doc, update);
		const map = doc.getMap('records');
		map.set(first.profileId, { ...(map.get(first.profileId) as object), displayName: 'Mallory' });
		const reopened = await SignedRecords.open({
			coopId: first.coop,
			doc,
			key: first.key,
			vault: new IndexedDbVault(first.coop)
		});
		open.push(reopened);
		expect(reopened.state.restored).toBe(1);
		expect(map.get(first.profileId)).toMatchObject({ displayName: 'Ada' });
		expect(reopened.state.roster.members[0]?.displayName).toBe('Ada');
	});

	it('verifies each new entry from a peer once, and never one that fails a cheap check', async () => {
		const verify = vi.fn<Verifier>(verifyAll);
		const { doc, records, coop, key } = await founded({ verify });
		const peer = new Y.Doc();
		link(doc, peer);
		peer.getMap('records').set('junk', { hello: 'world' });
		peer.getMap('records').set('A'.repeat(43), 'x'.repeat(1 << 20));
		await records.settled();
		expect(verify).not.toHaveBeenCalled();
		expect(records.state.junk.byReason).toEqual({ 'hash-mismatch': 1, 'invalid-shape': 1 });
		const junk = await forgedLeave(coop, key.publicKey);
		peer.getMap('records').set(junk.id, junk.record);
		await records.settled();
		expect(verify).toHaveBeenCalledTimes(1);
		expect(verify.mock.calls[0]?.[0]).toEqual([[junk.id, junk.record]]);
		peer.getMap('notes-not-records').set('x', 1);
		await records.settled();
		expect(verify).toHaveBeenCalledTimes(1);
	});

	describe('while the stored document is still loading', () => {
		/** A founded co-op, closed, with its document as an update: what the disk holds. */
		async function closedCoop() {
			const first = await founded();
			const update = Y.encodeStateAsUpdate(first.doc);
			const roster = first.records.state.roster;
			await first.records.close();
			open = open.filter((records) => records !== first.records);
			return { ...first, update, roster };
		}

		/** Opens the records with a document that loads when `load` is called. */
		async function reopenLoading(coop: string, key: SigningKey, verify?: Verifier) {
			const doc = new Y.Doc();
			let loaded: () => void = () => {};
			const records = await SignedRecords.open({
				coopId: coop,
				doc,
				key,
				vault: new IndexedDbVault(coop),
				docLoaded: new Promise<void>((resolve) => (loaded = resolve)),
				...(verify ? { verify } : {})
			});
			open.push(records);
			return { doc, records, loaded: () => loaded() };
		}

		it('shows the roster from the vault at once, and judges the document once it has loaded', async () => {
			const first = await closedCoop();
			const verify = vi.fn<Verifier>(verifyAll);
			const { doc, records, loaded } = await reopenLoading(first.coop, first.key, verify);

			// Ready before the document: the whole roster, and the records for recounts.
			expect(records.state.roster).toEqual(first.roster);
			const profile = records.get(first.profileId) as { skills: string[] };
			expect(Object.isFrozen(profile)).toBe(true);
			expect(Object.isFrozen(profile.skills)).toBe(true);
			// An empty document still loading is not a document whose records were all deleted.
			await Promise.resolve();
			expect(doc.getMap('records').size).toBe(0);
			expect(records.state.restored).toBe(0);

			Y.applyUpdate(doc, first.update);
			loaded();
			await records.loaded;
			expect(records.state.restored).toBe(0);
			expect(records.state.roster).toEqual(first.roster);
			expect(verify).not.toHaveBeenCalled();
		});

		it('puts back, once loaded, what the stored document lost', async () => {
			const first = await closedCoop();
			const { doc, records, loaded } = await reopenLoading(first.coop, first.key);
			Y.applyUpdate(doc, first.update);
			doc.getMap('records').delete(first.genesisId);
			loaded();
			await records.settled();
			expect(records.state.restored).toBe(1);
			expect(doc.getMap('records').has(first.genesisId)).toBe(true);
		});

		it('verifies, once loaded, the entries of the document that the vault lacks', async () => {
			const first = await closedCoop();
			const { doc, records, loaded } = await reopenLoading(first.coop, first.key);
			const junk = await forgedLeave(first.coop, first.key.publicKey);
			Y.applyUpdate(doc, first.update);
			doc.getMap('records').set(junk.id, junk.record);
			expect(records.state.junk.total).toBe(0);
			loaded();
			await records.loaded;
			expect(records.state.junk.recent).toMatchObject([{ id: junk.id, reason: 'bad-signature' }]);
			expect(doc.getMap('records').has(junk.id)).toBe(false);
		});

		it('writes before the document has loaded, and keeps the write once it has', async () => {
			const first = await closedCoop();
			const { doc, records, loaded } = await reopenLoading(first.coop, first.key);
			const written = await records.write((context) =>
				profileDraft(context, { displayName: 'Ada L.', bio: '', skills: [], contact: '' })
			);
			if (!written.ok) throw new Error(written.messageKey);
			expect(records.state.roster.members[0]?.displayName).toBe('Ada L.');

			Y.applyUpdate(doc, first.update);
			loaded();
			await records.loaded;
			expect(doc.getMap('records').size).toBe(3);
			expect(records.state.restored).toBe(0);
			expect(records.state.roster.members[0]?.displayName).toBe('Ada L.');
		});

		it('compares a large map with the vault a slice at a time, and repairs and judges it', async () => {
			const first = await closedCoop();
			const map = () => doc.getMap('records');
			// Many records the vault holds (trusted as kept, so copies of the profile will do).
			const profile = first.doc.getMap('records').get(first.profileId) as object;
			const copies = Array.from({ length: 30_000 }, (_, index) => ({
				id: `copy-${index}`,
				record: { ...profile }
			}));
			const vault = new IndexedDbVault(first.coop);
			await vault.putRecords(
				copies.map(({ id, record }) => ({ id, text: JSON.stringify(record) }))
			);
			await vault.close();
			const { doc, records, loaded } = await reopenLoading(first.coop, first.key);
			Y.applyUpdate(doc, first.update);
			doc.transact(() => copies.forEach(({ id, record }) => map().set(id, record)));
			// Lost while the co-op was closed: one deleted, one overwritten; and one junk entry.
			map().delete(first.genesisId);
			map().set(first.profileId, { ...profile, displayName: 'Mallory' });
			const junk = await forgedLeave(first.coop, first.key.publicKey);
			map().set(junk.id, junk.record);

			// Each transaction that puts records back: the keys, and the timer ticks run before it.
			let ticks = 0;
			let timer = setTimeout(function tick() {
				ticks++;
				timer = setTimeout(tick, 0);
			}, 0);
			const restores: Array<{ ticks: number; keys: Set<string | null> }> = [];
			const hostile = await forgedLeave(first.coop, first.key.publicKey);
			doc.on('afterTransaction', (transaction: Y.Transaction) => {
				if (transaction.origin !== RESTORE_ORIGIN || !transaction.local) return;
				restores.push({ ticks, keys: transaction.changed.get(map() as never) ?? new Set() });
				// A peer deletes a record and adds junk while the map is still being compared.
				if (restores.length === 1) {
					setTimeout(() => {
						map().delete('copy-29999');
						map().set(hostile.id, hostile.record);
					}, 0);
				}
			});
			loaded();
			await records.loaded;
			await records.settled();
			clearTimeout(timer);

			expect(map().get(first.profileId)).toEqual(profile);
			expect(map().get(first.genesisId)).toEqual(first.doc.getMap('records').get(first.genesisId));
			expect(map().get('copy-29999')).toEqual(profile);
			expect(records.state.restored).toBe(3);
			expect(records.state.roster.coop?.name).toBe('Boulangerie');
			// The overwritten record was put back in an early slice, the deleted one at the end.
			const when = (key: string) => restores.find(({ keys }) => keys.has(key))?.ticks;
			expect(when(first.genesisId)).toBeGreaterThan(when(first.profileId)!);
			// Both junk entries judged once, and removed.
			expect(records.state.junk.total).toBe(2);
			expect(map().has(junk.id)).toBe(false);
			expect(map().has(hostile.id)).toBe(false);
			expect(map().size).toBe(30_002);
		});

		it('closes without waiting for a document that never loads', async () => {
			const first = await closedCoop();
			const { records } = await reopenLoading(first.coop, first.key);
			open = open.filter((entry) => entry !== records);
			await records.close();
			await records.loaded;
		});

		it('keeps the records of a co-op whose document fails to load, and puts them back', async () => {
			const first = await closedCoop();
			const doc = new Y.Doc();
			const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
			const records = await SignedRecords.open({
				coopId: first.coop,
				doc,
				key: first.key,
				vault: new IndexedDbVault(first.coop),
				docLoaded: Promise.reject(new Error('IndexedDB broke'))
			});
			open.push(records);
			await records.loaded;
			expect(warn).toHaveBeenCalled();
			warn.mockRestore();
			expect(records.state.roster).toEqual(first.roster);
			expect(doc.getMap('records').size).toBe(2);
		});
	});

	it('reads a record the vault kept twice as one record', async () => {
		const first = await founded();
		await first.records.close();
		open = open.filter((records) => records !== first.records);
		const record = first.doc.getMap('records').get(first.profileId);
		const again = new IndexedDbVault(first.coop);
		await again.putRecords([{ id: first.profileId, text: JSON.stringify(record) }]);
		await again.close();

		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(first.doc));
		const reopened = await SignedRecords.open({
			coopId: first.coop,
			doc,
			key: first.key,
			vault: new IndexedDbVault(first.coop)
		});
		open.push(reopened);
		expect(reopened.state.roster.integrity).toMatchObject({ checked: 2, accepted: 2 });
	});
});

describe('records from the future and arrival times', () => {
	const MINUTE = 60_000;

	it('keeps a record stamped too far ahead waiting, and judges it again when its time comes', async () => {
		let clock = Date.now();
		const { coop, doc, records, key, profileId } = await founded({ now: () => clock });
		expect(records.arrivedAt(profileId)).toBe(clock);
		const ahead = clock + 10 * MINUTE;
		// A valid record of the member, stamped 10 minutes ahead, arriving from a peer.
		const entry = await forged(
			{
				v: 1,
				type: 'member.profile',
				coop,
				author: key.publicKey,
				at: `${ahead}-0000`,
				displayName: 'Ada from later',
				bio: '',
				skills: [],
				contact: ''
			},
			key
		);
		const peer = new Y.Doc();
		link(doc, peer);
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			peer.getMap('records').set(entry.id, entry.record);
			await records.settled();
			expect(records.arrivedAt(entry.id)).toBe(clock);
			expect(records.state.roster.integrity.waiting).toMatchObject([
				{ id: entry.id, reason: 'future' }
			]);
			expect(records.state.roster.members[0]?.displayName).toBe('Ada');
			clock = ahead - 5 * MINUTE;
			vi.advanceTimersByTime(10 * MINUTE);
			expect(records.state.roster.integrity.waiting).toEqual([]);
			expect(records.state.roster.members[0]?.displayName).toBe('Ada from later');
		} finally {
			vi.useRealTimers();
		}
	});
});

import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from '$lib/crypto/keys';
import { randomSecret } from '$lib/crypto/random';
import { newCoopId } from '$lib/domain/kernel/coop-id';
import { inviteDraft } from '$lib/domain/membership/commands';
import { newInviteSecret } from '$lib/domain/membership/proofs';
import { checkPresented, presentCredential } from '$lib/credentials/presentation';
import { CoopSession, type SessionCoop } from '$lib/session/coop-session';
import { coopCredential } from '../credentials/coop-credential';
import { MemoryDevice, MemoryHub } from './memory-adapters';

/**
 * `CoopSession` given in-memory adapters: a co-op founded on one device, joined from another
 * through the session's own join flow, and reopened from what a device kept.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

let open: CoopSession[] = [];

afterEach(async () => {
	await Promise.all(open.map((session) => session.close()));
	open = [];
});

/** A device's session, and the co-ops whose pending step it has settled. */
async function openOn(device: MemoryDevice, coop: SessionCoop, hub: MemoryHub) {
	const settled: string[] = [];
	const session = await CoopSession.open(coop, device.adapters(hub), {
		keys: device.keys,
		settled: (coopId) => {
			settled.push(coopId);
			return Promise.resolve();
		},
		seen: () => Promise.resolve()
	});
	open.push(session);
	return { session, settled };
}

async function closed(session: CoopSession): Promise<void> {
	open = open.filter((other) => other !== session);
	await session.close();
}

/** Resolves once `check` holds, checked after every change to the session's records. */
function until(session: CoopSession, check: () => boolean): Promise<void> {
	return new Promise((resolve) => {
		if (check()) return resolve();
		const stop = session.records.onChange(() => {
			if (!check()) return;
			stop();
			resolve();
		});
	});
}

const activeNames = (session: CoopSession) =>
	session.records.state.roster.members
		.filter((member) => member.status === 'active')
		.map((member) => member.displayName);

/** Founds a co-op on `device` as the app does: the genesis is written when the co-op opens. */
async function found(device: MemoryDevice, hub: MemoryHub) {
	const key = await generateSigningKey();
	const { coop: id, salt } = await newCoopId(key.publicKey);
	device.keys.put(id, key);
	const coop: SessionCoop = {
		id,
		name: 'Vélo Coop',
		roomKey: randomSecret(),
		pending: { kind: 'found', salt, created: Date.now(), displayName: 'Ada' }
	};
	return { coop, ...(await openOn(device, coop, hub)) };
}

/** Writes the invite record of an invite made with `newInviteSecret`. */
async function invite(session: CoopSession, inviteId: string): Promise<void> {
	const result = await session.records.write((context) =>
		inviteDraft(context, { inviteId, expiresAt: Date.now() + DAY_MS, maxUses: 1 })
	);
	if (!result.ok) throw new Error(result.messageKey);
}

const joining = (founded: SessionCoop, secret: string): SessionCoop => ({
	id: founded.id,
	name: founded.name,
	roomKey: founded.roomKey,
	pending: { kind: 'join', secret, displayName: 'Bea' }
});

/** The join records in a session's document. */
const joins = (session: CoopSession) =>
	[...session.doc.getMap('records').values()].filter(
		(record) => (record as { type?: unknown }).type === 'member.join'
	).length;

describe('CoopSession', () => {
	it('founds a co-op once, on opening, and settles it once', async () => {
		const hub = new MemoryHub();
		const { session, settled } = await found(new MemoryDevice(), hub);
		await until(session, () => session.membership.kind === 'member');
		expect(session.records.state.roster.coop?.name).toBe('Vélo Coop');
		expect(activeNames(session)).toEqual(['Ada']);
		// The genesis is written from one change of the records and settled from the next.
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(settled).toEqual([session.coop.id]);
	});

	it('joins from another device once the invite has synced, and both rosters agree', async () => {
		const hub = new MemoryHub();
		const founder = await found(new MemoryDevice(), hub);
		await until(founder.session, () => founder.session.membership.kind === 'member');

		// Bea opens the invite link before its record reached her: she waits for it.
		const { secret, inviteId } = await newInviteSecret();
		const joiner = await openOn(new MemoryDevice(), joining(founder.coop, secret), hub);
		expect(joiner.session.membership.kind).toBe('waiting');
		expect(joins(joiner.session)).toBe(0);

		await invite(founder.session, inviteId);
		await until(joiner.session, () => joiner.session.membership.kind === 'member');
		await until(founder.session, () => activeNames(founder.session).length === 2);

		expect(activeNames(joiner.session)).toEqual(['Ada', 'Bea']);
		expect(founder.session.records.state.roster.members).toEqual(
			joiner.session.records.state.roster.members
		);
		const bea = joiner.session.records.state.roster.members[1]!;
		expect(bea.devices).toEqual([joiner.session.key.publicKey]);
		expect(bea.invitedBy).toBe(founder.session.key.publicKey);
		expect(joins(founder.session)).toBe(1);
		expect(joiner.settled).toEqual([founder.coop.id]);
	});

	it('writes a presentation the join carries in the join command; the other device verifies it', async () => {
		const hub = new MemoryHub();
		const founder = await found(new MemoryDevice(), hub);
		await until(founder.session, () => founder.session.membership.kind === 'member');
		const { secret, inviteId } = await newInviteSecret();
		await invite(founder.session, inviteId);
		// The joining device made its key for the co-op, and signed with its key from another co-op.
		const device = new MemoryDevice();
		const key = await generateSigningKey();
		device.keys.put(founder.coop.id, key);
		const { signed, subject } = await coopCredential();
		const presentation = JSON.stringify(
			await presentCredential(signed, subject.key, {
				coop: founder.coop.id,
				member: key.publicKey,
				now: Date.now()
			})
		);
		const coop = joining(founder.coop, secret);
		const joiner = await openOn(
			device,
			{ ...coop, pending: { kind: 'join', secret, displayName: 'Bea', presentation } },
			hub
		);
		await until(joiner.session, () => joiner.session.membership.kind === 'member');
		await until(
			founder.session,
			() => founder.session.records.state.roster.credentials.presented.length === 1
		);
		const [shown] = founder.session.records.state.roster.credentials.presented;
		expect(shown?.member).toBe(key.publicKey);
		const check = await checkPresented(shown!.presentation, {
			coop: founder.coop.id,
			member: shown!.member,
			now: Date.now()
		});
		expect(check.status).toBe('verified');
	});

	it('comes back from what the device kept, and never writes a join twice', async () => {
		const hub = new MemoryHub();
		const founder = await found(new MemoryDevice(), hub);
		await until(founder.session, () => founder.session.membership.kind === 'member');
		const { secret, inviteId } = await newInviteSecret();
		await invite(founder.session, inviteId);
		const device = new MemoryDevice();
		const coop = joining(founder.coop, secret);
		const joiner = await openOn(device, coop, hub);
		await until(joiner.session, () => joiner.session.membership.kind === 'member');
		joiner.session.notes.insert(0, 'Agenda: spare parts.');
		const records = joiner.session.doc.getMap('records').size;
		await closed(joiner.session);
		await closed(founder.session);

		// Alone, with the join still pending (closed before it was settled): nothing is written.
		const again = await openOn(device, coop, new MemoryHub());
		expect(again.session.membership.kind).toBe('member');
		expect(activeNames(again.session)).toEqual(['Ada', 'Bea']);
		expect(again.session.notes.toJSON()).toBe('Agenda: spare parts.');
		expect(again.session.doc.getMap('records').size).toBe(records);
		expect(joins(again.session)).toBe(1);
		expect(again.settled).toEqual([coop.id]);
		await closed(again.session);

		// Settled: it opens from the vault, before its document has loaded.
		const settled = { id: coop.id, name: coop.name, roomKey: coop.roomKey };
		const reopened = await openOn(device, settled, new MemoryHub());
		expect(activeNames(reopened.session)).toEqual(['Ada', 'Bea']);
		expect(reopened.session.membership.kind).toBe('member');
		expect(reopened.session.notes.toJSON()).toBe('');
		await reopened.session.loaded;
		expect(reopened.session.notes.toJSON()).toBe('Agenda: spare parts.');
		expect(reopened.session.network.status.peers).toBe(0);
	});
});

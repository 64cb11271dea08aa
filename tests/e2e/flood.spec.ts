import { expect, test } from '@playwright/test';
import type * as YType from 'yjs';
import type { SigningKey } from '$lib/crypto/keys';
import type { joinDraft, profileDraft } from '$lib/domain/membership/commands';
import type { formatHlc } from '$lib/domain/kernel/hlc';
import type { proveInvite } from '$lib/domain/membership/proofs';
import type { signRecord } from '$lib/domain/registry';
import { barePage } from './bare-page';
import { craftedUpdate, varUint } from './crafted-file';
import {
	appendNotes,
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	notes,
	openArea,
	openNotes,
	RELAY_URL
} from './fixtures';

/**
 * A member with a valid key floods the co-op's record map. Mallory is invited like anyone, but her
 * device is a bare page (flooder-page.ts, bundled before the test and served by a throwaway
 * server) that joins through the app's own sync layer and signing code, then writes junk with raw
 * Yjs: records she signed that are invalid, entries under keys that cannot be record ids, and one
 * large value. The app holds no test hook: the flood reaches the members as a peer's update.
 */

const SIGNED_JUNK = 3000;
const BAD_KEYS = 5000;

/** What flooder-page.ts puts on `window`, and what the flood keeps there. */
interface Flooder {
	flooder: {
		Y: typeof YType;
		PeerSync: new (...args: unknown[]) => unknown;
		WebrtcProvider: new (
			room: string,
			doc: YType.Doc,
			options: object
		) => { room: { webrtcConns: Map<string, PeerConn> } | null; destroy: () => void };
		roomName: (coop: string) => string;
		encodeBase64url: (bytes: Uint8Array) => string;
		canonicalBytes: (value: unknown) => Uint8Array<ArrayBuffer>;
		sha256Base64url: (bytes: Uint8Array<ArrayBuffer>) => Promise<string>;
		signBytes: (key: CryptoKey, bytes: Uint8Array<ArrayBuffer>) => Promise<string>;
		generateSigningKey: () => Promise<SigningKey>;
		joinDraft: typeof joinDraft;
		profileDraft: typeof profileDraft;
		formatHlc: typeof formatHlc;
		proveInvite: typeof proveInvite;
		signRecord: typeof signRecord;
	};
	doc: YType.Doc;
	key: SigningKey;
}

/** A peer connection as y-webrtc holds it: simple-peer sends data-channel messages. */
interface PeerConn {
	connected: boolean;
	peer: { send: (data: Uint8Array) => void };
}

test('a member who floods the records is named, and the others keep working', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Coop Inondée', '/', 'Ada');
	const forBea = await inviteLink(a.page);
	const forMallory = await inviteLink(a.page);
	await joinWithLink(b.page, forBea, 'Coop Inondée', 'Bea');
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea'], { timeout: 30_000 });

	const fragment = new URLSearchParams(new URL(forMallory).hash.slice(1));
	const invite = {
		coop: fragment.get('coop')!,
		roomKey: fragment.get('key')!,
		secret: fragment.get('invite')!,
		relay: RELAY_URL
	};
	const bare = await barePage(browser, 'tests/e2e/flooder-page.ts', 'flooder');
	const mallory = bare.page;

	// Mallory joins with her invite, as the app would: a join and a profile, signed.
	await mallory.evaluate(async ({ coop, roomKey, secret, relay }) => {
		const w = window as never as Flooder;
		const { Y, PeerSync, formatHlc } = w.flooder;
		const doc = new Y.Doc();
		new PeerSync({ coopId: coop, roomKey, doc }, { signalingUrls: [relay], iceServers: [] });
		const records = doc.getMap<{ type?: string }>('records');
		// Both invites must have synced before the join can count.
		await new Promise<void>((resolve) => {
			const check = () => {
				const invites = [...records.values()].filter((record) => record.type === 'member.invite');
				if (invites.length < 2) return;
				records.unobserve(check);
				resolve();
			};
			records.observe(check);
			check();
		});
		const key = await w.flooder.generateSigningKey();
		let tick = 0;
		const context = () => ({
			coop,
			author: key.publicKey,
			at: formatHlc({ wall: Date.now(), counter: tick++ })
		});
		const proof = await w.flooder.proveInvite(secret, coop, key.publicKey);
		const join = w.flooder.joinDraft(context(), proof);
		const profile = w.flooder.profileDraft(context(), {
			displayName: 'Mallory',
			bio: '',
			skills: [],
			contact: ''
		});
		if (!join.ok || !profile.ok) throw new Error('Draft refused');
		const joined = await w.flooder.signRecord(join.draft, key);
		const named = await w.flooder.signRecord(profile.draft, key);
		doc.transact(() => {
			records.set(joined.id, joined.record);
			records.set(named.id, named.record);
		});
		w.doc = doc;
		w.key = key;
	}, invite);
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea', 'Mallory'], {
		timeout: 30_000
	});
	const valid = await mallory.evaluate(
		() => (window as never as Flooder).doc.getMap('records').size
	);

	// The flood: records Mallory signed that no honest app would sign (a name far too long),
	// keys that cannot be record ids, and a value far larger than any record.
	await mallory.evaluate(
		async ({ coop, signedJunk, badKeys }) => {
			const w = window as never as Flooder;
			const { canonicalBytes, sha256Base64url, signBytes, encodeBase64url, formatHlc } = w.flooder;
			const at = formatHlc({ wall: Date.now(), counter: 0 });
			const signed = await Promise.all(
				Array.from({ length: signedJunk }, async (_, index) => {
					const draft = {
						v: 1,
						type: 'member.profile',
						coop,
						author: w.key.publicKey,
						at,
						displayName: `Flood ${index} `.repeat(20),
						bio: '',
						skills: [],
						contact: ''
					};
					const record = {
						...draft,
						sig: await signBytes(w.key.privateKey, canonicalBytes(draft))
					};
					return [await sha256Base64url(canonicalBytes(record)), record] as const;
				})
			);
			const records = w.doc.getMap('records');
			w.doc.transact(() => {
				for (const [id, record] of signed) records.set(id, record);
				for (let index = 0; index < badKeys; index++) records.set(`junk-${index}`, { index });
				records.set(encodeBase64url(new Uint8Array(32).fill(3)), {
					v: 1,
					bio: 'x'.repeat(5 * 1024 * 1024)
				});
			});
		},
		{ coop: invite.coop, signedJunk: SIGNED_JUNK, badKeys: BAD_KEYS }
	);

	// While the members' devices judge the flood, they keep working: a note typed on one reaches
	// the other.
	await a.page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Notes' })
		.click();
	await appendNotes(a.page, 'Still here.');
	await openNotes(b.page);
	await expect(notes(b.page)).toHaveValue(/Still here\./, { timeout: 30_000 });

	// The junk is removed from the map, in Mallory's copy too.
	await expect
		.poll(() => mallory.evaluate(() => (window as never as Flooder).doc.getMap('records').size), {
			timeout: 90_000
		})
		.toBe(valid);

	// The Integrity page counts the junk, names Mallory for what she signed, and says what
	// cannot be attributed.
	await a.page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Integrity' })
		.click();
	const total = SIGNED_JUNK + BAD_KEYS + 1;
	await expect(a.page.getByTestId('junk-total')).toHaveText(`${total}`, { timeout: 60_000 });
	await expect(a.page.getByTestId('junk-signer')).toHaveText([`Mallory: ${SIGNED_JUNK}`]);
	await expect(a.page.getByTestId('junk-unattributed')).toContainText(`${BAD_KEYS + 1}`);
	await expect(a.page.getByTestId('junk-sample')).toHaveCount(100);
	await expect(a.page.getByTestId('integrity-rejected')).toHaveText(`${total}`);
	await expect(a.page.getByTestId('integrity-accepted')).toHaveText(`${valid}`);
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea', 'Mallory']);

	await bare.close();
	await a.context.close();
	await b.context.close();
});

test('a peer update that asks for too much work is refused unapplied, and sync goes on', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Coop Tenace', '/', 'Ada');
	const link = await inviteLink(a.page);
	await joinWithLink(b.page, link, 'Coop Tenace', 'Bea');
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea'], { timeout: 30_000 });

	// Whoever holds the room key (every link carries it) can talk to the members' devices: this
	// one sends them a sync message whose update holds two million structs, twice the limit.
	const fragment = new URLSearchParams(new URL(link).hash.slice(1));
	const coop = fragment.get('coop')!;
	const update = craftedUpdate(2_000_000);
	const message = Buffer.concat([
		Buffer.from([...varUint(0), ...varUint(2), ...varUint(update.length)]),
		update
	]);
	const bare = await barePage(browser, 'tests/e2e/flooder-page.ts', 'flooder');
	await bare.page.evaluate(
		async ({ coop, roomKey, relay, message }) => {
			const { Y, WebrtcProvider, roomName } = (window as never as Flooder).flooder;
			const bytes = Uint8Array.from(atob(message), (char) => char.charCodeAt(0));
			const provider = new WebrtcProvider(roomName(coop), new Y.Doc(), {
				signaling: [relay],
				password: roomKey,
				peerOpts: { config: { iceServers: [] } }
			});
			const conns = await new Promise<PeerConn[]>((resolve) => {
				const poll = setInterval(() => {
					const up = [...(provider.room?.webrtcConns.values() ?? [])].filter((c) => c.connected);
					if (up.length < 2) return;
					clearInterval(poll);
					resolve(up);
				}, 100);
			});
			// The frames of one chunked message, as the patched y-webrtc sends them:
			// 0x7f | message id | total length | offset | payload.
			const varUint = (value: number) => {
				const out: number[] = [];
				while (value > 0x7f) {
					out.push(0x80 | (value & 0x7f));
					value = Math.floor(value / 128);
				}
				out.push(value);
				return out;
			};
			const chunk = 60 * 1024;
			for (const conn of conns) {
				for (let offset = 0; offset < bytes.length; offset += chunk) {
					const head = [0x7f, ...varUint(4242), ...varUint(bytes.length), ...varUint(offset)];
					const payload = bytes.subarray(offset, offset + chunk);
					const frame = new Uint8Array(head.length + payload.length);
					frame.set(head);
					frame.set(payload, head.length);
					conn.peer.send(frame);
				}
			}
		},
		{ coop, roomKey: fragment.get('key')!, relay: RELAY_URL, message: message.toString('base64') }
	);

	// Both members' devices refuse it and say so; nothing of it is applied, and they go on syncing.
	for (const device of [a, b]) {
		await openArea(device.page, 'Sync & backup');
		await expect(device.page.getByTestId('sync-refused')).toContainText('1 message', {
			timeout: 30_000
		});
		await openNotes(device.page);
	}
	await appendNotes(a.page, 'Unmoved.');
	await expect(notes(b.page)).toHaveValue(/Unmoved\./, { timeout: 30_000 });

	await bare.close();
	await a.context.close();
	await b.context.close();
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { bundleForBrowser } from '../../scripts/bundle-for-browser.js';
import {
	appendNotes,
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	notes,
	RELAY_URL
} from './fixtures';

/**
 * A member with a valid key floods the co-op's record map. Mallory is invited like anyone, but her
 * device is a bare page (flooder-page.ts, bundled before the test and served by a throwaway
 * server) that joins through the app's own sync layer and signing code, then writes junk with raw
 * Yjs: records she signed that are invalid, entries under keys that cannot be record ids, and one
 * large value. The app holds no test hook: the flood reaches the members as a peer's update.
 */

const PAGE = '<!doctype html><title>flooder</title><script type="module" src="/flooder.js"></script>';
const SIGNED_JUNK = 5000;
const BAD_KEYS = 5000;

test('a member who floods the records is named, and the others keep working', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const script = await bundleForBrowser('tests/e2e/flooder-page.ts');
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Coop Inondée', '/', 'Ada');
	await joinWithLink(b.page, await inviteLink(a.page), 'Coop Inondée', 'Bea');
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea'], { timeout: 30_000 });

	await a.page.getByRole('navigation', { name: 'Co-op' }).getByRole('link', { name: 'Home' }).click();
	const fragment = new URLSearchParams(new URL(await inviteLink(a.page)).hash.slice(1));
	const invite = {
		coop: fragment.get('coop')!,
		roomKey: fragment.get('key')!,
		secret: fragment.get('invite')!,
		relay: RELAY_URL
	};
	// Served from a real local address: Chromium's local network checks refuse a page that does
	// not come from one the connection to the relay on 127.0.0.1.
	const server = createServer((request, response) => {
		const isScript = request.url?.endsWith('.js') === true;
		response.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
		response.end(isScript ? script : PAGE);
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const { port } = server.address() as AddressInfo;
	const evil = await browser.newContext({ serviceWorkers: 'block' });
	const mallory = await evil.newPage();
	await mallory.goto(`http://127.0.0.1:${port}/`);
	await mallory.waitForFunction(() => 'flooder' in window);

	type Flooder = typeof import('./flooder-page');
	type Tools = {
		Y: typeof import('yjs');
		PeerSync: new (...args: unknown[]) => unknown;
		encodeBase64url: (bytes: Uint8Array) => string;
		generateSigningKey: typeof import('$lib/crypto/keys').generateSigningKey;
		joinDraft: typeof import('$lib/domain/commands').joinDraft;
		profileDraft: typeof import('$lib/domain/commands').profileDraft;
		formatHlc: typeof import('$lib/domain/hlc').formatHlc;
		proveInvite: typeof import('$lib/domain/proofs').proveInvite;
		signRecord: typeof import('$lib/domain/records').signRecord;
	};
	void (null as unknown as Flooder);
	await mallory.evaluate(async ({ coop, roomKey, secret, relay }) => {
		const w = window as never as { flooder: Tools; doc: unknown; key: unknown };
		const { Y, PeerSync, generateSigningKey, joinDraft, profileDraft, formatHlc } = w.flooder;
		const doc = new Y.Doc();
		new PeerSync(coop, roomKey, doc, { signalingUrls: [relay], iceServers: [] });
		const records = doc.getMap<{ type?: string }>('records');
		// The invite record must have synced before a join can count.
		await new Promise<void>((resolve) => {
			const check = () => {
				if ([...records.values()].filter((record) => record.type === 'member.invite').length < 2)
					return;
				records.unobserve(check);
				resolve();
			};
			records.observe(check);
			check();
		});
		const key = await generateSigningKey();
		const context = () => ({
			coop,
			author: key.publicKey,
			at: formatHlc({ wall: Date.now(), counter: 0 })
		});
		const proof = await w.flooder.proveInvite(secret, coop, key.publicKey);
		const join = joinDraft(context(), proof);
		if (!join.ok) throw new Error('join refused');
		const joined = await w.flooder.signRecord(join.draft, key);
		await new Promise((resolve) => setTimeout(resolve, 5));
		const profile = profileDraft(context(), {
			displayName: 'Mallory',
			bio: '',
			skills: [],
			contact: ''
		});
		if (!profile.ok) throw new Error('profile refused');
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
	const honest = await mallory.evaluate(() =>
		(window as never as { doc: import('yjs').Doc }).doc.getMap('records').size
	);

	// The flood: records Mallory signed that no honest app would sign, keys that cannot be
	// record ids, and a value far larger than any record.
	await mallory.evaluate(
		async ({ coop, signedJunk, badKeys }) => {
			const w = window as never as {
				flooder: Tools;
				doc: import('yjs').Doc;
				key: Awaited<ReturnType<Tools['generateSigningKey']>>;
			};
			const { formatHlc, signRecord, encodeBase64url } = w.flooder;
			const at = formatHlc({ wall: Date.now(), counter: 0 });
			const signed = await Promise.all(
				Array.from({ length: signedJunk }, (_, index) =>
					signRecord(
						{
							v: 1,
							type: 'member.profile',
							coop,
							author: w.key.publicKey,
							at,
							displayName: `Flood ${index} `.repeat(20),
							bio: '',
							skills: [],
							contact: ''
						} as never,
						w.key
					).catch(() => null)
				)
			);
			const records = w.doc.getMap('records');
			w.doc.transact(() => {
				for (const entry of signed) if (entry !== null) records.set(entry.id, entry.record);
				for (let index = 0; index < badKeys; index++) records.set(`junk-${index}`, { index });
				records.set(encodeBase64url(new Uint8Array(32).fill(3)), {
					v: 1,
					bio: 'x'.repeat(5 * 1024 * 1024)
				});
			});
			return signed.filter((entry) => entry !== null).length;
		},
		{ coop: invite.coop, signedJunk: SIGNED_JUNK, badKeys: BAD_KEYS }
	);
});

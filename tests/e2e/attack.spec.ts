import { expect, test } from '@playwright/test';
import { barePage } from './bare-page';
import {
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	RELAY_URL
} from './fixtures';

/**
 * A peer with the room key and no member key, writing into the co-op's document with raw Yjs.
 *
 * The attacker is not the app: it is a bare page whose script (attacker-page.ts) is bundled
 * before the test from the app's own sync layer and crypto helpers, plus Yjs.
 * The page and bundle are served by a throwaway server of the test, so nothing is added to the
 * app or its server. The app holds no test hook: the attack goes through
 * the sync room like any peer's.
 */

test('forged, overwritten and deleted records never count, and deleted ones come back', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Coop Blindée', '/', 'Ada');
	const link = await inviteLink(a.page);
	await joinWithLink(b.page, link, 'Coop Blindée', 'Bea');
	await expect(await memberNames(a.page)).toHaveText(['Ada', 'Bea'], { timeout: 30_000 });

	// The attacker holds the co-op id and room key (a leaked link), never an invite secret.
	const fragment = new URLSearchParams(new URL(link).hash.slice(1));
	const coop = fragment.get('coop')!;
	const roomKey = fragment.get('key')!;
	const bare = await barePage(browser, 'tests/e2e/attacker-page.ts', 'attacker');
	const attacker = bare.page;
	await attacker.evaluate(
		({ coop, roomKey, relay }) => {
			const { Y, PeerSync } = (window as never as { attacker: unknown }).attacker as {
				Y: typeof import('yjs');
				PeerSync: new (...args: unknown[]) => unknown;
			};
			const doc = new Y.Doc();
			new PeerSync({ coopId: coop, roomKey, doc }, { signalingUrls: [relay], iceServers: [] });

			(window as never as { doc: unknown }).doc = doc;
		},
		{ coop, roomKey, relay: RELAY_URL }
	);
	// Genesis, Ada's profile, the invite, Bea's join and profile.
	await expect
		.poll(
			() =>
				attacker.evaluate(
					() => (window as never as { doc: import('yjs').Doc }).doc.getMap('records').size
				),
			{
				timeout: 30_000
			}
		)
		.toBeGreaterThanOrEqual(5);

	const targets = await attacker.evaluate(async () => {
		const w = window as never as {
			doc: import('yjs').Doc;
			attacker: {
				canonicalBytes: (value: unknown) => Uint8Array<ArrayBuffer>;
				sha256Base64url: (bytes: Uint8Array<ArrayBuffer>) => Promise<string>;
				generateSigningKey: () => Promise<{ privateKey: CryptoKey; publicKey: string }>;
				signBytes: (key: CryptoKey, bytes: Uint8Array<ArrayBuffer>) => Promise<string>;
			};
		};
		const { canonicalBytes, sha256Base64url, generateSigningKey, signBytes } = w.attacker;
		const records = w.doc.getMap<Record<string, unknown>>('records');
		const all = [...records.entries()];
		const find = (test: (record: Record<string, unknown>) => boolean) =>
			all.find(([, record]) => test(record))!;
		const [genesisId, genesis] = find((record) => record.type === 'coop.genesis');
		const [adaProfileId] = find((record) => record.displayName === 'Ada');
		const [beaProfileId, beaProfile] = find((record) => record.displayName === 'Bea');
		const [, invite] = find((record) => record.type === 'member.invite');
		const mallory = await generateSigningKey();
		const sign = async (draft: Record<string, unknown>) => {
			const record = { ...draft, sig: await signBytes(mallory.privateKey, canonicalBytes(draft)) };
			return [await sha256Base64url(canonicalBytes(record)), record] as const;
		};
		const at = `${Date.now()}-0000`;
		// A profile in Ada's name, signed by the attacker.
		const impostor = await sign({
			v: 1,
			type: 'member.profile',
			coop: genesis.coop,
			author: genesis.author,
			at,
			displayName: 'Mallory',
			bio: '',
			skills: [],
			contact: ''
		});
		// A join with the invite's id but no secret: its proof is a signature by the wrong key.
		const join = await sign({
			v: 1,
			type: 'member.join',
			coop: genesis.coop,
			author: mallory.publicKey,
			at,
			inviteId: invite.inviteId,
			proof: await signBytes(mallory.privateKey, new Uint8Array([1, 2, 3]))
		});
		w.doc.transact(() => {
			records.set(impostor[0], impostor[1]);
			records.set(join[0], join[1]);
			records.set('junk', { evil: true });
			records.set(beaProfileId, { ...beaProfile, displayName: 'Mallory' });
			records.delete(genesisId);
			records.delete(adaProfileId);
		});
		return { genesisId, adaProfileId, beaProfileId };
	});

	// Every deletion and the overwrite are undone, in the attacker's own copy too.
	await expect
		.poll(
			() =>
				attacker.evaluate(({ genesisId, adaProfileId, beaProfileId }) => {
					const records = (window as never as { doc: import('yjs').Doc }).doc.getMap<{
						displayName?: string;
					}>('records');
					return [
						records.has(genesisId),
						records.has(adaProfileId),
						records.get(beaProfileId)?.displayName
					];
				}, targets),
			{ timeout: 30_000 }
		)
		.toEqual([true, true, 'Bea']);

	for (const page of [a.page, b.page]) {
		await expect(await memberNames(page)).toHaveText(['Ada', 'Bea']);
		await expect(page.getByText('Mallory')).toHaveCount(0);
	}
	await a.page.getByRole('link', { name: 'Integrity' }).click();
	await expect(a.page.getByTestId('integrity-rejected')).toHaveText('3');
	// All three failed verification: counted as junk. Only the join is what its author signed
	// (under its own id, with a bad proof): it is put down to the attacker's key.
	const reasons = a.page.getByTestId('junk-sample');
	await expect(reasons.filter({ hasText: 'Bad signature' })).toHaveCount(1);
	await expect(reasons.filter({ hasText: 'Join without a valid invite' })).toHaveCount(1);
	await expect(reasons.filter({ hasText: 'Stored under a wrong name' })).toHaveCount(1);
	await expect(a.page.getByTestId('junk-signer')).toHaveCount(1);
	await expect(a.page.getByTestId('junk-unattributed')).toContainText('2');
	await expect(a.page.getByTestId('integrity-restored')).not.toHaveText('0');
	await expect(a.page.getByTestId('integrity-accepted')).toHaveText('5');

	await bare.close();
	await a.context.close();
	await b.context.close();
});

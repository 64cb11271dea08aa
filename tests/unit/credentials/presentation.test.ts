import { describe, expect, it } from 'vitest';
import type { JsonValue } from '$lib/crypto/canonical-json';
import { generateSigningKey, type SigningKey } from '$lib/crypto/keys';
import { didKeyOf } from '$lib/credentials/did-key';
import {
	checkPresented,
	checkToPresent,
	claimsOf,
	MAX_PRESENTATION_CHARS,
	presentationChallenge,
	presentCredential
} from '$lib/credentials/presentation';
import { projectCoop } from '$lib/domain/coop-state';
import { credentialPresentDraft } from '$lib/domain/credentials/commands';
import { presentationFor } from '$lib/state/presenting';
import { coopCredential } from './coop-credential';
import {
	expectRejected,
	foundCoop,
	MINUTE,
	prng,
	projectWorld,
	recordOutcome,
	shuffle,
	verifiedAll,
	signAs,
	type Device,
	type World
} from '../domain/fixtures';

type Json = { readonly [key: string]: JsonValue };

const NOW = Date.UTC(2026, 5, 1);

/** Co-op A's credential for its third member, and co-op B where that member joined as `people[1]`. */
async function setup() {
	const a = await coopCredential();
	const b = await foundCoop(3);
	return { a, b, holder: a.subject.key, presenter: b.people[1]! };
}

async function present(world: World, device: Device, presentation: string) {
	world.advance(MINUTE);
	return world.write(device, credentialPresentDraft(world.context(device), { presentation }));
}

async function presentationText(
	credential: Json,
	key: SigningKey,
	coop: string,
	member: string
): Promise<string> {
	return JSON.stringify(await presentCredential(credential, key, { coop, member, now: NOW }));
}

const codes = (check: { problems: readonly { code: string }[] }) =>
	check.problems.map((problem) => problem.code);

describe('presenting a credential to another co-op', () => {
	it('the holder presents it while a member of co-op B: every device there verifies it and reads its claims', async () => {
		const { a, b, holder, presenter } = await setup();
		const text = await presentationText(a.signed, holder, b.world.coop, presenter.id);
		const entry = await present(b.world, presenter, text);
		const state = await projectWorld(b.world);
		expect(recordOutcome(state, entry)).toBe('accepted');
		const [shown] = state.credentials.presented;
		expect(shown).toMatchObject({ id: entry.id, member: presenter.id, presentation: text });
		const check = await checkPresented(shown!.presentation, {
			coop: b.world.coop,
			member: shown!.member,
			now: NOW
		});
		expect(codes(check)).toEqual([]);
		expect(check.status).toBe('verified');
		expect(check.presentation?.holder).toBe(didKeyOf(a.subject.id));
		expect(check.membership?.signers.map((signer) => signer.how)).toEqual(['founder', 'invited']);
		expect(check.claims).toMatchObject({
			issuerName: 'Bakery co-op',
			subjectName: 'Sam',
			items: 40
		});
		expect(check.claims?.byKind.map((row) => row.kind)).toEqual(['job', 'shift']);
	});

	it('replayed into another co-op, it is refused there (wrong domain)', async () => {
		const { a, b, holder, presenter } = await setup();
		const text = await presentationText(a.signed, holder, b.world.coop, presenter.id);
		const c = await foundCoop(2);
		const entry = await present(c.world, c.people[1]!, text);
		// The record itself is a member's, well formed: it counts as a record, and is shown refused.
		expect(recordOutcome(await projectWorld(c.world), entry)).toBe('accepted');
		const check = await checkPresented(text, {
			coop: c.world.coop,
			member: c.people[1]!.id,
			now: NOW
		});
		expect(check.status).toBe('refused');
		expect(codes(check)).toContain('wrong-domain');
		expect(check.claims).toBeUndefined();
	});

	it('copied by another member of the same co-op into their own record, it is refused (wrong challenge)', async () => {
		const { a, b, holder, presenter } = await setup();
		const text = await presentationText(a.signed, holder, b.world.coop, presenter.id);
		await present(b.world, presenter, text);
		const thief = b.people[2]!;
		const copy = await present(b.world, thief, text);
		const state = await projectWorld(b.world);
		expect(recordOutcome(state, copy)).toBe('accepted');
		const copied = state.credentials.presented.find((entry) => entry.id === copy.id)!;
		expect(copied.member).toBe(thief.id);
		const check = await checkPresented(copied.presentation, {
			coop: b.world.coop,
			member: copied.member,
			now: NOW
		});
		expect(check.status).toBe('refused');
		expect(codes(check)).toEqual(['wrong-challenge']);
		expect(check.claims).toBeUndefined();
		// The holder's own record still verifies.
		const own = state.credentials.presented.find((entry) => entry.member === presenter.id)!;
		const ownCheck = await checkPresented(own.presentation, {
			coop: b.world.coop,
			member: own.member,
			now: NOW
		});
		expect(ownCheck.status).toBe('verified');
	});

	it('presented by someone other than its subject, it is refused', async () => {
		const { a, b, presenter } = await setup();
		const binding = { coop: b.world.coop, member: presenter.id, now: NOW };
		// The presenter signs with their own key: not the key the credential is about.
		const byOther = await presentationText(a.signed, presenter.key, b.world.coop, presenter.id);
		expect(codes(await checkPresented(byOther, binding))).toContain('holder-not-subject');
		// Naming the subject as holder does not help: the proof is not the holder's.
		const claimed = { ...(JSON.parse(byOther) as Json), holder: didKeyOf(a.subject.id) };
		const check = await checkPresented(JSON.stringify(claimed), binding);
		expect(check.status).toBe('refused');
		expect(codes(check)).toContain('holder-not-signer');
		// The credential alone, not presented, binds nobody.
		const bare = await checkPresented(JSON.stringify(a.signed), binding);
		expect(bare.status).toBe('refused');
		expect(codes(bare)).toContain('not-presentation');
	});

	it('a device that does not hold the key the credential names cannot present it', async () => {
		const { a, b, presenter } = await setup();
		const stranger = await generateSigningKey();
		const made = await presentationFor(
			a.signed,
			(publicKey) => Promise.resolve(publicKey === stranger.publicKey ? stranger : undefined),
			{ coop: b.world.coop, member: presenter.id, now: NOW }
		);
		expect(made).toEqual({ ok: false, messageKey: 'cred_present_no_key' });
		const ok = await presentationFor(
			a.signed,
			(publicKey) => Promise.resolve(publicKey === a.subject.id ? a.subject.key : undefined),
			{ coop: b.world.coop, member: presenter.id, now: NOW }
		);
		expect(ok.ok).toBe(true);
	});

	it('a tampered credential inside the presentation is refused, naming the broken signatures', async () => {
		const { a, b, holder, presenter } = await setup();
		const binding = { coop: b.world.coop, member: presenter.id, now: NOW };
		const text = await presentationText(a.signed, holder, b.world.coop, presenter.id);
		const tampered = text.replace(/"minutes":(\d+)/, (_, n) => `"minutes":${Number(n) + 60}`);
		expect(tampered).not.toBe(text);
		const check = await checkPresented(tampered, binding);
		expect(check.status).toBe('refused');
		// The holder's proof and both co-signers' proofs cover the changed field.
		expect(codes(check).filter((code) => code === 'signature-mismatch')).toHaveLength(3);
		expect(check.claims).toBeUndefined();
		// Re-presented by its holder after tampering: the co-signers' proofs still fail.
		const tamperedCredential = (JSON.parse(tampered) as { verifiableCredential: Json[] })
			.verifiableCredential[0]!;
		const again = await presentationText(tamperedCredential, holder, b.world.coop, presenter.id);
		const checkAgain = await checkPresented(again, binding);
		expect(checkAgain.status).toBe('refused');
		expect(codes(checkAgain)).toEqual(['signature-mismatch', 'signature-mismatch']);
		// And the device refuses it before anything is signed.
		const before = await checkToPresent(JSON.stringify(tamperedCredential), NOW);
		expect(before.status).toBe('refused');
		expect(codes(before)).toEqual(['signature-mismatch', 'signature-mismatch']);
		expect(before.claims).toBeUndefined();
		expect(
			await presentationFor(tamperedCredential, () => Promise.resolve(holder), {
				coop: b.world.coop,
				member: presenter.id,
				now: NOW
			})
		).toEqual({ ok: false, messageKey: 'cred_present_refused' });
	});

	it('oversized, junk or mis-shaped presentations are refused as records; large junk is refused unread', async () => {
		const { b, presenter } = await setup();
		const context = () => b.world.context(presenter);
		const big = JSON.stringify({
			type: ['VerifiablePresentation'],
			holder: 'did:key:z6Mk',
			verifiableCredential: [{ pad: 'x'.repeat(MAX_PRESENTATION_CHARS) }],
			proof: {}
		});
		const oversized = credentialPresentDraft(context(), { presentation: big });
		expect(oversized.ok ? 'accepted' : oversized.problem).toBe('too-long');
		for (const junk of ['{"type": [', '[]', '{"type":"VerifiableCredential"}', '']) {
			const refused = credentialPresentDraft(context(), { presentation: junk });
			expect(refused.ok ? 'accepted' : refused.problem).toBe('bad-format');
		}
		// Signed anyway by a member's device: every other device refuses the record itself.
		const forged = await signAs(
			{
				v: 1,
				type: 'credential.present',
				coop: b.world.coop,
				author: presenter.id,
				at: presenter.stamp(b.world.now),
				presentation: big
			} as never,
			presenter.key
		);
		await expectRejected(forged, b.world.coop, 'invalid-shape');
		// 50 MB of junk handed to the checker is refused by its size before it is read.
		const fifty = new Uint8Array(50 * 1024 * 1024);
		const check = await checkPresented(fifty, {
			coop: b.world.coop,
			member: presenter.id,
			now: NOW
		});
		expect(check.status).toBe('refused');
		expect(codes(check)).toEqual(['too-large']);
		expect(codes(await checkToPresent(fifty, NOW))).toEqual(['too-large']);
	});

	it('every device lists the same presented records, whatever order they arrive in', async () => {
		const { a, b, holder, presenter } = await setup();
		await present(
			b.world,
			presenter,
			await presentationText(a.signed, holder, b.world.coop, presenter.id)
		);
		await present(
			b.world,
			b.people[2]!,
			await presentationText(a.signed, holder, b.world.coop, presenter.id)
		);
		const reference = (await projectWorld(b.world)).credentials.presented;
		expect(reference).toHaveLength(2);
		const random = prng(7);
		for (let run = 0; run < 5; run++) {
			const shuffled = shuffle(random, b.world.entries);
			const state = projectCoop(b.world.coop, await verifiedAll(shuffled, b.world.coop));
			expect(state.credentials.presented).toEqual(reference);
		}
	});

	it('a credential listing 1,000 pieces of work, presented, fits in a record', async () => {
		const a = await coopCredential({ jobs: 1000, listItems: true });
		const b = await foundCoop(2);
		const text = await presentationText(a.signed, a.subject.key, b.world.coop, b.people[1]!.id);
		expect(text.length).toBeLessThanOrEqual(MAX_PRESENTATION_CHARS);
		const entry = await present(b.world, b.people[1]!, text);
		expect(recordOutcome(await projectWorld(b.world), entry)).toBe('accepted');
	});

	it('reads claims defensively: odd fields are left out, skills and feedback are read when there', () => {
		const claims = claimsOf({
			issuer: { id: 'urn:ours:coop:x', name: 'Bakery co-op' },
			credentialSubject: {
				id: 'did:key:z6Mk',
				name: 'Sam',
				activityStartDate: 'yesterday',
				work: {
					items: -1,
					minutes: 90,
					byKind: [
						{ kind: 'job', items: 1, minutes: 60 },
						{ kind: 'job', items: 1, minutes: 30 },
						{ kind: 3, items: 1, minutes: 1 },
						'junk'
					]
				},
				skills: [{ name: 'baking', level: 'can-teach', endorsements: [{}, {}] }, 'pastry', 7],
				feedback: { criteria: { quality: { count: 4 }, reliability: 2, odd: 'x' } }
			}
		});
		expect(claims).toEqual({
			issuerName: 'Bakery co-op',
			subjectName: 'Sam',
			subject: 'did:key:z6Mk',
			minutes: 90,
			byKind: [
				{ kind: 'job', items: 1, minutes: 60 },
				{ kind: 'job', items: 1, minutes: 30 }
			],
			skills: [{ name: 'baking', level: 'can-teach', endorsements: 2 }, { name: 'pastry' }],
			feedback: [
				{ criterion: 'quality', count: 4 },
				{ criterion: 'reliability', count: 2 }
			]
		});
		expect(claimsOf({ credentialSubject: [] })).toEqual({ byKind: [], skills: [], feedback: [] });
	});

	it('the challenge names the co-op and the member', () => {
		expect(presentationChallenge('coop', 'member')).toBe('ours:present:v1:coop:member');
	});
});

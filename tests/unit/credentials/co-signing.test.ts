import { describe, expect, it } from 'vitest';
import {
	assembleCredential,
	coSign,
	credentialDigest,
	paramsOf,
	unsignedCredential,
	type CredentialParams
} from '$lib/credentials/co-signing';
import { didKeyOf } from '$lib/credentials/did-key';
import { verifyMembershipEvidence } from '$lib/credentials/membership-evidence';
import { verifyCredential } from '$lib/credentials/verify';
import { projectCoop } from '$lib/domain/coop-state';
import {
	credentialDeclineDraft,
	credentialRequestDraft,
	credentialSignDraft
} from '$lib/domain/credentials/commands';
import {
	foundCoop,
	MINUTE,
	prng,
	recordOutcome,
	shuffle,
	verifiedAll,
	type Device,
	type Entry,
	type World
} from '../domain/fixtures';

const NOW = Date.UTC(2026, 5, 1);

async function stateOf(world: World, entries = world.entries) {
	const records = await verifiedAll(entries, world.coop);
	return { records, state: projectCoop(world.coop, records, [], world.now + MINUTE) };
}

/** The third member asks the first two; returns the request's entry and its parameters. */
async function request(world: World, people: Device[]) {
	const { state, records } = await stateOf(world);
	const params: CredentialParams = {
		member: people[2]!.id,
		signers: [people[0]!.id, people[1]!.id],
		cutoff: world.now,
		coopName: 'Bakery co-op',
		memberName: 'Sam'
	};
	const unsigned = unsignedCredential(state, records, params)!;
	world.advance(MINUTE);
	const entry = await world.write(
		people[2]!,
		credentialRequestDraft(world.context(people[2]!), {
			signers: params.signers,
			cutoff: params.cutoff,
			coopName: params.coopName,
			memberName: params.memberName,
			reputation: params.reputation ?? false,
			digest: await credentialDigest(unsigned)
		})
	);
	return { entry, unsigned };
}

/** `signer` answers the request as its device would: rebuilding, checking the digest, signing. */
async function answer(world: World, signer: Device, requestId: string): Promise<Entry> {
	const { state, records } = await stateOf(world);
	const view = state.credentials.requests.find((entry) => entry.id === requestId)!;
	const rebuilt = unsignedCredential(state, records, paramsOf(view))!;
	expect(await credentialDigest(rebuilt)).toBe(view.digest);
	world.advance(MINUTE);
	const signature = await coSign(rebuilt, signer.key, world.now);
	return world.write(
		signer,
		credentialSignDraft(world.context(signer), {
			request: requestId,
			digest: view.digest,
			...signature
		})
	);
}

describe('co-signing a credential', () => {
	it('two members co-sign on their devices; the assembled credential verifies with its evidence', async () => {
		const { world, people } = await foundCoop(3);
		const { entry, unsigned } = await request(world, people);
		await answer(world, people[0]!, entry.id);
		await answer(world, people[1]!, entry.id);
		const { state } = await stateOf(world);
		const view = state.credentials.requests[0]!;
		expect(view.signed).toBe(2);
		expect(view.waitingFor).toEqual([]);
		const signed = assembleCredential(unsigned, view);
		const report = await verifyCredential(signed, { now: NOW });
		expect(report.status).toBe('verified');
		expect(report.proofs.map((proof) => proof.signer)).toEqual([
			didKeyOf(people[0]!.id),
			didKeyOf(people[1]!.id)
		]);
		const membership = await verifyMembershipEvidence(
			signed,
			report.proofs.map((proof) => proof.signer!)
		);
		expect(membership?.ok).toBe(true);
	});

	it('a member declines with a reason; the request waits for nobody else', async () => {
		const { world, people } = await foundCoop(3);
		const { entry } = await request(world, people);
		await answer(world, people[0]!, entry.id);
		await world.write(
			people[1]!,
			credentialDeclineDraft(world.context(people[1]!), {
				request: entry.id,
				reason: 'I never worked with Sam.'
			})
		);
		const view = (await stateOf(world)).state.credentials.requests[0]!;
		expect(view.signed).toBe(1);
		// Two devices may stamp their answers in the same millisecond: compare by member.
		const kinds = new Map(view.answers.map((answer) => [answer.member, answer.kind]));
		expect(kinds).toEqual(
			new Map([
				[people[0]!.id, 'signed'],
				[people[1]!.id, 'declined']
			])
		);
	});

	it('refuses answers by members not asked, second answers, and signatures of another version', async () => {
		const { world, people } = await foundCoop(4);
		const { entry } = await request(world, people);
		const first = await answer(world, people[0]!, entry.id);
		const again = await world.write(
			people[0]!,
			credentialDeclineDraft(world.context(people[0]!), { request: entry.id, reason: '' })
		);
		const notAsked = await world.write(
			people[3]!,
			credentialDeclineDraft(world.context(people[3]!), { request: entry.id, reason: '' })
		);
		const otherDigest = await world.write(
			people[1]!,
			credentialSignDraft(world.context(people[1]!), {
				request: entry.id,
				digest: entry.id,
				created: '2026-01-01T00:00:00Z',
				proofValue: (first.record as unknown as { proofValue: string }).proofValue
			})
		);
		const { state } = await stateOf(world);
		expect(recordOutcome(state, again)).toBe('duplicate');
		expect(recordOutcome(state, notAsked)).toBe('not-asked');
		expect(recordOutcome(state, otherDigest)).toBe('digest-mismatch');
		expect(recordOutcome(state, first)).toBe('accepted');
		expect(state.credentials.requests[0]!.signed).toBe(1);
	});

	it('another version of the credential has another digest, which the request does not accept', async () => {
		const { world, people } = await foundCoop(3);
		const { entry } = await request(world, people);
		const { state, records } = await stateOf(world);
		const view = state.credentials.requests[0]!;
		const params = paramsOf(view);
		// Another co-op name than the request's is another credential.
		const other = unsignedCredential(state, records, { ...params, memberName: 'Someone else' })!;
		expect(await credentialDigest(other)).not.toBe(view.digest);
		expect(view.id).toBe(entry.id);
	});

	it('every device sees the same requests and answers, whatever order the records arrive in', async () => {
		const { world, people } = await foundCoop(3);
		const { entry } = await request(world, people);
		await answer(world, people[0]!, entry.id);
		await answer(world, people[1]!, entry.id);
		const reference = (await stateOf(world)).state.credentials;
		const random = prng(12);
		for (let run = 0; run < 5; run++) {
			const shuffled = shuffle(random, world.entries);
			expect((await stateOf(world, shuffled)).state.credentials).toEqual(reference);
		}
	});
});

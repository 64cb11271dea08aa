import { describe, expect, it } from 'vitest';
import type { JsonValue } from '$lib/crypto/canonical-json';
import { generateSigningKey } from '$lib/crypto/keys';
import { didKeyOf } from '$lib/credentials/did-key';
import {
	devicesShown,
	evidenceRecords,
	verifyMembershipEvidence
} from '$lib/credentials/membership-evidence';
import { verifiedAll } from '../domain/fixtures';
import { verifyCredential } from '$lib/credentials/verify';
import { coopCredential, coSign } from './coop-credential';

type Json = { [key: string]: JsonValue };
const NOW = Date.UTC(2026, 5, 1);

describe('a co-op work record', () => {
	it('is an Open Badges 3.0 credential with work by kind and month', async () => {
		const { signed, subject } = await coopCredential({ jobs: 9 });
		expect(signed['type']).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
		const credentialSubject = signed['credentialSubject'] as Json;
		expect(credentialSubject['id']).toBe(didKeyOf(subject.id));
		expect((credentialSubject['achievement'] as Json)['achievementType']).toBe('Membership');
		const work = credentialSubject['work'] as Json;
		expect(work['items']).toBe(9);
		expect(work['byKind']).toEqual([
			{ kind: 'job', items: 6, minutes: 90 + 120 + 180 + 60 + 120 + 150 },
			{ kind: 'shift', items: 3, minutes: 60 + 150 + 90 }
		]);
		expect(work['list']).toBeUndefined();
	});

	it('verifies, and its evidence shows both co-signers were members', async () => {
		const { signed, people } = await coopCredential();
		const report = await verifyCredential(signed, { now: NOW });
		expect(report.status).toBe('verified');
		const signers = report.proofs.map((proof) => proof.signer!);
		const membership = await verifyMembershipEvidence(signed, signers);
		expect(membership?.ok).toBe(true);
		expect(membership?.coopName).toBe('Bakery co-op');
		expect(membership?.signers).toEqual([
			expect.objectContaining({ signer: didKeyOf(people[0]!.id), how: 'founder' }),
			expect.objectContaining({
				signer: didKeyOf(people[1]!.id),
				how: 'invited',
				vouchedBy: didKeyOf(people[0]!.id)
			})
		]);
		// Genesis, then the invite and join of the second signer; nothing about the subject.
		expect(evidenceRecords(signed).map((record) => (record as Json)['type'])).toEqual([
			'coop.genesis',
			'member.invite',
			'member.join'
		]);
	});

	it('does not show a stranger as a member, even when the signatures verify', async () => {
		const { unsigned, signed, people } = await coopCredential();
		const stranger = await generateSigningKey();
		const withStranger = await coSign(unsigned, [people[0]!.key, stranger]);
		expect((await verifyCredential(withStranger, { now: NOW })).status).toBe('verified');
		const membership = await verifyMembershipEvidence(withStranger, [
			didKeyOf(people[0]!.id),
			didKeyOf(stranger.publicKey)
		]);
		expect(membership?.ok).toBe(false);
		expect(membership?.signers[1]).toEqual({ signer: didKeyOf(stranger.publicKey) });
		// Evidence records tampered with are refused one by one (and the proofs fail too).
		const evidence = structuredClone(signed['evidence']) as Json[];
		const records = evidence[0]!['records'] as Json[];
		records[0] = { ...records[0]!, name: 'Another co-op' };
		const membershipTampered = await verifyMembershipEvidence({ ...signed, evidence }, [
			didKeyOf(people[0]!.id)
		]);
		expect(membershipTampered?.problems).toEqual([
			{ code: 'bad-record', index: 0, reason: 'bad-signature' }
		]);
		expect(membershipTampered?.ok).toBe(false);
	});

	it('tells which members a stranger could check were members, and which not', async () => {
		const { world, people } = await coopCredential();
		const records = await verifiedAll(world.entries, world.coop);
		const stranger = (await generateSigningKey()).publicKey;
		const devices = [...people.map((device) => device.id), stranger];
		expect([...devicesShown(records, devices)].sort()).toEqual(
			people.map((device) => device.id).sort()
		);
		// Without the invites, only the founder is shown.
		const withoutInvites = records.filter((entry) => entry.record.type !== 'member.invite');
		expect([...devicesShown(withoutInvites, devices)]).toEqual([people[0]!.id]);
	});
});

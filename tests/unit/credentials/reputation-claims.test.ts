import { describe, expect, it } from 'vitest';
import { canonicalBytes, type JsonValue } from '$lib/crypto/canonical-json';
import {
	assembleCredential,
	coSign,
	credentialDigest,
	paramsOf,
	unsignedCredential,
	type CredentialParams
} from '$lib/credentials/co-signing';
import { didKeyOf } from '$lib/credentials/did-key';
import { verifyCredential } from '$lib/credentials/verify';
import { projectCoop } from '$lib/domain/coop-state';
import { credentialRequestDraft, credentialSignDraft } from '$lib/domain/credentials/commands';
import {
	endorseDraft,
	feedbackDraft,
	skillDraft,
	unendorseDraft
} from '$lib/domain/reputation/commands';
import {
	foundCoop,
	MINUTE,
	prng,
	projectWorld,
	shuffle,
	verifiedAll,
	type Device,
	type World
} from '../domain/fixtures';
import { claim, complete, HOUR, MONDAY, postJob } from '../domain/work-fixtures';

/**
 * The skills and feedback a work record carries: every standing endorsement with its endorser,
 * date and sentence, and every piece of feedback counted; computed from the records stamped
 * before the request's cutoff, so that every co-signer's device builds the same bytes whatever
 * order the records reached it in and whatever was written since.
 */

type Json = { [key: string]: JsonValue };

async function stateOf(world: World, entries = world.entries) {
	const records = await verifiedAll(entries, world.coop);
	return { records, state: projectCoop(world.coop, records, [], world.now + MINUTE) };
}

async function listSkill(
	world: World,
	device: Device,
	skill: string,
	level: 'can-do' | 'learning'
) {
	const { state } = await stateOf(world);
	await world.write(
		device,
		skillDraft(world.advance(1000).context(device), state.reputation.skills, { skill, level })
	);
}

async function endorse(world: World, by: Device, member: Device, skill: string, note = '') {
	const { state } = await stateOf(world);
	return world.write(
		by,
		endorseDraft(world.advance(1000).context(by), state.reputation.skills, {
			member: member.id,
			skill,
			note,
			me: by.id
		})
	);
}

const scores = { quality: 5, reliability: 4, cooperation: 5 };

/** A co-op of four: the third member (Cy) has skills, endorsements and feedback on two jobs. */
async function busyCoop() {
	const { world, people } = await foundCoop(4);
	const [ada, bo, cy, di] = people as [Device, Device, Device, Device];
	await listSkill(world, cy, 'Bread', 'can-do');
	await listSkill(world, cy, 'Pastry', 'learning');
	const first = await endorse(world, ada, cy, 'Bread', 'Her sourdough feeds the street.');
	await endorse(world, bo, cy, 'Bread');
	for (const [index, helper] of [bo, di].entries()) {
		const day = index * 24 * HOUR;
		const job = await postJob(world, ada, {
			people: 2,
			startsAt: MONDAY + day + 9 * HOUR,
			endsAt: MONDAY + day + 11 * HOUR
		});
		await claim(world, helper, job.id);
		await claim(world, cy, job.id);
		world.now = MONDAY + day + 11 * HOUR;
		for (const member of [helper, cy]) {
			const { state } = await stateOf(world);
			await complete(world, member, state, job.id, 60, world.now);
		}
		const { state } = await stateOf(world);
		await world.write(
			helper,
			feedbackDraft(world.advance(1000).context(helper), state.work, state.reputation.feedback, {
				job: job.id,
				member: cy.id,
				scores: index === 0 ? scores : { quality: 3, reliability: 4, cooperation: 2 },
				comment: '',
				me: helper.id
			})
		);
	}
	world.advance(MINUTE);
	return { world, people, ada, bo, cy, di, first };
}

function params(world: World, member: Device, signers: Device[], reputation = true) {
	return {
		member: member.id,
		signers: signers.map((device) => device.id).sort(),
		cutoff: world.now,
		coopName: 'Bakery co-op',
		memberName: 'Cy',
		reputation
	} satisfies CredentialParams;
}

const subjectOf = (credential: Json) => credential['credentialSubject'] as Json;

describe('skills and feedback in a work record', () => {
	it('carries each skill with its level and every endorsement, and all the feedback counted', async () => {
		const { world, ada, bo, cy } = await busyCoop();
		const { state, records } = await stateOf(world);
		const unsigned = unsignedCredential(state, records, params(world, cy, [ada, bo]))!;
		const subject = subjectOf(unsigned);
		const skills = subject['skills'] as Json;
		expect(skills['type']).toBe('OursSkills');
		const items = skills['items'] as Json[];
		expect(items.map((item) => [item['name'], item['level']])).toEqual([
			['Bread', 'can-do'],
			['Pastry', 'learning']
		]);
		const endorsements = items[0]!['endorsements'] as Json[];
		expect(endorsements.map((item) => (item['endorser'] as Json)['id'])).toEqual([
			didKeyOf(ada.id),
			didKeyOf(bo.id)
		]);
		expect(endorsements[0]!['endorsementComment']).toBe('Her sourdough feeds the street.');
		expect(endorsements[1]!['endorsementComment']).toBeUndefined();
		expect(endorsements[0]!['type']).toEqual(['EndorsementSubject']);
		expect(endorsements[0]!['date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		expect(subject['feedback']).toEqual({
			type: 'OursFeedbackSummary',
			scale: { min: 1, max: 5 },
			count: 2,
			jobs: 2,
			criteria: [
				{ criterion: 'quality', counts: [0, 0, 1, 0, 1] },
				{ criterion: 'reliability', counts: [0, 0, 0, 2, 0] },
				{ criterion: 'cooperation', counts: [0, 1, 0, 0, 1] }
			]
		});
	});

	it('leaves skills and feedback out when the member chooses so', async () => {
		const { world, ada, bo, cy } = await busyCoop();
		const { state, records } = await stateOf(world);
		const subject = subjectOf(
			unsignedCredential(state, records, params(world, cy, [ada, bo], false))!
		);
		expect(subject['skills']).toBeUndefined();
		expect(subject['feedback']).toBeUndefined();
		expect(subject['work']).toBeDefined();
	});

	it('is built byte for byte the same on every device, in any order, whatever is written after the cutoff', async () => {
		const { world, ada, bo, cy, di, first } = await busyCoop();
		const asked = params(world, cy, [ada, bo]);
		const { state, records } = await stateOf(world);
		const unsigned = unsignedCredential(state, records, asked)!;
		const reference = new TextDecoder().decode(canonicalBytes(unsigned));
		const digest = await credentialDigest(unsigned);
		world.advance(MINUTE);
		const request = await world.write(
			cy,
			credentialRequestDraft(world.context(cy), {
				signers: asked.signers,
				cutoff: asked.cutoff,
				coopName: asked.coopName,
				memberName: asked.memberName,
				reputation: asked.reputation,
				digest
			})
		);
		// After the cutoff: an endorsement withdrawn, another made, a skill's level changed.
		let now = (await stateOf(world)).state;
		await world.write(
			ada,
			unendorseDraft(world.advance(1000).context(ada), now.reputation.skills, {
				endorsement: first.id,
				me: ada.id
			})
		);
		await endorse(world, di, cy, 'Pastry', 'Patient with the dough.');
		await listSkill(world, cy, 'Pastry', 'can-do');
		now = await projectWorld(world);
		expect(now.reputation.skills.skills.find((s) => s.name === 'Bread')!.endorsements).toHaveLength(
			1
		);
		const random = prng(2026);
		const signers = [ada, bo];
		for (let run = 0; run < 6; run++) {
			// A co-signer's device: the records in its own order, the request as it reads it.
			const shuffled = shuffle(random, world.entries);
			const peer = await stateOf(world, shuffled);
			const view = peer.state.credentials.requests.find((entry) => entry.id === request.id)!;
			const rebuilt = unsignedCredential(
				peer.state,
				shuffle(random, peer.records),
				paramsOf(view)
			)!;
			expect(new TextDecoder().decode(canonicalBytes(rebuilt))).toBe(reference);
			expect(await credentialDigest(rebuilt)).toBe(view.digest);
		}
		// Both sign on their devices; the assembled credential verifies with its claims.
		for (const signer of signers) {
			const peer = await stateOf(world, shuffle(random, world.entries));
			const view = peer.state.credentials.requests.find((entry) => entry.id === request.id)!;
			const rebuilt = unsignedCredential(peer.state, peer.records, paramsOf(view))!;
			world.advance(MINUTE);
			const signature = await coSign(rebuilt, signer.key, world.now);
			await world.write(
				signer,
				credentialSignDraft(world.context(signer), {
					request: request.id,
					digest: view.digest,
					...signature
				})
			);
		}
		const final = await stateOf(world);
		const view = final.state.credentials.requests[0]!;
		expect(view.signed).toBe(2);
		const signed = assembleCredential(
			unsignedCredential(final.state, final.records, paramsOf(view))!,
			view
		);
		const report = await verifyCredential(signed, { now: world.now + MINUTE });
		expect(report.status).toBe('verified');
		const tampered = structuredClone(signed);
		const feedback = subjectOf(tampered)['feedback'] as Json;
		(feedback['criteria'] as Json[])[0]!['counts'] = [0, 0, 0, 0, 2];
		expect((await verifyCredential(tampered, { now: world.now + MINUTE })).status).toBe('failed');
	});
});

import { describe, expect, it } from 'vitest';
import type { JsonValue } from '$lib/crypto/canonical-json';
import { summariseWorkRecord } from '$lib/credentials/work-record-summary';
import { coopCredential } from './coop-credential';

/** What the preview and the printable page show is read from the record, field by checked field. */

describe('a work record read for people', () => {
	it('reads the member, co-op, period, work, skills, feedback and co-signers', async () => {
		const { signed, signers } = await coopCredential({ jobs: 12 });
		const subject = signed['credentialSubject'] as { [key: string]: JsonValue };
		subject['skills'] = {
			type: 'OursSkills',
			endorsementsToQualify: 1,
			items: [
				{
					name: 'Bread',
					level: 'can-teach',
					qualified: true,
					endorsements: [
						{
							type: ['EndorsementSubject'],
							endorser: { id: 'did:key:z6MkA', name: 'Ada' },
							date: '2025-03-02T10:00:00Z',
							endorsementComment: 'Lovely crumb.'
						}
					]
				}
			]
		};
		subject['feedback'] = {
			type: 'OursFeedbackSummary',
			scale: { min: 1, max: 5 },
			count: 2,
			jobs: 1,
			criteria: [{ criterion: 'quality', counts: [0, 0, 0, 1, 1] }]
		};
		const summary = summariseWorkRecord(signed);
		expect(summary).toMatchObject({
			title: 'Sam: work record at Bakery co-op',
			coop: 'Bakery co-op',
			member: 'Sam',
			items: 12,
			skills: [
				{
					name: 'Bread',
					level: 'can-teach',
					endorsements: [
						{
							endorser: 'did:key:z6MkA',
							name: 'Ada',
							date: '2025-03-02T10:00:00Z',
							comment: 'Lovely crumb.'
						}
					]
				}
			],
			feedback: {
				count: 2,
				jobs: 1,
				max: 5,
				criteria: [{ criterion: 'quality', counts: [0, 0, 0, 1, 1] }]
			}
		});
		expect(summary.minutes).toBeGreaterThan(0);
		expect(summary.since).toMatch(/Z$/);
		expect(summary.signers).toHaveLength(signers.length);
		expect(summary.signers.every((did) => did.startsWith('did:key:z6Mk'))).toBe(true);
	});

	it('says a record without skills and feedback carries none, and leaves out what is malformed', () => {
		expect(summariseWorkRecord({ name: 'x' })).toMatchObject({ skills: null, feedback: null });
		const odd = summariseWorkRecord({
			name: 7,
			proof: { verificationMethod: 'did:key:z6MkB#z6MkB' },
			credentialSubject: {
				work: { items: -3, minutes: 1.5 },
				skills: { items: [null, { name: ['x'], endorsements: 'no' }] },
				feedback: { count: 'many', criteria: [{ counts: ['a', 2] }] }
			}
		});
		expect(odd).toMatchObject({
			title: '',
			items: 0,
			minutes: 0,
			skills: [
				{ name: '', level: '', endorsements: [] },
				{ name: '', level: '', endorsements: [] }
			],
			feedback: { count: 0, criteria: [{ criterion: '', counts: [0, 2] }] },
			signers: ['did:key:z6MkB']
		});
	});
});

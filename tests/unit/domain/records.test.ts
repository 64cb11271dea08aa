import { beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64url } from '$lib/crypto/base64url';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { generateSigningKey } from '$lib/crypto/keys';
import { deviceLinkDraft, inviteDraft, profileDraft } from '$lib/domain/membership/commands';
import { genesisDraft } from '$lib/domain/settings/commands';
import type { DraftContext } from '$lib/domain/kernel/draft';
import { boolean, checkObject, optional, text } from '$lib/domain/kernel/field-checks';
import { LIMITS } from '$lib/domain/kernel/limits';
import { deriveCoopId, newCoopId } from '$lib/domain/kernel/coop-id';
import {
	inviteKeyFromSecret,
	InviteSecretError,
	newInviteSecret
} from '$lib/domain/membership/proofs';
import {
	type SignedRecord,
	signRecord,
	unsignedPart,
	verifyAll,
	verifyRecord
} from '$lib/domain/registry';
import { AuthorMismatchError, InvalidDraftError, recordId } from '$lib/domain/kernel/sign';
import { DAY, Device, signAs, T0, unwrap, World, type Entry } from './fixtures';

let world: World;
let profile: Entry;
let context: DraftContext;

beforeAll(async () => {
	world = await World.found();
	profile = await world.profile(world.founder, 'Ada');
	context = world.context(world.founder);
});

async function shapeDetail(
	change: Record<string, unknown>,
	base: Entry = profile
): Promise<string> {
	const value = { ...base.record, ...change };
	const result = await verifyRecord(base.id, value, world.coop);
	return result.ok ? 'accepted' : `${result.rejection.reason} ${result.rejection.detail}`;
}

describe('the record envelope', () => {
	it('signs the canonical JSON of everything but sig, and names the record by its hash', async () => {
		const { record } = profile;
		const expectedId = encodeBase64url(
			new Uint8Array(await crypto.subtle.digest('SHA-256', canonicalBytes(record)))
		);
		expect(profile.id).toBe(expectedId);
		expect(await recordId(record)).toBe(expectedId);
		expect(Object.keys(unsignedPart(record))).not.toContain('sig');
		const key = await crypto.subtle.importKey(
			'raw',
			Buffer.from(record.author, 'base64url'),
			{ name: 'Ed25519' },
			false,
			['verify']
		);
		const valid = await crypto.subtle.verify(
			{ name: 'Ed25519' },
			key,
			Buffer.from(record.sig, 'base64url'),
			canonicalBytes(unsignedPart(record))
		);
		expect(valid).toBe(true);
	});

	it('hands back a frozen copy, independent of the verified value', async () => {
		const value = JSON.parse(JSON.stringify(profile.record)) as Record<string, unknown>;
		const result = await verifyRecord(profile.id, value, world.coop);
		if (!result.ok) throw new Error(result.rejection.reason);
		value.displayName = 'Changed later';
		expect(result.verified.record).not.toBe(value);
		expect((result.verified.record as SignedRecord<'member.profile'>).displayName).toBe('Ada');
		expect(Object.isFrozen((result.verified.record as SignedRecord<'member.profile'>).skills)).toBe(
			true
		);
	});

	it('refuses to sign an invalid draft or with a key that is not the author', async () => {
		const draft = unwrap(
			profileDraft(context, { displayName: 'A', bio: '', skills: [], contact: '' })
		);
		await expect(signRecord({ ...draft, displayName: '' }, world.founder.key)).rejects.toThrow(
			InvalidDraftError
		);
		await expect(signRecord(draft, await generateSigningKey())).rejects.toThrow(
			AuthorMismatchError
		);
	});

	it('derives the co-op id from the founder and salt, and invite ids from secrets', async () => {
		const founder = await Device.create();
		const { coop, salt } = await newCoopId(founder.id);
		expect(await deriveCoopId(founder.id, salt)).toBe(coop);
		expect(await deriveCoopId((await Device.create()).id, salt)).not.toBe(coop);
		const { secret, inviteId } = await newInviteSecret();
		expect((await inviteKeyFromSecret(secret)).publicKey).toBe(inviteId);
		await expect(inviteKeyFromSecret('short')).rejects.toThrow(InviteSecretError);
	});
});

describe('runtime validation of every field', () => {
	it.each([
		[{ v: 2 }, 'v: out-of-range'],
		[{ v: '1' }, 'v: wrong-type'],
		[{ type: 'member.unknown' }, 'type: out-of-range'],
		[{ type: 42 }, 'type: out-of-range'],
		[{ coop: 'short' }, 'coop: bad-format'],
		[{ author: 'A'.repeat(43) }, 'author: bad-format'],
		[{ author: encodeBase64url(Uint8Array.of(1, ...new Uint8Array(31))) }, 'author: bad-format'],
		[{ author: 'A'.repeat(10_000) }, 'author: too-long'],
		[{ at: '2025-01-01T00:00:00Z' }, 'at: too-long'],
		[{ at: '1718000000000-00A0' }, 'at: bad-format'],
		[{ at: 1718000000000 }, 'at: wrong-type'],
		[{ sig: 'A'.repeat(85) + 'B' }, 'sig: bad-format'],
		[{ displayName: '' }, 'displayName: empty'],
		[{ displayName: 'x'.repeat(61) }, 'displayName: too-long'],
		[{ displayName: '😀'.repeat(60) }, 'accepted-shape'],
		[{ displayName: 'x'.repeat(1_000_000) }, 'displayName: too-long'],
		[{ displayName: ' Ada' }, 'displayName: not-trimmed'],
		[{ displayName: 'A\nda' }, 'displayName: control-character'],
		[{ displayName: 'Ada\u202e' }, 'displayName: control-character'],
		[{ displayName: 'Ada\ud800' }, 'displayName: bad-format'],
		[{ displayName: null }, 'displayName: wrong-type'],
		[{ bio: 'Line one\nLine two' }, 'accepted-shape'],
		[{ bio: 'Tab\there' }, 'bio: control-character'],
		[{ bio: 'x'.repeat(501) }, 'bio: too-long'],
		[{ skills: 'baking' }, 'skills: wrong-type'],
		[{ skills: Array.from({ length: 21 }, (_, index) => `s${index}`) }, 'skills: too-many'],
		[{ skills: ['a', 'a'] }, 'skills: duplicate'],
		[{ skills: ['x'.repeat(31)] }, 'skills: too-long'],
		[{ skills: [''] }, 'skills: empty'],
		[{ skills: [1] }, 'skills: wrong-type'],
		[{ contact: 'x'.repeat(201) }, 'contact: too-long'],
		[{ extra: true }, 'extra: unexpected'],
		[{ toString: 'x' }, 'toString: unexpected']
	])('checks %j -> %s', async (change, expected) => {
		const detail = await shapeDetail(change);
		// Shape-valid changes then fail on the signature: the point is they pass the schema.
		expect(detail).toBe(
			expected === 'accepted-shape' ? 'hash-mismatch null' : `invalid-shape ${expected}`
		);
	});

	it('reports a missing field by name', async () => {
		const rest = Object.fromEntries(
			Object.entries(profile.record).filter(([key]) => key !== 'contact')
		);
		const result = await verifyRecord(profile.id, rest, world.coop);
		expect(result.ok ? 'accepted' : result.rejection.detail).toBe('contact: missing');
	});

	it('lets a field added later be absent from records signed before it, never of another type', () => {
		const schema = { name: text({ max: 10 }), reputation: optional(boolean) };
		expect(checkObject({ name: 'a' }, schema)).toBeNull();
		expect(checkObject({ name: 'a', reputation: false }, schema)).toBeNull();
		expect(checkObject({ name: 'a', reputation: 'yes' }, schema)).toEqual({
			field: 'reputation',
			problem: 'wrong-type'
		});
		expect(checkObject({ reputation: true }, schema)).toEqual({
			field: 'name',
			problem: 'missing'
		});
	});

	it('checks genesis settings field by field', async () => {
		expect(
			await shapeDetail(
				{ settings: { currency: 'eur', locale: 'en', inviteDays: 7, inviteMaxUses: 1 } },
				world.genesis
			)
		).toBe('invalid-shape settings.currency: bad-format');
		expect(
			await shapeDetail(
				{ settings: { currency: 'EUR', locale: 'en', inviteDays: 7, inviteMaxUses: 1, x: 1 } },
				world.genesis
			)
		).toBe('invalid-shape settings.x: unexpected');
		expect(await shapeDetail({ settings: [] }, world.genesis)).toBe(
			'invalid-shape settings: wrong-type'
		);
		expect(await shapeDetail({ created: -1 }, world.genesis)).toBe(
			'invalid-shape created: out-of-range'
		);
		expect(await shapeDetail({ created: 1.5 }, world.genesis)).toBe(
			'invalid-shape created: wrong-type'
		);
	});

	it('keeps the largest possible record under the size limit, and it verifies', async () => {
		const big = await world.write(
			world.founder,
			profileDraft(world.context(world.founder), {
				displayName: '😀'.repeat(LIMITS.displayName),
				bio: '"'.repeat(LIMITS.bio),
				skills: Array.from(
					{ length: LIMITS.skills },
					(_, index) => `${index}${'😀'.repeat(LIMITS.skill - 2)}`
				),
				contact: '\\'.repeat(LIMITS.contact)
			})
		);
		expect(canonicalBytes(big.record).length).toBeLessThan(LIMITS.recordBytes);
		expect((await verifyRecord(big.id, big.record, world.coop)).ok).toBe(true);
	});
});

describe('draft builders', () => {
	it('tidies what a member typed before checking it', () => {
		const result = profileDraft(context, {
			displayName: '  Ade\u0301la \n Novak ',
			bio: 'Line one\r\nLine two\t',
			skills: [' Baking ', 'baking', '', 'Bikes'],
			contact: ' ada@example.org '
		});
		expect(result.ok && result.draft).toMatchObject({
			displayName: 'Adéla Novak',
			bio: 'Line one\nLine two',
			skills: ['Baking', 'Bikes'],
			contact: 'ada@example.org'
		});
	});

	it.each([
		[{ displayName: '   ' }, 'record_display_name_empty'],
		[{ displayName: 'x'.repeat(61) }, 'record_display_name_too_long'],
		[{ displayName: 'Ada\u0007' }, 'record_display_name_control_character'],
		[{ skills: Array.from({ length: 21 }, (_, index) => `s${index}`) }, 'record_skills_too_many'],
		[{ skills: ['x'.repeat(31)] }, 'record_skills_too_long'],
		[{ bio: 'x'.repeat(501) }, 'record_bio_too_long']
	])('returns a message key for bad profile input %#', (change, messageKey) => {
		const result = profileDraft(context, {
			displayName: 'Ada',
			bio: '',
			skills: [],
			contact: '',
			...change
		});
		expect(result.ok ? 'ok' : result.messageKey).toBe(messageKey);
	});

	it('returns message keys for bad co-op, invite and link input', async () => {
		const founder = await Device.create();
		const { coop, salt } = await newCoopId(founder.id);
		const genesisContext = { coop, author: founder.id, at: founder.stamp(T0) };
		const expectKey = (result: { ok: boolean; messageKey?: string }) =>
			expect(result.ok ? 'ok' : result.messageKey);
		expectKey(genesisDraft(genesisContext, { name: ' ', created: T0, salt })).toBe(
			'record_name_empty'
		);
		expectKey(
			genesisDraft(genesisContext, {
				name: 'Co-op',
				created: T0,
				salt,
				settings: { currency: 'eur' }
			})
		).toBe('record_settings_currency_bad_format');
		expectKey(genesisDraft(genesisContext, { name: 'Co-op', created: T0, salt })).toBe('ok');
		const { inviteId } = await newInviteSecret();
		const at = Number(context.at.slice(0, 13));
		expectKey(inviteDraft(context, { inviteId, expiresAt: at, maxUses: 1 })).toBe(
			'record_expires_at_out_of_range'
		);
		expectKey(inviteDraft(context, { inviteId, expiresAt: at + 400 * DAY, maxUses: 1 })).toBe(
			'record_expires_at_out_of_range'
		);
		expectKey(inviteDraft(context, { inviteId, expiresAt: at + DAY, maxUses: 0 })).toBe(
			'record_max_uses_out_of_range'
		);
		expectKey(
			deviceLinkDraft(context, {
				member: context.author,
				device: context.author,
				consent: 'A'.repeat(86)
			})
		).toBe('record_device_mismatch');
	});
});

describe('verification cache and batches', () => {
	it('skips signature checks for ids the caller already verified, but never the hash', async () => {
		const forged = await signAs(unsignedPart(profile.record), (await Device.create()).key);
		const known = (id: string) => id === forged.id || id === profile.id;
		expect((await verifyRecord(forged.id, forged.record, world.coop)).ok).toBe(false);
		expect(
			(await verifyRecord(forged.id, forged.record, world.coop, { knownValid: known })).ok
		).toBe(true);
		const swapped = { ...profile.record, displayName: 'Someone else' };
		const result = await verifyRecord(profile.id, swapped, world.coop, { knownValid: known });
		expect(result.ok ? 'accepted' : result.rejection.reason).toBe('hash-mismatch');
	});

	it('sorts a batch into verified records and rejections', async () => {
		const entries: [string, unknown][] = [
			...world.entries.map((entry): [string, unknown] => [entry.id, entry.record]),
			['junk', { hello: 'world' }],
			[profile.id, world.genesis.record]
		];
		const { verified, rejections } = await verifyAll(entries, world.coop);
		expect(verified.map((entry) => entry.id)).toEqual(world.entries.map((entry) => entry.id));
		expect(rejections.map((rejection) => [rejection.id, rejection.reason])).toEqual([
			['junk', 'invalid-shape'],
			[profile.id, 'hash-mismatch']
		]);
		expect(rejections[1]?.author).toBe(world.founder.id);
	});

	it('keeps the input order with many more entries than are verified at once', async () => {
		const valid = world.entries.map((entry): [string, unknown] => [entry.id, entry.record]);
		const entries: [string, unknown][] = [];
		for (let index = 0; index < 700; index++) {
			entries.push(index % 3 === 0 ? [`junk-${index}`, { index }] : valid[index % valid.length]!);
		}
		const { verified, rejections } = await verifyAll(entries, world.coop);
		expect(verified.map((entry) => entry.id)).toEqual(
			entries.filter(([key]) => !key.startsWith('junk-')).map(([key]) => key)
		);
		expect(rejections.map((rejection) => rejection.id)).toEqual(
			entries.filter(([key]) => key.startsWith('junk-')).map(([key]) => key)
		);
	});
});

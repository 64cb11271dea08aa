import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson } from '$lib/crypto/canonical-json';
import { signBytes } from '$lib/crypto/sign';
import { genesisDraft } from '$lib/domain/settings/commands';
import { inviteDraft, joinDraft } from '$lib/domain/membership/commands';
import { newInviteSecret, proveInvite } from '$lib/domain/membership/proofs';
import type { ReasonCode } from '$lib/domain/kernel/reasons';
import { type SignedRecord, unsignedPart, verifyRecord } from '$lib/domain/registry';
import { recordId } from '$lib/domain/kernel/sign';
import { projectCoop, type CoopState } from '$lib/domain/coop-state';
import {
	DAY,
	Device,
	expectRejected,
	MINUTE,
	pick,
	prng,
	resign,
	signAs,
	unwrap,
	World,
	type Entry
} from './fixtures';

async function roster(world: World): Promise<CoopState> {
	return projectCoop(world.coop, await world.verifiedEntries());
}

function outcome(state: CoopState, id: string): string {
	const rejected = state.integrity.rejections.find((rejection) => rejection.id === id);
	if (rejected) return rejected.reason;
	const waiting = state.integrity.waiting.find((rejection) => rejection.id === id);
	return waiting ? `pending:${waiting.reason}` : 'accepted';
}

const memberIds = (state: CoopState): string[] => state.members.map((member) => member.id);

describe('forged records fail verification with the right reason', () => {
	let world: World;
	let bob: Device;
	let bobProfile: Entry;

	beforeAll(async () => {
		world = await World.found();
		bob = await world.newMember(world.founder);
		bobProfile = await world.profile(bob, 'Bob');
	});

	it('accepts the honest records these forgeries start from', async () => {
		for (const entry of world.entries) {
			expect((await verifyRecord(entry.id, entry.record, world.coop)).ok).toBe(true);
		}
	});

	it('rejects a tampered body stored under its new hash as bad-signature', async () => {
		const tampered = { ...bobProfile.record, displayName: 'Mallory' } as SignedRecord;
		await expectRejected(
			{ id: await recordId(tampered), record: tampered },
			world.coop,
			'bad-signature'
		);
	});

	it('rejects a tampered body under its old key as hash-mismatch', async () => {
		const tampered = { ...bobProfile.record, displayName: 'Mallory' } as SignedRecord;
		await expectRejected({ id: bobProfile.id, record: tampered }, world.coop, 'hash-mismatch');
	});

	it('rejects a valid record stored under another key as hash-mismatch', async () => {
		await expectRejected(
			{ id: world.genesis.id, record: bobProfile.record },
			world.coop,
			'hash-mismatch'
		);
	});

	it('rejects a record whose author did not sign it as bad-signature', async () => {
		const forged = await signAs(
			{ ...unsignedPart(bobProfile.record), displayName: 'Bob (forged)' } as SignedRecord,
			world.founder.key
		);
		await expectRejected(forged, world.coop, 'bad-signature');
	});

	it('rejects a swapped signature from another record as bad-signature', async () => {
		const swapped = { ...bobProfile.record, sig: world.genesis.record.sig } as SignedRecord;
		await expectRejected(
			{ id: await recordId(swapped), record: swapped },
			world.coop,
			'bad-signature'
		);
	});

	it('rejects a record replayed into another co-op as wrong-coop', async () => {
		const other = await World.found(bob);
		await expectRejected(bobProfile, other.coop, 'wrong-coop');
		await expectRejected(other.genesis, world.coop, 'wrong-coop');
	});

	it("rejects a genesis that claims another founder's co-op id as wrong-coop", async () => {
		const mallory = await Device.create();
		const genesis = world.genesis.record as SignedRecord<'coop.genesis'>;
		const draft = unwrap(
			genesisDraft(
				{ coop: world.coop, author: mallory.id, at: mallory.stamp(world.now) },
				{ name: 'Hijacked', created: world.now, salt: genesis.salt }
			)
		);
		await expectRejected(await signAs(draft, mallory.key), world.coop, 'wrong-coop');
	});

	it('rejects a join proven with the wrong secret as bad-proof', async () => {
		const { inviteId } = await world.invite(world.founder);
		const mallory = await Device.create();
		const guess = await proveInvite((await newInviteSecret()).secret, world.coop, mallory.id);
		const join = unwrap(joinDraft(world.context(mallory), { inviteId, proof: guess.proof }));
		await expectRejected(await signAs(join, mallory.key), world.coop, 'bad-proof');
	});

	it("rejects a join proof copied from another device's join as bad-proof", async () => {
		const { secret } = await world.invite(world.founder);
		const carol = await Device.create();
		const carolJoin = (await world.join(carol, secret)).record as SignedRecord<'member.join'>;
		const mallory = await Device.create();
		const copied = unwrap(
			joinDraft(world.context(mallory), { inviteId: carolJoin.inviteId, proof: carolJoin.proof })
		);
		await expectRejected(await signAs(copied, mallory.key), world.coop, 'bad-proof');
	});

	it('rejects a join proof made for another co-op as bad-proof', async () => {
		const { secret, inviteId } = await world.invite(world.founder);
		const other = await World.found();
		const mallory = await Device.create();
		const elsewhere = await proveInvite(secret, other.coop, mallory.id);
		expect(elsewhere.inviteId).toBe(inviteId);
		const join = unwrap(joinDraft(world.context(mallory), elsewhere));
		await expectRejected(await signAs(join, mallory.key), world.coop, 'bad-proof');
	});

	it('rejects a device link whose consent the new device did not sign as bad-consent', async () => {
		const phone = await Device.create();
		const link = await world.link(bob, bob.id, phone);
		// Bob signs the consent himself instead of the phone.
		const selfSigned = await signBytes(
			bob.key.privateKey,
			canonicalBytes({
				purpose: 'ours/device-link/v1',
				coop: world.coop,
				member: bob.id,
				device: phone.id
			})
		);
		await expectRejected(
			await resign(link, bob.key, { consent: selfSigned }),
			world.coop,
			'bad-consent'
		);
	});

	it('rejects a consent given to another member or another co-op as bad-consent', async () => {
		const phone = await Device.create();
		const other = await World.found();
		const toFounder = await World.prototype.link.call(
			world,
			world.founder,
			world.founder.id,
			phone
		);
		const consentForFounder = (toFounder.record as SignedRecord<'member.device-link'>).consent;
		const bobLink = await world.link(bob, bob.id, phone);
		await expectRejected(
			await resign(bobLink, bob.key, { consent: consentForFounder }),
			world.coop,
			'bad-consent'
		);
		const elsewhere = await other.link(other.founder, bob.id, phone);
		await expectRejected(
			await resign(bobLink, bob.key, {
				consent: (elsewhere.record as SignedRecord<'member.device-link'>).consent
			}),
			world.coop,
			'bad-consent'
		);
	});

	it('rejects prototype-pollution keys as invalid-shape, never as an exception', async () => {
		const base = canonicalJson(bobProfile.record).slice(0, -1);
		for (const key of ['__proto__', 'constructor', 'prototype']) {
			const value = JSON.parse(`${base},"${key}":{"polluted":true}}`) as unknown;
			const result = await verifyRecord(bobProfile.id, value, world.coop);
			expect(result.ok ? 'accepted' : result.rejection.detail).toBe(`${key}: forbidden-key`);
		}
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('rejects non-objects and exotic values as invalid-shape', async () => {
		const odd: unknown[] = [null, 42, 'record', [], new Map(), Object.create(bobProfile.record)];
		for (const value of odd) {
			const result = await verifyRecord(bobProfile.id, value, world.coop);
			expect(result.ok ? 'accepted' : result.rejection.reason).toBe('invalid-shape');
		}
	});
});

describe('forged or late records do not count in the roster', () => {
	it('rejects a join after the invite expired as invite-expired', async () => {
		const world = await World.found();
		const { secret } = await world.invite(world.founder, { lifetime: 60 * MINUTE });
		world.advance(2 * 60 * MINUTE);
		const late = await Device.create();
		const join = await world.join(late, secret);
		const state = await roster(world);
		expect(outcome(state, join.id)).toBe('invite-expired');
		expect(memberIds(state)).not.toContain(late.id);
		expect(state.integrity.rejections[0]?.author).toBe(late.id);
	});

	it("admits joins up to the invite's uses and rejects the rest, in (at, id) order", async () => {
		const world = await World.found();
		const { secret } = await world.invite(world.founder, { maxUses: 2 });
		world.advance(MINUTE);
		const joiners = [await Device.create(), await Device.create(), await Device.create()];
		// Offline joiners: all three stamp the same millisecond, so the ids decide the order.
		const joins = await Promise.all(
			joiners.map((device) => world.join(device, secret, `${world.now}-0000`))
		);
		const state = await roster(world);
		const ordered = [...joins].sort((a, b) => (a.id < b.id ? -1 : 1));
		expect(ordered.map((join) => outcome(state, join.id))).toEqual([
			'accepted',
			'accepted',
			'invite-used-up'
		]);
		expect(state.invites[0]?.usesLeft).toBe(0);
	});

	it('rejects a join after the invite was revoked as invite-revoked', async () => {
		const world = await World.found();
		const { secret, inviteId } = await world.invite(world.founder, { maxUses: 5 });
		world.advance(MINUTE);
		await world.revoke(world.founder, inviteId);
		world.advance(MINUTE);
		const join = await world.join(await Device.create(), secret);
		const state = await roster(world);
		expect(outcome(state, join.id)).toBe('invite-revoked');
		expect(state.invites[0]?.revoked).toBe(true);
	});

	it("rejects a join after the invite's issuer left as invite-revoked", async () => {
		const world = await World.found();
		const bob = await world.newMember(world.founder);
		const { secret } = await world.invite(bob, { maxUses: 5 });
		world.advance(MINUTE);
		await world.leave(bob);
		world.advance(MINUTE);
		const join = await world.join(await Device.create(), secret);
		expect(outcome(await roster(world), join.id)).toBe('invite-revoked');
	});

	it('keeps an invite by a non-member, and any join through it, from counting', async () => {
		const world = await World.found();
		const mallory = await Device.create();
		const { secret, inviteId } = await newInviteSecret();
		const invite = await signAs(
			unwrap(
				inviteDraft(world.context(mallory), {
					inviteId,
					expiresAt: world.now + DAY,
					maxUses: 10
				})
			),
			mallory.key
		);
		world.entries.push(invite);
		world.advance(MINUTE);
		const carol = await Device.create();
		const join = await world.join(carol, secret);
		const state = await roster(world);
		expect(outcome(state, invite.id)).toBe('pending:unknown-author');
		expect(outcome(state, join.id)).toBe('pending:missing-invite');
		expect(state.invites).toEqual([]);
		expect(memberIds(state)).toEqual([world.founder.id]);
		expect(state.integrity.waiting.find((entry) => entry.id === invite.id)?.author).toBe(
			mallory.id
		);
	});

	it('rejects an invite stamped before its author joined as not-a-member', async () => {
		const world = await World.found();
		const early = world.founder.clock;
		const bob = await world.newMember(world.founder);
		const backdated = await world.invite(bob, { at: `${String(early.wall)}-00ff` });
		expect(outcome(await roster(world), backdated.entry.id)).toBe('not-a-member');
	});

	it('rejects every record a member writes after leaving as not-a-member', async () => {
		const world = await World.found();
		const bob = await world.newMember(world.founder);
		await world.profile(bob, 'Bob');
		world.advance(MINUTE);
		await world.leave(bob);
		world.advance(MINUTE);
		const afterwards = [
			await world.profile(bob, 'Bob again'),
			(await world.invite(bob)).entry,
			await world.link(bob, bob.id, await Device.create()),
			await world.leave(bob)
		];
		const state = await roster(world);
		for (const entry of afterwards) expect(outcome(state, entry.id)).toBe('not-a-member');
		const member = state.members.find((candidate) => candidate.id === bob.id);
		expect(member?.status).toBe('left');
		expect(member?.displayName).toBe('Bob');
		const reported = state.integrity.rejections.filter((entry) => entry.reason === 'not-a-member');
		expect(new Set(reported.map((entry) => entry.author))).toEqual(new Set([bob.id]));
	});

	it('rejects a device link by a device of another member as not-a-member', async () => {
		const world = await World.found();
		const bob = await world.newMember(world.founder);
		const phone = await Device.create();
		const link = await world.link(bob, world.founder.id, phone);
		const state = await roster(world);
		expect(outcome(state, link.id)).toBe('not-a-member');
		expect(state.members.flatMap((member) => member.devices)).not.toContain(phone.id);
	});

	it("rejects a second join by a member's device as already-member", async () => {
		const world = await World.found();
		const bob = await world.newMember(world.founder);
		const { secret } = await world.invite(world.founder);
		world.advance(MINUTE);
		const again = await world.join(bob, secret);
		const state = await roster(world);
		expect(outcome(state, again.id)).toBe('already-member');
		expect(state.invites[1]?.usesLeft).toBe(1);
	});

	it('rejects a second genesis of the same co-op as duplicate', async () => {
		const world = await World.found();
		const genesis = world.genesis.record as SignedRecord<'coop.genesis'>;
		world.advance(MINUTE);
		const second = await world.write(
			world.founder,
			genesisDraft(world.context(world.founder), {
				name: 'Renamed',
				created: world.now,
				salt: genesis.salt
			})
		);
		const state = await roster(world);
		expect(outcome(state, second.id)).toBe('duplicate');
		expect(state.coop?.name).toBe('Bakery co-op');
	});
});

describe('random mutations of valid records (seeded property test)', () => {
	type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
	type Path = (string | number)[];

	function leaves(value: Json, path: Path = []): Path[] {
		const out: Path[] = path.length > 0 ? [path] : [];
		if (Array.isArray(value))
			value.forEach((item, index) => out.push(...leaves(item, [...path, index])));
		else if (value !== null && typeof value === 'object') {
			for (const [key, item] of Object.entries(value)) out.push(...leaves(item, [...path, key]));
		}
		return out;
	}

	function parentOf(
		root: Json,
		path: Path
	): { parent: Json[] | Record<string, Json>; key: string | number } {
		let parent = root as Json[] | Record<string, Json>;
		for (const step of path.slice(0, -1))
			parent = (parent as Record<string, Json>)[step] as typeof parent;
		return { parent, key: path[path.length - 1]! };
	}

	const CHARS = 'AZaz09-_ .é€😀\u0000"\\';
	const ODD_VALUES: Json[] = [
		null,
		true,
		false,
		0,
		-1,
		1.5,
		1e21,
		'',
		'x',
		'a'.repeat(10_000),
		[],
		{},
		['x'],
		{ a: 1 }
	];
	const ADDED_KEYS = ['extra', '__proto__', 'constructor', 'prototype', 'sig2', 'toString', ''];

	function mutate(
		random: () => number,
		original: Json,
		otherSigs: readonly string[]
	): { value: Json; kind: string } {
		const value = JSON.parse(JSON.stringify(original)) as Json;
		const paths = leaves(value);
		const kind = pick(random, ['flip', 'retype', 'drop', 'add', 'swap-sig', 'nudge', 'type']);
		switch (kind) {
			case 'flip': {
				const strings = paths.filter((path) => {
					const { parent, key } = parentOf(value, path);
					const leaf = (parent as Record<string, Json>)[key];
					return typeof leaf === 'string' && leaf.length > 0;
				});
				const path = pick(random, strings);
				const { parent, key } = parentOf(value, path);
				const text = (parent as Record<string, Json>)[key] as string;
				const index = Math.floor(random() * text.length);
				let replacement = pick(random, [...CHARS]);
				if (replacement === text[index]) replacement = replacement === 'A' ? 'B' : 'A';
				(parent as Record<string, Json>)[key] =
					text.slice(0, index) + replacement + text.slice(index + 1);
				break;
			}
			case 'retype': {
				const { parent, key } = parentOf(value, pick(random, paths));
				const current = (parent as Record<string, Json>)[key];
				const candidates = ODD_VALUES.filter(
					(candidate) => JSON.stringify(candidate) !== JSON.stringify(current)
				);
				(parent as Record<string, Json>)[key] = pick(random, candidates);
				break;
			}
			case 'drop': {
				const { parent, key } = parentOf(value, pick(random, paths));
				if (Array.isArray(parent)) parent.splice(Number(key), 1);
				else delete parent[key];
				break;
			}
			case 'add': {
				const objects = [[], ...paths].filter((path) => {
					const target =
						path.length === 0
							? value
							: (() => {
									const { parent, key } = parentOf(value, path);
									return (parent as Record<string, Json>)[key];
								})();
					return target !== null && typeof target === 'object' && !Array.isArray(target);
				});
				const path = pick(random, objects);
				const target = (
					path.length === 0
						? value
						: (() => {
								const { parent, key } = parentOf(value, path);
								return (parent as Record<string, Json>)[key];
							})()
				) as Record<string, Json>;
				Object.defineProperty(target, pick(random, ADDED_KEYS), {
					value: pick(random, ODD_VALUES),
					enumerable: true,
					writable: true,
					configurable: true
				});
				break;
			}
			case 'swap-sig':
				(value as Record<string, Json>).sig = pick(random, otherSigs);
				break;
			case 'nudge': {
				const numbers = paths.filter((path) => {
					const { parent, key } = parentOf(value, path);
					return typeof (parent as Record<string, Json>)[key] === 'number';
				});
				if (numbers.length === 0) return mutate(random, original, otherSigs);
				const { parent, key } = parentOf(value, pick(random, numbers));
				(parent as Record<string, Json>)[key] =
					((parent as Record<string, Json>)[key] as number) + pick(random, [1, -1, 1000]);
				break;
			}
			default: {
				const types = [
					'coop.genesis',
					'member.invite',
					'member.join',
					'member.profile',
					'member.leave',
					'member.x'
				];
				const record = value as Record<string, Json>;
				record.type = pick(
					random,
					types.filter((type) => type !== record.type)
				);
			}
		}
		return { value, kind };
	}

	it('accepts none of 2,000 mutated records, whatever key they are stored under', async () => {
		const world = await World.found();
		const bob = await world.newMember(world.founder);
		await world.profile(bob, 'Bob');
		const { inviteId } = await world.invite(bob, { maxUses: 3 });
		await world.revoke(world.founder, inviteId);
		await world.link(bob, bob.id, await Device.create());
		await world.leave(bob);
		const pool = world.entries;
		const types = new Set(pool.map((entry) => entry.record.type));
		expect(types.size).toBe(7);

		const random = prng(20250101);
		const reasons = new Map<ReasonCode, number>();
		const accepted: string[] = [];
		for (let round = 0; round < 2000; round++) {
			const entry = pick(random, pool);
			const others = pool.filter((other) => other !== entry).map((other) => other.record.sig);
			const { value, kind } = mutate(random, entry.record as unknown as Json, others);
			let key = entry.id;
			if (random() < 0.7) {
				try {
					key = await recordId(value as unknown as SignedRecord);
				} catch {
					// Not canonicalizable: stays under the original key.
				}
			}
			const result = await verifyRecord(key, value, world.coop);
			if (result.ok) accepted.push(`${kind}: ${JSON.stringify(value)}`);
			else reasons.set(result.rejection.reason, (reasons.get(result.rejection.reason) ?? 0) + 1);
		}
		expect(accepted).toEqual([]);
		for (const reason of [
			'invalid-shape',
			'hash-mismatch',
			'bad-signature',
			'wrong-coop'
		] as const) {
			expect(reasons.get(reason) ?? 0).toBeGreaterThan(0);
		}
	});
});

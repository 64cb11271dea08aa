import { beforeEach, describe, expect, it } from 'vitest';
import { projectCoop, type CoopState } from '$lib/domain/coop-state';
import { membershipOf } from '$lib/session/membership';
import { DAY, Device, MINUTE, World } from '../domain/fixtures';

/**
 * Where a device stands, from the roster its records project to: the states the join page and
 * the co-op page show. Invites live 7 days unless said otherwise.
 */

let world: World;
let device: Device;

beforeEach(async () => {
	world = await World.found();
	device = await Device.create();
});

async function roster(): Promise<CoopState> {
	return projectCoop(world.coop, await world.verifiedEntries());
}

async function standing(pending: Parameters<typeof membershipOf>[2]) {
	return membershipOf(await roster(), device.id, pending, world.now);
}

const join = (inviteId: string) => ({ kind: 'join' as const, inviteId });

describe('membership of a device', () => {
	it('is member for an active member, left once it has left', async () => {
		const { secret } = await world.invite(world.founder);
		world.advance(MINUTE);
		await world.join(device, secret);
		expect(await standing(null)).toMatchObject({ kind: 'member', member: { id: device.id } });

		world.advance(MINUTE);
		await world.leave(device);
		expect(await standing(null)).toMatchObject({ kind: 'left', member: { status: 'left' } });
	});

	it('is outsider with no member key and nothing pending', async () => {
		expect(await standing(null)).toEqual({ kind: 'outsider' });
	});

	it('is waiting while the invite has not synced', async () => {
		const { inviteId } = await world.invite(world.founder);
		const withoutInvite = projectCoop(world.coop, [(await world.verifiedEntries())[0]!]);
		expect(membershipOf(withoutInvite, device.id, join(inviteId), world.now)).toEqual({
			kind: 'waiting'
		});
		// Nothing synced at all: not even the genesis.
		const empty = projectCoop(world.coop, []);
		expect(membershipOf(empty, device.id, join(inviteId), world.now)).toEqual({ kind: 'waiting' });
	});

	it('can join while the invite is open', async () => {
		const { inviteId } = await world.invite(world.founder);
		world.advance(DAY);
		expect(await standing(join(inviteId))).toMatchObject({
			kind: 'can-join',
			invite: { inviteId, usesLeft: 1 }
		});
	});

	it('is joining once its join is written but waits for the invite, or for a link', async () => {
		const { secret } = await world.invite(world.founder);
		world.advance(MINUTE);
		await world.join(device, secret);
		// The invite record has not reached this device yet: the join waits for it.
		const entries = (await world.verifiedEntries()).filter(
			({ record }) => record.type !== 'member.invite'
		);
		const waiting = projectCoop(world.coop, entries);
		expect(waiting.integrity.waiting).toMatchObject([{ author: device.id }]);
		expect(membershipOf(waiting, device.id, null, world.now)).toEqual({ kind: 'joining' });

		const stranger = await Device.create();
		expect(membershipOf(await roster(), stranger.id, { kind: 'link' }, world.now)).toEqual({
			kind: 'joining'
		});
	});

	it('is refused with an expired invite, before and after writing its join', async () => {
		const { inviteId, secret } = await world.invite(world.founder, { lifetime: DAY });
		world.advance(DAY);
		expect(await standing(join(inviteId))).toEqual({ kind: 'refused', reason: 'invite-expired' });

		await world.join(device, secret);
		expect(await standing(null)).toEqual({ kind: 'refused', reason: 'invite-expired' });
	});

	it('is refused with a revoked invite', async () => {
		const { inviteId } = await world.invite(world.founder);
		world.advance(MINUTE);
		await world.revoke(world.founder, inviteId);
		expect(await standing(join(inviteId))).toEqual({ kind: 'refused', reason: 'invite-revoked' });
	});

	it('is refused with an invite used up, before and after writing its join', async () => {
		const { inviteId, secret } = await world.invite(world.founder, { maxUses: 1 });
		world.advance(MINUTE);
		await world.join(await Device.create(), secret);
		world.advance(MINUTE);
		expect(await standing(join(inviteId))).toEqual({ kind: 'refused', reason: 'invite-used-up' });

		await world.join(device, secret);
		expect(await standing(join(inviteId))).toEqual({
			kind: 'refused',
			reason: 'invite-used-up'
		});
	});

	it('is refused for any other reason the co-op rejected its join', async () => {
		const { secret } = await world.invite(world.founder);
		world.advance(MINUTE);
		// Stamped before the invite it uses: never counts.
		await world.join(device, secret, world.genesis.record.at);
		expect(await standing(null)).toEqual({ kind: 'refused', reason: 'refused' });
	});
});

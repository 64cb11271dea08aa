import { describe, expect, it } from 'vitest';
import {
	applyUrl,
	deviceLinkUrl,
	inviteUrl,
	parseCoopFragment,
	parseDeviceLinkFragment,
	parseInviteFragment
} from '$lib/util/invite-link';

const secret = 'A'.repeat(42) + 'E';
const invite = {
	coopId: 'c0op1d_abcdefghijklmnA',
	roomKey: 'r00m-key_abcdefghij0123456789ABCDEFGHIJK-_8',
	name: 'Vélo & Co',
	secret
};
const origin = 'https://ours.example.org';

describe('invite links', () => {
	it('carry the co-op and the invite secret in the fragment, never in what a server sees', () => {
		const url = new URL(inviteUrl('https://ours.example.org', invite));
		expect(url.pathname).toBe('/join');
		expect(url.search).toBe('');
		expect(url.hash).toContain(invite.roomKey);
		expect(url.hash).toContain(secret);
		expect(parseInviteFragment(url.hash)).toEqual({ ok: true, invite });
	});

	it('refuse an empty fragment and a damaged one', () => {
		expect(parseInviteFragment('')).toEqual({ ok: false, error: 'missing' });
		expect(parseInviteFragment('#')).toEqual({ ok: false, error: 'missing' });
		expect(parseInviteFragment('#coop=short&key=short')).toEqual({ ok: false, error: 'malformed' });
		expect(parseInviteFragment(`#coop=${invite.coopId}`)).toEqual({
			ok: false,
			error: 'malformed'
		});
		expect(parseInviteFragment(`#coop=<script>&key=${invite.roomKey}`)).toEqual({
			ok: false,
			error: 'malformed'
		});
		const base = `#coop=${invite.coopId}&key=${invite.roomKey}`;
		expect(parseInviteFragment(`${base}&invite=tooshort`)).toEqual({
			ok: false,
			error: 'malformed'
		});
	});

	it('refuse a link cut short anywhere, before anything is created', () => {
		const hash = new URL(inviteUrl(origin, invite)).hash;
		const keyAt = hash.indexOf('key=') + 'key='.length;
		for (let end = keyAt; end < hash.length; end++) {
			const cut = parseInviteFragment(hash.slice(0, end));
			expect(cut.ok ? `accepted at ${end}` : cut.error).toBe('damaged');
			// Nor is it taken for a co-op link without an invitation.
			const coop = parseCoopFragment(hash.slice(0, end));
			expect(coop.ok ? `applies at ${end}` : coop.error).toBe('damaged');
		}
	});

	it('refuse a link with a field changed', () => {
		const hash = new URL(inviteUrl(origin, invite)).hash;
		const changes: Array<[string, string]> = [
			[invite.roomKey, invite.roomKey.replace('r00m', 'r00n')],
			[invite.coopId, invite.coopId.replace('c0op', 'c0oq')],
			[secret, 'B' + secret.slice(1)],
			['name=V', 'name=Evil+V']
		];
		for (const [from, to] of changes) {
			expect(parseInviteFragment(hash.replace(from, to))).toEqual({ ok: false, error: 'damaged' });
		}
	});

	it('still read links made before checksums, with strict lengths', () => {
		const old = `#coop=${invite.coopId}&key=${invite.roomKey}&name=Co&invite=${secret}`;
		expect(parseInviteFragment(old)).toEqual({ ok: true, invite: { ...invite, name: 'Co' } });
		const cutKey = `#coop=${invite.coopId}&key=${invite.roomKey.slice(0, 30)}`;
		expect(parseInviteFragment(cutKey)).toEqual({ ok: false, error: 'malformed' });
		expect(parseCoopFragment(cutKey)).toEqual({ ok: false, error: 'malformed' });
		const longId = `#coop=${invite.coopId}A&key=${invite.roomKey}&invite=${secret}`;
		expect(parseInviteFragment(longId)).toEqual({ ok: false, error: 'malformed' });
	});

	it('read a link to apply, with its checksum, as a co-op link without an invite', () => {
		const hash = new URL(applyUrl(origin, invite)).hash;
		expect(parseInviteFragment(hash)).toEqual({ ok: false, error: 'no-invite' });
		expect(parseCoopFragment(hash)).toEqual({
			ok: true,
			link: { coopId: invite.coopId, roomKey: invite.roomKey, name: invite.name }
		});
	});

	it('tell a link without an invite secret (the co-op only) from a damaged one', () => {
		expect(parseInviteFragment(`#coop=${invite.coopId}&key=${invite.roomKey}`)).toEqual({
			ok: false,
			error: 'no-invite'
		});
	});

	it('cut an overlong name instead of refusing the invite', () => {
		const long = parseInviteFragment(
			`#coop=${invite.coopId}&key=${invite.roomKey}&invite=${secret}&name=${'x'.repeat(500)}`
		);
		expect(long.ok && long.invite.name.length).toBe(80);
	});
});

describe('device links', () => {
	const link = {
		coopId: invite.coopId,
		roomKey: invite.roomKey,
		name: 'Vélo & Co',
		member: 'B'.repeat(42) + 'A',
		code: 'C'.repeat(21) + 'A'
	};

	it('round-trip through the fragment of a /link address', () => {
		const url = new URL(deviceLinkUrl('https://ours.example.org', link));
		expect(url.pathname).toBe('/link');
		expect(url.search).toBe('');
		expect(parseDeviceLinkFragment(url.hash)).toEqual({ ok: true, link });
	});

	it('are not read as invite links, nor the other way round', () => {
		const device = new URL(deviceLinkUrl(origin, link)).hash;
		expect(parseInviteFragment(device)).toEqual({ ok: false, error: 'damaged' });
		const join = new URL(inviteUrl(origin, invite)).hash;
		expect(parseDeviceLinkFragment(join)).toEqual({ ok: false, error: 'damaged' });
	});

	it('refuse a link whose member or code is not well formed', () => {
		const url = new URL(deviceLinkUrl('https://ours.example.org', { ...link, code: 'x' }));
		expect(parseDeviceLinkFragment(url.hash)).toEqual({ ok: false, error: 'malformed' });
		expect(parseDeviceLinkFragment('')).toEqual({ ok: false, error: 'missing' });
	});
});

import { describe, expect, it } from 'vitest';
import {
	deviceLinkUrl,
	inviteUrl,
	parseDeviceLinkFragment,
	parseInviteFragment
} from '$lib/util/invite-link';

const secret = 'A'.repeat(42) + 'E';
const invite = {
	coopId: 'c0op1d_abcdefghijkl',
	roomKey: 'r00m-key_abcdefghij',
	name: 'Vélo & Co',
	secret
};

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

	it('refuse a link whose member or code is not well formed', () => {
		const url = new URL(deviceLinkUrl('https://ours.example.org', { ...link, code: 'x' }));
		expect(parseDeviceLinkFragment(url.hash)).toEqual({ ok: false, error: 'malformed' });
		expect(parseDeviceLinkFragment('')).toEqual({ ok: false, error: 'missing' });
	});
});

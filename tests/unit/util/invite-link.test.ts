import { describe, expect, it } from 'vitest';
import { inviteUrl, parseInviteFragment } from '$lib/util/invite-link';

const invite = { coopId: 'c0op1d_abcdefghijkl', roomKey: 'r00m-key_abcdefghij', name: 'Vélo & Co' };

describe('invite links', () => {
	it('carry the co-op in the fragment, never in the path or query a server sees', () => {
		const url = new URL(inviteUrl('https://ours.example.org', invite));
		expect(url.pathname).toBe('/join');
		expect(url.search).toBe('');
		expect(url.hash).toContain(invite.roomKey);
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
	});

	it('cut an overlong name instead of refusing the invite', () => {
		const long = parseInviteFragment(
			`#coop=${invite.coopId}&key=${invite.roomKey}&name=${'x'.repeat(500)}`
		);
		expect(long.ok && long.invite.name.length).toBe(80);
	});
});

import { describe, expect, it } from 'vitest';
import { applyUrl, deviceLinkUrl, inviteUrl } from '$lib/util/invite-link';
import { findSharedLink } from '$lib/util/shared-link';

const COOP = 'A'.repeat(22);
const KEY = 'E'.repeat(43);
const SECRET = 'I'.repeat(43);

describe('findSharedLink', () => {
	const invite = inviteUrl('https://ours.example', {
		coopId: COOP,
		roomKey: KEY,
		name: 'Coop du Marché',
		secret: SECRET
	});

	it('finds an invite in text a messaging app shared, and keeps only its page and fragment', () => {
		const found = findSharedLink([null, `Join us: ${invite} see you Monday!`, 'Invite']);
		expect(found).toEqual({ page: '/join', hash: new URL(invite).hash });
	});

	it('reads url, then text, then title', () => {
		const apply = applyUrl('http://localhost:4173', { coopId: COOP, roomKey: KEY, name: '' });
		const found = findSharedLink([apply, invite, undefined]);
		expect(found?.hash).toBe(new URL(apply).hash);
	});

	it('finds a device link', () => {
		const link = deviceLinkUrl('https://ours.example', {
			coopId: COOP,
			roomKey: KEY,
			name: 'x',
			member: 'M'.repeat(43),
			code: 'Q'.repeat(22)
		});
		expect(findSharedLink([link])).toEqual({ page: '/link', hash: new URL(link).hash });
	});

	it('opens nothing for other links, damaged links or plain text', () => {
		const damaged = invite.replace('Coop', 'Kop');
		expect(findSharedLink([damaged])).toBeNull();
		expect(findSharedLink(['https://example.org/join'])).toBeNull();
		expect(findSharedLink([`https://ours.example/settings${new URL(invite).hash}`])).toBeNull();
		expect(findSharedLink(['no link here', '', null, undefined])).toBeNull();
		expect(findSharedLink([`javascript:alert(1)//join${new URL(invite).hash}`])).toBeNull();
	});
});

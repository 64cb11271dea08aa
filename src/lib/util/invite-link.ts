/**
 * What an invite link carries, all in its #fragment so that no server ever receives it: browsers
 * do not send the fragment with requests.
 */
export interface InviteLink {
	readonly coopId: string;
	readonly roomKey: string;
	/** The co-op's name, shown before anything has synced. */
	readonly name: string;
}

export type InviteLinkError = 'missing' | 'malformed';

const ID = /^[A-Za-z0-9_-]{16,64}$/;
const MAX_NAME = 80;

export function inviteUrl(origin: string, invite: InviteLink): string {
	const params = new URLSearchParams({
		coop: invite.coopId,
		key: invite.roomKey,
		name: invite.name
	});
	return `${origin}/join#${params.toString()}`;
}

/** Reads an invite from a link's fragment; anything unexpected is refused, never half-used. */
export function parseInviteFragment(
	hash: string
): { ok: true; invite: InviteLink } | { ok: false; error: InviteLinkError } {
	const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
	if (fragment.trim() === '') return { ok: false, error: 'missing' };
	const params = new URLSearchParams(fragment);
	const coopId = params.get('coop') ?? '';
	const roomKey = params.get('key') ?? '';
	const name = (params.get('name') ?? '').trim().slice(0, MAX_NAME);
	if (!ID.test(coopId) || !ID.test(roomKey)) return { ok: false, error: 'malformed' };
	return { ok: true, invite: { coopId, roomKey, name } };
}

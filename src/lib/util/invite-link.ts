import { isBase64urlOf } from '$lib/crypto/base64url';

/**
 * What invite and device links carry, all in the #fragment so that no server ever receives it:
 * browsers do not send the fragment with requests.
 */
export interface InviteLink {
	readonly coopId: string;
	readonly roomKey: string;
	/** The co-op's name, shown before anything has synced. */
	readonly name: string;
	/** The invite secret: proves the right to join. Never written anywhere but in the link. */
	readonly secret: string;
}

/** A link from a member's device to another device of theirs. */
export interface DeviceLink {
	readonly coopId: string;
	readonly roomKey: string;
	readonly name: string;
	/** The member the new device will belong to. */
	readonly member: string;
	/** One-time code: binds the new device's request to the screen that showed it. */
	readonly code: string;
}

/** A link that opens a co-op without an invite: to apply for admission by a vote. */
export interface CoopLink {
	readonly coopId: string;
	readonly roomKey: string;
	readonly name: string;
}

export type InviteLinkError = 'missing' | 'malformed' | 'no-invite';

const ID = /^[A-Za-z0-9_-]{16,64}$/;
const MAX_NAME = 80;

export function inviteUrl(origin: string, invite: InviteLink): string {
	const params = new URLSearchParams({
		coop: invite.coopId,
		key: invite.roomKey,
		name: invite.name,
		invite: invite.secret
	});
	return `${origin}/join#${params.toString()}`;
}

/** A link to a co-op for someone to apply: it opens `/join`, which offers to ask for a vote. */
export function applyUrl(origin: string, link: CoopLink): string {
	const params = new URLSearchParams({ coop: link.coopId, key: link.roomKey, name: link.name });
	return `${origin}/join#${params.toString()}`;
}

export function deviceLinkUrl(origin: string, link: DeviceLink): string {
	const params = new URLSearchParams({
		coop: link.coopId,
		key: link.roomKey,
		name: link.name,
		member: link.member,
		code: link.code
	});
	return `${origin}/link#${params.toString()}`;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: InviteLinkError };

function common(
	hash: string
): Parsed<{ params: URLSearchParams; coopId: string; roomKey: string; name: string }> {
	const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
	if (fragment.trim() === '') return { ok: false, error: 'missing' };
	const params = new URLSearchParams(fragment);
	const coopId = params.get('coop') ?? '';
	const roomKey = params.get('key') ?? '';
	const name = (params.get('name') ?? '').trim().slice(0, MAX_NAME);
	if (!ID.test(coopId) || !ID.test(roomKey)) return { ok: false, error: 'malformed' };
	return { ok: true, value: { params, coopId, roomKey, name } };
}

/** Reads the co-op a link opens, invite or not. */
export function parseCoopFragment(
	hash: string
): { ok: true; link: CoopLink } | { ok: false; error: InviteLinkError } {
	const parsed = common(hash);
	if (!parsed.ok) return parsed;
	const { coopId, roomKey, name } = parsed.value;
	return { ok: true, link: { coopId, roomKey, name } };
}

/** Reads an invite from a link's fragment; anything unexpected is refused, never half-used. */
export function parseInviteFragment(
	hash: string
): { ok: true; invite: InviteLink } | { ok: false; error: InviteLinkError } {
	const parsed = common(hash);
	if (!parsed.ok) return parsed;
	const { params, coopId, roomKey, name } = parsed.value;
	const secret = params.get('invite');
	if (secret === null || secret === '') return { ok: false, error: 'no-invite' };
	if (!isBase64urlOf(secret, 32)) return { ok: false, error: 'malformed' };
	return { ok: true, invite: { coopId, roomKey, name, secret } };
}

/** Reads a device link from a link's fragment. */
export function parseDeviceLinkFragment(
	hash: string
): { ok: true; link: DeviceLink } | { ok: false; error: InviteLinkError } {
	const parsed = common(hash);
	if (!parsed.ok) return parsed;
	const { params, coopId, roomKey, name } = parsed.value;
	const member = params.get('member') ?? '';
	const code = params.get('code') ?? '';
	if (!isBase64urlOf(member, 32) || !isBase64urlOf(code, 16)) {
		return { ok: false, error: 'malformed' };
	}
	return { ok: true, link: { coopId, roomKey, name, member, code } };
}

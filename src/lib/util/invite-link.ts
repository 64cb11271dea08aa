import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBase64url, isBase64urlOf } from '$lib/crypto/base64url';
import { encodeUtf8 } from '$lib/crypto/utf8';

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

/**
 * `damaged`: the link's checksum does not match what it carries (cut short, or a character
 * changed on the way).
 */
export type InviteLinkError = 'missing' | 'malformed' | 'damaged' | 'no-invite';

/** Co-op ids are 128 bits (`deriveCoopId`), room keys 256 bits (`randomSecret`). */
const COOP_ID_BYTES = 16;
const ROOM_KEY_BYTES = 32;
const MAX_NAME = 80;

/** The fields a checksum covers, in this order; a missing one counts as empty. */
const FIELDS = ['coop', 'key', 'name', 'invite', 'member', 'code'] as const;
/** 48 bits: a damaged link passes by chance once in 2^48; it is no defence against forgery. */
const CHECKSUM_BYTES = 6;

/**
 * The checksum of a link: SHA-256 over the page it opens and its fields. Synchronous (a page
 * judges its link while rendering), hence @noble/hashes rather than WebCrypto.
 */
function checksum(page: string, params: URLSearchParams): string {
	const fields = FIELDS.map((field) => params.get(field) ?? '');
	const digest = sha256(encodeUtf8(JSON.stringify([page, ...fields])));
	return encodeBase64url(digest.subarray(0, CHECKSUM_BYTES));
}

/**
 * A link's fragment, its checksum first: a link cut short anywhere after it no longer matches
 * it. Links made before checksums (no `sum`) are still read, with strict lengths.
 */
function linkUrl(origin: string, page: string, fields: Record<string, string>): string {
	const params = new URLSearchParams(fields);
	const sum = checksum(page, params);
	return `${origin}/${page}#${new URLSearchParams({ sum, ...fields }).toString()}`;
}

export function inviteUrl(origin: string, invite: InviteLink): string {
	return linkUrl(origin, 'join', {
		coop: invite.coopId,
		key: invite.roomKey,
		name: invite.name,
		invite: invite.secret
	});
}

/** A link to a co-op for someone to apply: it opens `/join`, which offers to ask for a vote. */
export function applyUrl(origin: string, link: CoopLink): string {
	return linkUrl(origin, 'join', { coop: link.coopId, key: link.roomKey, name: link.name });
}

export function deviceLinkUrl(origin: string, link: DeviceLink): string {
	return linkUrl(origin, 'link', {
		coop: link.coopId,
		key: link.roomKey,
		name: link.name,
		member: link.member,
		code: link.code
	});
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: InviteLinkError };

function common(
	hash: string,
	page: 'join' | 'link'
): Parsed<{ params: URLSearchParams; coopId: string; roomKey: string; name: string }> {
	const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
	if (fragment.trim() === '') return { ok: false, error: 'missing' };
	const params = new URLSearchParams(fragment);
	const sum = params.get('sum');
	if (sum !== null && sum !== checksum(page, params)) return { ok: false, error: 'damaged' };
	const coopId = params.get('coop') ?? '';
	const roomKey = params.get('key') ?? '';
	const name = (params.get('name') ?? '').trim().slice(0, MAX_NAME);
	if (!isBase64urlOf(coopId, COOP_ID_BYTES) || !isBase64urlOf(roomKey, ROOM_KEY_BYTES)) {
		return { ok: false, error: 'malformed' };
	}
	return { ok: true, value: { params, coopId, roomKey, name } };
}

/** Reads the co-op a link opens, invite or not. */
export function parseCoopFragment(
	hash: string
): { ok: true; link: CoopLink } | { ok: false; error: InviteLinkError } {
	const parsed = common(hash, 'join');
	if (!parsed.ok) return parsed;
	const { coopId, roomKey, name } = parsed.value;
	return { ok: true, link: { coopId, roomKey, name } };
}

/** Reads an invite from a link's fragment; anything unexpected is refused, never half-used. */
export function parseInviteFragment(
	hash: string
): { ok: true; invite: InviteLink } | { ok: false; error: InviteLinkError } {
	const parsed = common(hash, 'join');
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
	const parsed = common(hash, 'link');
	if (!parsed.ok) return parsed;
	const { params, coopId, roomKey, name } = parsed.value;
	const member = params.get('member') ?? '';
	const code = params.get('code') ?? '';
	if (!isBase64urlOf(member, 32) || !isBase64urlOf(code, 16)) {
		return { ok: false, error: 'malformed' };
	}
	return { ok: true, link: { coopId, roomKey, name, member, code } };
}

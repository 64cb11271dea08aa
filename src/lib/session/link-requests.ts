import type * as Y from 'yjs';
import { isBase64urlOf } from '$lib/crypto/base64url';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import { isPublicKey, type SigningKey } from '$lib/crypto/keys';
import { isSignature } from '$lib/crypto/sign';
import { consentToLink } from '$lib/domain/membership/proofs';

/**
 * Linking a second device of a member, without a server and without typing codes.
 *
 * 1. The member's device (already a member) makes a one-time code and shows it in a link (and
 *    QR code) with the co-op, its room key and the member id.
 * 2. The new device opens the link, makes its own key and writes a request into the shared map
 *    `link-requests`, under its key: its consent (`consentToLink`) and a tag,
 *    SHA-256(purpose, code, device). The code itself is never written: whoever reads the map
 *    (anyone with the room key) cannot make a tag for another device.
 * 3. The first device, still showing the code, finds the request whose tag matches the code and a
 *    device, and writes the signed `member.device-link` with the consent.
 * Requests are not records: they carry no authority. Only the signed link record counts, and it
 * is judged like every record.
 */

const PURPOSE = 'ours/link-request/v1';

/** What a new device writes into `link-requests`, under its public key. */
export interface LinkRequest {
	readonly member: string;
	readonly consent: string;
	readonly tag: string;
}

/** The tag that binds a request to the one-time code shown on the member's device. */
export function linkTag(code: string, device: string): Promise<string> {
	return sha256Base64url(canonicalBytes({ purpose: PURPOSE, code, device }));
}

/** True if `value` has the form of a one-time link code. */
export function isLinkCode(value: unknown): value is string {
	return isBase64urlOf(value, 16);
}

function asRequest(value: unknown): LinkRequest | null {
	if (typeof value !== 'object' || value === null) return null;
	const { member, consent, tag } = value as Record<string, unknown>;
	if (!isPublicKey(member) || !isSignature(consent) || !isBase64urlOf(tag, 32)) return null;
	return { member, consent, tag };
}

export function linkRequestsOf(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('link-requests');
}

/** The well-formed requests the document holds: which device asks to be linked to which member. */
export function linkAsks(doc: Y.Doc): { device: string; member: string }[] {
	const asks: { device: string; member: string }[] = [];
	for (const [device, value] of linkRequestsOf(doc).entries()) {
		const request = asRequest(value);
		if (request !== null && isPublicKey(device)) asks.push({ device, member: request.member });
	}
	return asks;
}

/** Writes this device's request to become a device of `member`. */
export async function requestLink(
	doc: Y.Doc,
	coop: string,
	device: SigningKey,
	member: string,
	code: string
): Promise<void> {
	const request: LinkRequest = {
		member,
		consent: await consentToLink(device, coop, member),
		tag: await linkTag(code, device.publicKey)
	};
	doc.transact(() => linkRequestsOf(doc).set(device.publicKey, request));
}

/** The first well-formed request that matches `code` for `member`, with the device it names. */
export async function findLinkRequest(
	doc: Y.Doc,
	code: string,
	member: string
): Promise<{ device: string; request: LinkRequest } | null> {
	for (const [device, value] of linkRequestsOf(doc).entries()) {
		const request = asRequest(value);
		if (request === null || request.member !== member || !isPublicKey(device)) continue;
		if ((await linkTag(code, device)) === request.tag) return { device, request };
	}
	return null;
}

/**
 * Calls `found` with the first request matching `code` for `member`, now or when one arrives;
 * returns a function that stops watching.
 */
export function watchLinkRequests(
	doc: Y.Doc,
	code: string,
	member: string,
	found: (match: { device: string; request: LinkRequest }) => void
): () => void {
	const map = linkRequestsOf(doc);
	let done = false;
	const check = () => {
		void findLinkRequest(doc, code, member).then((match) => {
			if (match === null || done) return;
			done = true;
			map.unobserve(check);
			found(match);
		});
	};
	map.observe(check);
	check();
	return () => {
		done = true;
		map.unobserve(check);
	};
}

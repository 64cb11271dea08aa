import { encodeUtf8 } from '$lib/crypto/utf8';
import { packText, unpackText } from './qr-sequence';
import { MAX_CREDENTIAL_BYTES } from './verify';

/**
 * A credential as a link to the app's check page: `/verify#vc=<data>`, where the data is the
 * JSON compressed with raw DEFLATE (the platform's `CompressionStream`) in base64url, as the QR
 * codes carry it. It travels in the fragment, which browsers never send to a server: opening the
 * link checks the credential on the device, offline once the app is installed. The link carries
 * the credential, not trust: what it unpacks to is verified like a file.
 */

/** The fragment's key. */
export const LINK_KEY = 'vc';

/**
 * Packed characters a link carries at most: messengers and mail cut or refuse longer links
 * well before browsers do. A record past it goes as a file or as QR codes.
 */
export const MAX_LINK_DATA = 16_000;

/** The app's path that checks a linked credential. */
export const VERIFY_PATH = '/verify';

/** The fragment (`#vc=...`) for a credential's JSON, or `undefined` when it is too large. */
export async function credentialFragment(text: string): Promise<string | undefined> {
	const packed = await packText(text);
	return packed.length > MAX_LINK_DATA ? undefined : `#${LINK_KEY}=${packed}`;
}

/** Why a link's fragment gives no credential. */
export type LinkProblem = 'empty' | 'format' | 'size' | 'data';

export type LinkRead =
	| { readonly ok: true; readonly bytes: Uint8Array<ArrayBuffer> }
	| { readonly ok: false; readonly problem: LinkProblem };

/**
 * The credential's bytes from a link's fragment (with or without `#`), or a link pasted whole.
 * Refused by its length before anything is unpacked; unpacking stops past the size of any
 * credential, so a small link cannot inflate into a huge document.
 */
export async function readCredentialFragment(fragment: string): Promise<LinkRead> {
	const hash = fragment.includes('#') ? fragment.slice(fragment.indexOf('#') + 1) : fragment;
	if (hash.trim() === '') return { ok: false, problem: 'empty' };
	const prefix = `${LINK_KEY}=`;
	if (!hash.startsWith(prefix)) return { ok: false, problem: 'format' };
	const data = hash.slice(prefix.length);
	if (data.length > MAX_LINK_DATA) return { ok: false, problem: 'size' };
	if (!/^[A-Za-z0-9_-]+$/.test(data)) return { ok: false, problem: 'format' };
	const text = await unpackText(data, MAX_CREDENTIAL_BYTES);
	if (text === undefined) return { ok: false, problem: 'data' };
	return { ok: true, bytes: encodeUtf8(text) };
}

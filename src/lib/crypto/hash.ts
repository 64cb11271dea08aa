import { encodeBase64url } from './base64url';
import { encodeUtf8 } from './utf8';

/** SHA-256 of `data` (UTF-8 for text). */
export async function sha256(
	data: Uint8Array<ArrayBuffer> | string
): Promise<Uint8Array<ArrayBuffer>> {
	const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
	return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** SHA-256 of `data` as base64url (43 characters). */
export async function sha256Base64url(data: Uint8Array<ArrayBuffer> | string): Promise<string> {
	return encodeBase64url(await sha256(data));
}

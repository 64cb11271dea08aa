import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may open a WebSocket, decided at the HTTP upgrade before any WebSocket state exists.
 *
 * The origin allow-list keeps other web sites' pages from using the relay through their
 * visitors' browsers. Browsers always send `Origin`; a request without one comes from a program,
 * which could claim any origin it likes, so the list does not apply to it (the token does).
 */

/** @typedef {'origin' | 'token'} Refusal */

/**
 * The query of a request target. Parsed by hand because `new URL` throws on targets a client can
 * send, such as `http://[`; URLSearchParams takes any string.
 * @param {string} target
 */
export function queryOf(target) {
	const start = target.indexOf('?');
	return new URLSearchParams(start === -1 ? '' : target.slice(start + 1));
}

/** @param {string} value */
const digest = (value) => createHash('sha256').update(value).digest();

/**
 * @param {object} options
 * @param {readonly string[]} options.allowedOrigins Empty allows every origin.
 * @param {string | undefined} options.accessToken
 * @returns {(request: import('node:http').IncomingMessage) => Refusal | undefined}
 */
export function createAccessCheck({ allowedOrigins, accessToken }) {
	const origins = new Set(allowedOrigins);
	// Comparing fixed-length digests in constant time leaks neither the token nor its length.
	const expected = accessToken === undefined ? undefined : digest(accessToken);

	return (request) => {
		const origin = request.headers.origin;
		if (origins.size > 0 && origin !== undefined && !origins.has(origin.toLowerCase())) {
			return 'origin';
		}
		if (expected) {
			const token = queryOf(request.url ?? '').get('token');
			if (token === null || !timingSafeEqual(digest(token), expected)) return 'token';
		}
		return undefined;
	};
}

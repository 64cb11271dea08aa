/**
 * Sync settings as a member types them, checked: signaling relays and ICE (STUN/TURN) servers.
 * Pure parsing, shared by the sync layer (defaults), the stored settings (checked again on every
 * read) and the always-on peer's command line.
 */

/** Where to find peers: signaling relays, and the ICE (STUN/TURN) servers that connect across networks. */
export interface SyncConfig {
	readonly signalingUrls: readonly string[];
	readonly iceServers: readonly RTCIceServer[];
}

export type ConfigResult<T> = { ok: true; value: T } | { ok: false; error: ConfigError };

/** Why a setting was refused; each maps to a message the settings page shows. */
export type ConfigError =
	| { kind: 'signaling-empty' }
	| { kind: 'signaling-url'; value: string }
	| { kind: 'ice-json' }
	| { kind: 'ice-url'; value: string };

const MAX_URLS = 8;

/** Signaling URLs as a member types them: one per line or comma separated, ws:// or wss:// only. */
export function parseSignalingUrls(text: string): ConfigResult<string[]> {
	const values = text
		.split(/[\s,]+/)
		.map((value) => value.trim())
		.filter(Boolean);
	if (values.length === 0) return { ok: false, error: { kind: 'signaling-empty' } };
	for (const value of values) {
		if (!isUrl(value, ['ws:', 'wss:']))
			return { ok: false, error: { kind: 'signaling-url', value } };
	}
	return { ok: true, value: [...new Set(values)].slice(0, MAX_URLS) };
}

/**
 * ICE servers as a member types them: either one `stun:`/`turn:`/`turns:` URL per line, or the JSON
 * array that WebRTC takes (needed for TURN credentials).
 */
export function parseIceServers(text: string): ConfigResult<RTCIceServer[]> {
	const trimmed = text.trim();
	if (trimmed === '') return { ok: true, value: [] };
	if (trimmed.startsWith('[')) return parseIceJson(trimmed);
	const servers: RTCIceServer[] = [];
	for (const value of trimmed.split(/\s+/)) {
		if (!isIceUrl(value)) return { ok: false, error: { kind: 'ice-url', value } };
		servers.push({ urls: value });
	}
	return { ok: true, value: servers.slice(0, MAX_URLS) };
}

function parseIceJson(text: string): ConfigResult<RTCIceServer[]> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { ok: false, error: { kind: 'ice-json' } };
	}
	if (!Array.isArray(parsed)) return { ok: false, error: { kind: 'ice-json' } };
	const servers: RTCIceServer[] = [];
	for (const item of parsed.slice(0, MAX_URLS) as unknown[]) {
		if (typeof item !== 'object' || item === null)
			return { ok: false, error: { kind: 'ice-json' } };
		const { urls, username, credential } = item as Record<string, unknown>;
		const list = typeof urls === 'string' ? [urls] : urls;
		if (!Array.isArray(list) || list.length === 0)
			return { ok: false, error: { kind: 'ice-json' } };
		for (const url of list) {
			if (typeof url !== 'string' || !isIceUrl(url)) {
				return { ok: false, error: { kind: 'ice-url', value: String(url) } };
			}
		}
		if (username !== undefined && typeof username !== 'string') {
			return { ok: false, error: { kind: 'ice-json' } };
		}
		if (credential !== undefined && typeof credential !== 'string') {
			return { ok: false, error: { kind: 'ice-json' } };
		}
		servers.push({
			urls: list as string[],
			...(username === undefined ? {} : { username }),
			...(credential === undefined ? {} : { credential })
		});
	}
	return { ok: true, value: servers };
}

/** ICE servers shown back in the settings form: plain URLs where possible, JSON when credentials are set. */
export function formatIceServers(servers: readonly RTCIceServer[]): string {
	if (servers.some((server) => server.username !== undefined || server.credential !== undefined)) {
		return JSON.stringify(servers, null, 2);
	}
	return servers
		.flatMap((server) => (Array.isArray(server.urls) ? server.urls : [server.urls]))
		.join('\n');
}

function isIceUrl(value: string): boolean {
	return /^(stun|stuns|turn|turns):[^\s]+$/.test(value);
}

function isUrl(value: string, protocols: string[]): boolean {
	try {
		const url = new URL(value);
		return protocols.includes(url.protocol) && url.hostname !== '';
	} catch {
		return false;
	}
}

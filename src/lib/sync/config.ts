import { parseIceServers } from '$lib/util/sync-config';

/**
 * The relay a build uses unless the member chose another: `VITE_SIGNALING_URLS` at build time
 * (comma separated), else a relay on port `VITE_SIGNALING_PORT` (4444 unless set) of the host that
 * served the app: what `npm start` runs, and what a co-op serving both from one machine gets.
 */
export function defaultSignalingUrls(location: { protocol: string; hostname: string }): string[] {
	const configured = (import.meta.env.VITE_SIGNALING_URLS as string | undefined) ?? '';
	const urls = configured
		.split(',')
		.map((url) => url.trim())
		.filter(Boolean);
	if (urls.length > 0) return urls;
	const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
	const port = (import.meta.env.VITE_SIGNALING_PORT as string | undefined) || '4444';
	return [`${scheme}://${location.hostname}:${port}`];
}

/**
 * ICE servers a build uses unless the member chose others: `VITE_ICE_SERVERS` (JSON) at build time,
 * else none, so no third party learns members' addresses; peers then connect on the same network
 * (the depot's wifi), and a deployment for members on different networks sets STUN/TURN servers.
 */
export function defaultIceServers(): RTCIceServer[] {
	const configured = import.meta.env.VITE_ICE_SERVERS as string | undefined;
	if (!configured) return [];
	const parsed = parseIceServers(configured);
	return parsed.ok ? [...parsed.value] : [];
}

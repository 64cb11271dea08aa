import { parseIceServers, parseSignalingUrls, type SyncConfig } from '$lib/util/sync-config';

const KEY = 'ours.sync-settings';

/**
 * The member's own sync settings, if they changed them. Kept in localStorage because they are read
 * synchronously before any co-op opens, are tiny, and belong to this device only.
 */
export function loadSyncSettings(): Partial<SyncConfig> {
	try {
		const raw = localStorage.getItem(KEY);
		if (!raw) return {};
		const parsed = JSON.parse(raw) as unknown;
		if (typeof parsed !== 'object' || parsed === null) return {};
		// Parsed again as if typed: whatever is stored, only valid settings reach the sync layer.
		const { signalingUrls, iceServers } = parsed as Record<string, unknown>;
		const signaling = isStringArray(signalingUrls)
			? parseSignalingUrls(signalingUrls.join('\n'))
			: null;
		const ice = Array.isArray(iceServers) ? parseIceServers(JSON.stringify(iceServers)) : null;
		return {
			...(signaling?.ok ? { signalingUrls: signaling.value } : {}),
			...(ice?.ok ? { iceServers: ice.value } : {})
		};
	} catch {
		return {};
	}
}

export function saveSyncSettings(settings: Partial<SyncConfig>): void {
	localStorage.setItem(KEY, JSON.stringify(settings));
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

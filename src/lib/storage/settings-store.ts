import { parseIceServers, parseSignalingUrls, type SyncConfig } from '$lib/util/sync-config';
import { keepCopy, readCopy } from './settings-copy';

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

/** Saves the settings; resolves once they are on disk (see `settings-copy.ts`). */
export async function saveSyncSettings(settings: Partial<SyncConfig>): Promise<void> {
	const text = JSON.stringify(settings);
	localStorage.setItem(KEY, text);
	await keepCopy(KEY, text);
}

/**
 * Puts back the settings saved last, when localStorage lost them (the browser was killed before
 * writing it out). Returns whether anything changed.
 */
export async function restoreSyncSettings(): Promise<boolean> {
	const kept = await readCopy(KEY);
	if (kept === undefined || localStorage.getItem(KEY) === kept) return false;
	localStorage.setItem(KEY, kept);
	return true;
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

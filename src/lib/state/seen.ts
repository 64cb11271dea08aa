import type { Stamp } from '$lib/domain/kernel/hlc';

/**
 * This device's markers of what it has shown its member, per co-op: the newest stamp seen on the
 * home page, in the Decisions area, and in a notification. They live in this device's
 * localStorage, never in the shared document: each device of a member keeps its own.
 */
export type SeenArea = 'home' | 'decisions' | 'notified';

export type SeenMarkers = Partial<Record<SeenArea, Stamp>>;

const PREFIX = 'ours.seen.';
const STAMP = /^\d{13}-[0-9a-f]{4}$/;

export function loadSeen(coopId: string): SeenMarkers {
	try {
		const parsed: unknown = JSON.parse(localStorage.getItem(PREFIX + coopId) ?? '{}');
		if (typeof parsed !== 'object' || parsed === null) return {};
		const markers: SeenMarkers = {};
		for (const area of ['home', 'decisions', 'notified'] as const) {
			const value = (parsed as Record<string, unknown>)[area];
			if (typeof value === 'string' && STAMP.test(value)) markers[area] = value;
		}
		return markers;
	} catch {
		return {};
	}
}

export function saveSeen(coopId: string, markers: SeenMarkers): void {
	try {
		localStorage.setItem(PREFIX + coopId, JSON.stringify(markers));
	} catch (error) {
		console.warn('What was seen could not be kept', error);
	}
}

/** Forgets a co-op's markers (when the co-op leaves this device). */
export function forgetSeen(coopId: string): void {
	localStorage.removeItem(PREFIX + coopId);
}

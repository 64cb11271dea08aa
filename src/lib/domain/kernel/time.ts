import { MAX_DRIFT_MS, wallOf, type Stamp } from './hlc';

/**
 * The time rule: a record stamped further ahead of the receiving device's clock than this takes
 * no effect before its time. It waits (pending, `future`) and is judged again once the device's
 * clock passes its stamp minus the tolerance. Without it, a member could stamp a record days
 * ahead (a close at a proposal's closing time, written early) and every device would apply it at
 * once. The tolerance is the drift a device's clock already accepts from a peer (`MAX_DRIFT_MS`).
 */
export const FUTURE_TOLERANCE_MS = MAX_DRIFT_MS;

/** The device time from which a record stamped `at` takes effect. */
export function dueAt(at: Stamp): number {
	return wallOf(at) - FUTURE_TOLERANCE_MS;
}

/** True if a record stamped `at` is too far ahead of `now` to take effect yet. */
export function isFuture(at: Stamp, now: number): boolean {
	return dueAt(at) > now;
}

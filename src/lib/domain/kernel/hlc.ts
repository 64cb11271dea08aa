/**
 * Hybrid logical clock (Kulkarni et al., 2014) for the `at` stamp of records.
 *
 * A stamp is a wall-clock reading in milliseconds plus a counter. Each device keeps one clock:
 * - `tick` (a local record is written): the wall part becomes max(clock, physical time); if that did
 *   not move it forward, the counter goes up. Stamps from one device therefore always increase,
 *   even when the system clock steps backwards.
 * - `receive` (a record from a peer is seen): the clock jumps to at least the peer's stamp. Anything
 *   written afterwards sorts after what was seen, so a join sorts after the invite it answers and a
 *   revocation after the invite it revokes, without anyone trusting anyone's system clock.
 *
 * Stamps are compact strings that sort like the clock: 13 decimal digits of milliseconds since the
 * epoch (good until the year 2286), a dash, 4 hex digits of counter: `1718000000000-002a`.
 * Records are ordered by (stamp, record id); the id breaks ties between devices.
 */

/** One reading of a hybrid logical clock. */
export interface Hlc {
	readonly wall: number;
	readonly counter: number;
}

/** A stamp string, as it appears in the `at` field of a record. */
export type Stamp = string;

/** How far ahead of our physical time a peer's stamp may be before our clock refuses to follow it. */
export const MAX_DRIFT_MS = 5 * 60 * 1000;

/** Largest counter value; 65,536 records in one millisecond from one device is a bug, not load. */
export const MAX_COUNTER = 0xffff;

/** Largest wall value that fits the 13-digit stamp. */
export const MAX_WALL = 9_999_999_999_999;

/** The clock of a device that has never written or seen anything. */
export const ZERO_CLOCK: Hlc = Object.freeze({ wall: 0, counter: 0 });

const STAMP_PATTERN = /^(\d{13})-([0-9a-f]{4})$/;

/**
 * A peer's stamp is further ahead of this device's physical clock than `MAX_DRIFT_MS`.
 *
 * Following such a stamp would drag this device's clock into the future, and every record it wrote
 * from then on would carry that future time. One device with a wrong clock (or a member who forges
 * stamps) could push the whole co-op's clocks forward, and once pushed they never come back: a
 * hybrid clock only moves forward. So `receive` refuses and throws this error instead.
 *
 * What the caller does: keep its own clock as it was and carry on. The record itself is not judged
 * by this error: validity of records never depends on a device's physical time (that would make
 * devices disagree), so a record stamped in the future still counts, it simply sorts late. The rules
 * of the areas are written so that sorting late can only hurt the author's own records.
 *
 * Five minutes is generous for phones and laptops, whose clocks are set over the network, and
 * small enough that a device honouring it stays close to real time.
 */
export class ClockDriftError extends Error {
	override name = 'ClockDriftError';
	constructor(readonly driftMs: number) {
		super(`Remote clock is ${driftMs} ms ahead of ours (at most ${MAX_DRIFT_MS} ms is followed)`);
	}
}

/** The counter ran past `MAX_COUNTER` within one millisecond. */
export class ClockOverflowError extends Error {
	override name = 'ClockOverflowError';
}

/** Thrown by `formatHlc` for a reading that no stamp can represent. */
export class StampRangeError extends Error {
	override name = 'StampRangeError';
}

function checked(wall: number, counter: number): Hlc {
	if (counter > MAX_COUNTER) throw new ClockOverflowError(`Counter overflow at ${wall}`);
	if (wall > MAX_WALL) throw new StampRangeError(`Wall time ${wall} is beyond the stamp range`);
	return { wall, counter };
}

/**
 * The clock after writing a local record at physical time `now` (ms since the epoch).
 * Never throws for drift: a clock ahead of `now` (the system clock was set back) simply keeps
 * counting from where it was, which keeps this device's stamps increasing.
 */
export function tick(clock: Hlc, now: number): Hlc {
	const physical = Math.floor(now);
	if (physical > clock.wall) return checked(physical, 0);
	return checked(clock.wall, clock.counter + 1);
}

/**
 * The clock after seeing a peer's stamp `remote` at physical time `now`.
 * Throws `ClockDriftError` if `remote` is more than `MAX_DRIFT_MS` ahead of `now`.
 */
export function receive(clock: Hlc, remote: Hlc, now: number): Hlc {
	const physical = Math.floor(now);
	if (remote.wall - physical > MAX_DRIFT_MS) throw new ClockDriftError(remote.wall - physical);
	const wall = Math.max(clock.wall, remote.wall, physical);
	if (wall === clock.wall && wall === remote.wall) {
		return checked(wall, Math.max(clock.counter, remote.counter) + 1);
	}
	if (wall === clock.wall) return checked(wall, clock.counter + 1);
	if (wall === remote.wall) return checked(wall, remote.counter + 1);
	return checked(wall, 0);
}

/** The stamp string of a clock reading. */
export function formatHlc(clock: Hlc): Stamp {
	const { wall, counter } = clock;
	if (!Number.isSafeInteger(wall) || wall < 0 || wall > MAX_WALL) {
		throw new StampRangeError(`Wall time ${wall} cannot be stamped`);
	}
	if (!Number.isSafeInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
		throw new StampRangeError(`Counter ${counter} cannot be stamped`);
	}
	return `${String(wall).padStart(13, '0')}-${counter.toString(16).padStart(4, '0')}`;
}

/** The clock reading of a stamp, or `undefined` if the text is not a stamp. */
export function parseHlc(stamp: unknown): Hlc | undefined {
	if (typeof stamp !== 'string') return undefined;
	const match = STAMP_PATTERN.exec(stamp);
	if (match === null) return undefined;
	return { wall: Number(match[1]), counter: parseInt(match[2]!, 16) };
}

/** True if `value` is a stamp string. */
export function isStamp(value: unknown): value is Stamp {
	return typeof value === 'string' && STAMP_PATTERN.test(value);
}

/** The wall-clock part (ms) of a stamp already known to be valid. */
export function wallOf(stamp: Stamp): number {
	return Number(stamp.slice(0, 13));
}

import { describe, expect, it } from 'vitest';
import {
	ClockDriftError,
	ClockOverflowError,
	formatHlc,
	isStamp,
	MAX_COUNTER,
	MAX_DRIFT_MS,
	parseHlc,
	receive,
	StampRangeError,
	tick,
	wallOf,
	ZERO_CLOCK,
	type Hlc
} from '$lib/domain/kernel/hlc';
import { prng } from './fixtures';

const NOW = Date.UTC(2025, 5, 1);

describe('hybrid logical clock', () => {
	it('follows physical time when it moves forward', () => {
		expect(tick({ wall: NOW - 10, counter: 7 }, NOW)).toEqual({ wall: NOW, counter: 0 });
	});

	it('keeps stamps increasing when the system clock stands still or steps back', () => {
		let clock = tick(ZERO_CLOCK, NOW);
		const stamps = [formatHlc(clock)];
		for (const now of [NOW, NOW - 1000, NOW - 60_000, NOW + 1]) {
			clock = tick(clock, now);
			stamps.push(formatHlc(clock));
		}
		expect(stamps).toEqual([...stamps].sort());
		expect(new Set(stamps).size).toBe(stamps.length);
	});

	it('jumps past a peer stamp it receives, so later records sort after it', () => {
		const mine = tick(ZERO_CLOCK, NOW);
		const theirs: Hlc = { wall: NOW + 2000, counter: 4 };
		const after = receive(mine, theirs, NOW);
		expect(after).toEqual({ wall: NOW + 2000, counter: 5 });
		expect(formatHlc(tick(after, NOW)) > formatHlc(theirs)).toBe(true);
	});

	it('takes the larger counter plus one when both clocks share the wall time', () => {
		expect(receive({ wall: NOW, counter: 3 }, { wall: NOW, counter: 9 }, NOW - 5)).toEqual({
			wall: NOW,
			counter: 10
		});
	});

	it('resets the counter when physical time is ahead of both clocks', () => {
		expect(receive({ wall: NOW - 5, counter: 3 }, { wall: NOW - 9, counter: 9 }, NOW)).toEqual({
			wall: NOW,
			counter: 0
		});
	});

	it('refuses to follow a peer more than MAX_DRIFT_MS ahead, and says by how much', () => {
		const remote = { wall: NOW + MAX_DRIFT_MS + 1, counter: 0 };
		expect(() => receive(ZERO_CLOCK, remote, NOW)).toThrow(ClockDriftError);
		try {
			receive(ZERO_CLOCK, remote, NOW);
		} catch (error) {
			expect((error as ClockDriftError).driftMs).toBe(MAX_DRIFT_MS + 1);
		}
		expect(receive(ZERO_CLOCK, { wall: NOW + MAX_DRIFT_MS, counter: 0 }, NOW).wall).toBe(
			NOW + MAX_DRIFT_MS
		);
	});

	it('throws ClockOverflowError rather than wrap the counter', () => {
		expect(() => tick({ wall: NOW, counter: MAX_COUNTER }, NOW)).toThrow(ClockOverflowError);
	});

	it('round-trips stamps, and their text order is the clock order', () => {
		const random = prng(11);
		const clocks: Hlc[] = Array.from({ length: 500 }, () => ({
			wall: Math.floor(random() * 4e12),
			counter: Math.floor(random() * (MAX_COUNTER + 1))
		}));
		for (const clock of clocks) {
			const stamp = formatHlc(clock);
			expect(stamp).toMatch(/^\d{13}-[0-9a-f]{4}$/);
			expect(parseHlc(stamp)).toEqual(clock);
			expect(wallOf(stamp)).toBe(clock.wall);
		}
		const byClock = [...clocks].sort((a, b) => a.wall - b.wall || a.counter - b.counter);
		const byText = [...clocks].sort((a, b) => (formatHlc(a) < formatHlc(b) ? -1 : 1));
		expect(byText).toEqual(byClock);
	});

	it.each([
		'1718000000000-00A0',
		'1718000000000-0a0',
		'171800000000-0a00',
		'1718000000000_0a00',
		' 1718000000000-0a00',
		'1718000000000-0a00\n'
	])('does not parse %j as a stamp', (text) => {
		expect(parseHlc(text)).toBeUndefined();
		expect(isStamp(text)).toBe(false);
	});

	it('refuses to format readings no stamp can hold', () => {
		expect(() => formatHlc({ wall: -1, counter: 0 })).toThrow(StampRangeError);
		expect(() => formatHlc({ wall: 1e13, counter: 0 })).toThrow(StampRangeError);
		expect(() => formatHlc({ wall: NOW, counter: 0x10000 })).toThrow(StampRangeError);
		expect(() => formatHlc({ wall: 1.5, counter: 0 })).toThrow(StampRangeError);
	});
});

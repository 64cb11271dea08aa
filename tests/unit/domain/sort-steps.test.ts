import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortInSteps } from '$lib/domain/kernel/sort-steps';

/** Runs the generator to its end; returns the result and how many times it stopped. */
function drive<T>(steps: Generator<void, T[]>): { sorted: T[]; stops: number } {
	let stops = 0;
	for (;;) {
		const result = steps.next();
		if (result.done === true) return { sorted: result.value, stops };
		stops++;
	}
}

interface Item {
	readonly key: number;
	readonly place: number;
}

const byKey = (a: Item, b: Item) => a.key - b.key;

describe('a sort that can stop and go on', () => {
	it('gives what a stable sort gives, equal items in their order, whatever the size', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 9000 }), (keys) => {
				const items = keys.map((key, place) => ({ key, place }));
				const { sorted } = drive(sortInSteps(items, byKey));
				expect(sorted).toEqual([...items].sort(byKey));
				// A copy: the input is left as it was.
				expect(items.map((item) => item.place)).toEqual(keys.map((_, place) => place));
			}),
			{ numRuns: 60 }
		);
	});

	it('stops many times on a large input, and sorts sizes around its runs', () => {
		const items = Array.from({ length: 50_000 }, (_, place) => ({
			key: (place * 7919) % 1000,
			place
		}));
		const { sorted, stops } = drive(sortInSteps(items, byKey));
		expect(sorted).toEqual([...items].sort(byKey));
		expect(stops).toBeGreaterThan(25);
		for (const size of [0, 1, 2047, 2048, 2049, 4096, 4097, 6145]) {
			const some = items.slice(0, size);
			expect(drive(sortInSteps(some, byKey)).sorted).toEqual([...some].sort(byKey));
		}
	});
});

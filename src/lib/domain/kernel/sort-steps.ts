/**
 * A stable sort that can stop and go on: a generator that yields every few thousand items moved
 * and returns a sorted copy of `items`, in the order `Array.prototype.sort` gives (equal items
 * keep their order). Runs of `RUN` items are sorted by the engine, then merged pairwise, bottom
 * up. Sorting the 100,000 records a co-op opens with took a browser over 0.1 s in one go; the
 * caller drives this between other work instead.
 */

const RUN = 2048;
/** Items merged between two yields. */
const MERGE_STEP = 4096;

export function* sortInSteps<T>(
	items: readonly T[],
	compare: (a: T, b: T) => number
): Generator<void, T[]> {
	let from = items.slice();
	for (let start = 0; start < from.length; start += RUN) {
		const run = from.slice(start, start + RUN).sort(compare);
		for (let index = 0; index < run.length; index++) from[start + index] = run[index]!;
		yield;
	}
	let to = new Array<T>(from.length);
	for (let width = RUN; width < from.length; width *= 2) {
		for (let left = 0; left < from.length; left += 2 * width) {
			const middle = Math.min(left + width, from.length);
			const right = Math.min(left + 2 * width, from.length);
			let i = left;
			let j = middle;
			let k = left;
			while (i < middle && j < right) {
				// From the right only when strictly smaller: equal items keep their order.
				to[k++] = compare(from[j]!, from[i]!) < 0 ? from[j++]! : from[i++]!;
				if (k % MERGE_STEP === 0) yield;
			}
			while (i < middle) to[k++] = from[i++]!;
			while (j < right) to[k++] = from[j++]!;
		}
		[from, to] = [to, from];
		yield;
	}
	return from;
}

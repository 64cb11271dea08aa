/**
 * The index of the first item of a sorted list for which `before` is false: where an item that
 * sorts after every item `before` accepts goes (a binary search).
 */
export function firstNotBefore<T>(items: readonly T[], before: (item: T) => boolean): number {
	let low = 0;
	let high = items.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (before(items[middle]!)) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** One contiguous edit that turns one string into another. */
export interface TextEdit {
	readonly index: number;
	readonly remove: number;
	readonly insert: string;
}

/**
 * The single edit between two versions of a text field, found by trimming their common prefix and
 * suffix. A text input changes one contiguous range per event (typing, pasting, deleting a
 * selection), so this is exact for what a field reports and keeps CRDT operations small.
 */
export function diffText(before: string, after: string): TextEdit | null {
	if (before === after) return null;
	const max = Math.min(before.length, after.length);
	let start = 0;
	while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
	let end = 0;
	while (
		end < max - start &&
		before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
	) {
		end++;
	}
	return {
		index: start,
		remove: before.length - start - end,
		insert: after.slice(start, after.length - end)
	};
}

/** A change as Yjs reports it on a text: retain, insert or delete runs, in order. */
export type TextDelta = ReadonlyArray<{
	readonly retain?: number;
	readonly insert?: unknown;
	readonly delete?: number;
}>;

/**
 * Where a caret at `position` lands after someone else's change, so that a remote edit does not
 * move the cursor of the person typing.
 */
export function transformPosition(position: number, delta: TextDelta): number {
	// `cursor` walks the text as it was before the change; `result` is the caret after it.
	let cursor = 0;
	let result = position;
	for (const op of delta) {
		if (cursor > position) break;
		if (op.retain !== undefined) {
			cursor += op.retain;
		} else if (op.insert !== undefined) {
			const length = typeof op.insert === 'string' ? op.insert.length : 1;
			if (cursor <= position) result += length;
			cursor += length;
		} else if (op.delete !== undefined) {
			result -= Math.min(op.delete, Math.max(0, position - cursor));
			cursor += op.delete;
		}
	}
	return result;
}

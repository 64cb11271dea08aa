import * as Y from 'yjs';
import { nextTask, SLICE_MS } from '$lib/util/next-task';
import { UpdateSlicer, type WindowBudget } from './update-slices';

/**
 * Applies a large Yjs update a window at a time, one task each (see `update-slices.ts`), so that
 * the page answers between windows: Yjs applies a whole update in one task, and 100,000 map
 * entries (28 MiB) took it 3 to 6 s in Chromium.
 */

/** Updates up to this size are applied whole: about a thousand records, tens of milliseconds. */
export const SLICE_ABOVE_BYTES = 256 * 1024;

const FIRST_BUDGET: WindowBudget = { structs: 256, bytes: 256 * 1024 };
const MIN_STRUCTS = 16;
const MAX_STRUCTS = 1 << 16;
const MAX_BYTES = 4 * 1024 * 1024;

export interface SliceOptions {
	/** Applies whole any update up to this many bytes. */
	readonly above?: number;
	/** Waits between windows: by default a new task (`setTimeout(0)`). */
	readonly pause?: () => Promise<void>;
	/** Sizes the first window; later ones follow the time each took. */
	readonly budget?: WindowBudget;
	/** Keeps every window at `budget` (tests). */
	readonly fixed?: boolean;
	/** Says when to stop before the next window (the document is no longer wanted). */
	readonly stopped?: () => boolean;
}

/**
 * Starts applying `update` to `doc` in windows, each with `origin` as its transaction origin;
 * resolves once the last is applied (or the document destroyed, or `stopped`). Returns null,
 * having applied nothing, when the update is small or cannot be cut (a v2 update, content Yjs
 * would refuse): the caller applies it whole, as before. A window's observers that throw are logged, as
 * y-protocols does for a whole update, and the next window goes on.
 */
export function applyInSlices(
	doc: Y.Doc,
	update: Uint8Array,
	origin: unknown,
	options: SliceOptions = {}
): Promise<void> | null {
	if (update.byteLength <= (options.above ?? SLICE_ABOVE_BYTES)) return null;
	const slicer = UpdateSlicer.of(update, (client) => Y.getState(doc.store, client));
	if (slicer === null) return null;
	return run(doc, slicer, origin, options);
}

async function run(
	doc: Y.Doc,
	slicer: UpdateSlicer,
	origin: unknown,
	options: SliceOptions
): Promise<void> {
	const pause = options.pause ?? nextTask;
	let budget = options.budget ?? FIRST_BUDGET;
	for (;;) {
		if (doc.isDestroyed || options.stopped?.() === true) return;
		const start = performance.now();
		const window = slicer.next(budget);
		if (window === null) return;
		try {
			Y.applyUpdate(doc, window.update, origin);
		} catch (error) {
			console.error('Caught error while handling a Yjs update', error);
		}
		if (!options.fixed) budget = nextBudget(budget, window.size, performance.now() - start);
		await pause();
	}
}

/** Scales the window to the time the last one took: at most doubling, shrinking at once. */
function nextBudget(budget: WindowBudget, size: number, ms: number): WindowBudget {
	if (size < budget.structs && ms < SLICE_MS) return budget; // the update ran out, not the budget
	const factor = Math.min(2, SLICE_MS / Math.max(ms, 0.5));
	const clamp = (value: number, min: number, max: number) =>
		Math.round(Math.min(max, Math.max(min, value)));
	return {
		structs: clamp(budget.structs * factor, MIN_STRUCTS, MAX_STRUCTS),
		bytes: clamp(budget.bytes * factor, 64 * 1024, MAX_BYTES)
	};
}

/**
 * `applyInSlices` as opening a co-op applies its stored document, the layout read in steps too
 * (`UpdateSlicer.inSteps`), each step and window a task of its own (`nextTask`), from the task
 * after the one that read the update from disk. An update that cannot be cut is applied whole,
 * and what Yjs throws then rejects the promise; until `stopped` says so. Null for an update small
 * enough to apply whole, having applied nothing.
 */
export function applyStoredInSlices(
	doc: Y.Doc,
	update: Uint8Array,
	origin: unknown,
	stopped?: () => boolean
): Promise<void> | null {
	if (update.byteLength <= SLICE_ABOVE_BYTES) return null;
	const options: SliceOptions = stopped ? { stopped } : {};
	return (async () => {
		// Not in the task that read the update from disk.
		await nextTask();
		const state = (client: number) => Y.getState(doc.store, client);
		const slicer = await UpdateSlicer.inSteps(update, state, nextTask, SLICE_MS);
		await nextTask();
		if (doc.isDestroyed || stopped?.() === true) return;
		if (slicer === null) Y.applyUpdate(doc, update, origin);
		else await run(doc, slicer, origin, options);
	})();
}

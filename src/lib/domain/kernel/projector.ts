import { compareRecords, type Verified } from './envelope';
import { KernelFold } from './fold';
import { sortInSteps } from './sort-steps';
import { firstNotBefore } from './sorted';
import { integrityOf, type IntegrityReport } from './accounting';
import type { Rejection } from './reasons';
import type { Registry } from './registry';

/**
 * A projection of a co-op's records, kept up to date as records arrive.
 *
 * Records are folded in (at, id) order. A batch whose records all sort after the last one applied
 * (the common case: new records are stamped by clocks that have seen the old ones) is applied on
 * top of the current state. A batch with a record that sorts before the last one applied (a peer
 * back from a long time offline) is merged into the sorted list, and the fold starts again from
 * the last checkpoint before the earliest new record: a copy of the whole fold's state, taken every
 * `checkpointEvery` records. Checkpoints are thinned as the co-op grows (at most
 * `MAX_CHECKPOINTS`, evenly spaced), so they cost a bounded number of copies of the state. A record
 * late by little (the usual case) replays only the records after it; see docs/architecture.md.
 *
 * Verification is separate and async; the projector is synchronous and only takes verified
 * records. Entries that failed verification are passed to `reject` so that the integrity report
 * covers everything stored under the co-op's record map.
 */

/** Checkpoints kept at most; older ones are thinned to every other one when there are more. */
export const MAX_CHECKPOINTS = 8;
/** Records between checkpoints, to start with (it doubles when checkpoints are thinned). */
export const CHECKPOINT_EVERY = 1024;

export interface ProjectorOptions {
	/** Records between two checkpoints to start with; small values are for tests. */
	readonly checkpointEvery?: number;
	/** The device's time (ms since the epoch), read at each `add` and `advance`; `Date.now`. */
	readonly now?: () => number;
}

/** What the last refold did (for tests and benchmarks). */
export interface RefoldStats {
	/** Records applied again, from the checkpoint to the end. */
	readonly replayed: number;
	/** Records the checkpoint it started from had already applied. */
	readonly from: number;
}

interface Checkpoint {
	/** Number of records (a prefix of the sorted list) the fold has applied. */
	readonly at: number;
	readonly fold: KernelFold;
}

export class Projector<S> {
	readonly #registry: Registry;
	readonly #coopId: string;
	readonly #compose: (fold: KernelFold, integrity: IntegrityReport) => S;
	#entries: Verified[] = [];
	readonly #ids = new Set<string>();
	#fold: KernelFold;
	#checkpoints: Checkpoint[] = [];
	#interval: number;
	readonly #verifyRejections = new Map<string, Rejection>();
	#snapshot: S | null = null;
	readonly #clock: () => number;
	/** The time the fold runs at: the latest reading of `#clock` (it never goes back). */
	#now: number;
	#refolds = 0;
	#lastRefold: RefoldStats | null = null;
	/** What is left of a batch given to `addInSteps`, applied by calling it. */
	#steps: ((ms: number) => boolean) | null = null;

	constructor(
		registry: Registry,
		coopId: string,
		compose: (fold: KernelFold, integrity: IntegrityReport) => S,
		options: ProjectorOptions = {}
	) {
		this.#registry = registry;
		this.#coopId = coopId;
		this.#compose = compose;
		this.#interval = Math.max(1, options.checkpointEvery ?? CHECKPOINT_EVERY);
		this.#clock = options.now ?? Date.now;
		this.#now = this.#clock();
		this.#fold = new KernelFold(registry, coopId, this.#now);
	}

	/** Number of distinct verified records applied. */
	get size(): number {
		this.#finishSteps();
		return this.#entries.length;
	}

	/** How many times `add` had to fold again from a checkpoint (for tests and benchmarks). */
	get refolds(): number {
		return this.#refolds;
	}

	/** What the last refold replayed, `null` before any. */
	get lastRefold(): RefoldStats | null {
		return this.#lastRefold;
	}

	/** The fold as it stands (read it, never change it). */
	get fold(): KernelFold {
		this.#finishSteps();
		return this.#fold;
	}

	/**
	 * The id of the newest record added (in (at, id) order) stamped before `at`: what a record
	 * written at `at` names as `after`. Records from the future are left out by their stamp.
	 */
	newestBefore(at: string): string | null {
		this.#finishSteps();
		const after = firstNotBefore(this.#entries, (entry) => entry.record.at < at);
		return after === 0 ? null : this.#entries[after - 1]!.id;
	}

	/** True if a verified record with this id has been added. */
	has(id: string): boolean {
		return this.#ids.has(id);
	}

	/**
	 * The device time at which a record waiting as `future` takes effect (the earliest), or
	 * `null`: when to call `advance` next.
	 */
	nextDue(): number | null {
		return this.#fold.nextDue();
	}

	/**
	 * Moves the fold's time to the clock's and, if records waiting as `future` are now due, folds
	 * again from the last checkpoint before the earliest of them. True if it refolded.
	 */
	advance(): boolean {
		this.#finishSteps();
		const now = Math.max(this.#now, this.#clock());
		if (now === this.#now) return false;
		this.#now = now;
		this.#fold.now = now;
		const due = this.#fold.nextDue();
		if (due === null || due > now) return false;
		// The earliest record still waiting, due or not: everything from it on is judged again.
		const waiting = this.#fold.futureIds();
		const first = this.#entries.findIndex((entry) => waiting.has(entry.id));
		this.#refoldFrom(first < 0 ? this.#entries.length : first, []);
		this.#snapshot = null;
		return true;
	}

	/** Applies verified records; records already added are ignored. Reports whether it refolded. */
	add(records: readonly Verified[]): { added: number; refolded: boolean } {
		this.#finishSteps();
		const advanced = this.advance();
		const fresh: Verified[] = [];
		for (const entry of records) {
			if (this.#ids.has(entry.id)) continue;
			this.#ids.add(entry.id);
			// A valid record under a key outweighs any junk once seen under the same key.
			this.#verifyRejections.delete(entry.id);
			fresh.push(entry);
		}
		if (fresh.length === 0) return { added: 0, refolded: advanced };
		fresh.sort(compareRecords);
		this.#snapshot = null;
		const last = this.#entries.at(-1);
		if (last === undefined || compareRecords(fresh[0]!, last) > 0) {
			this.#pushAll(fresh);
			return { added: fresh.length, refolded: advanced };
		}
		const first = fresh[0]!;
		this.#refoldFrom(
			firstNotBefore(this.#entries, (entry) => compareRecords(entry, first) < 0),
			fresh
		);
		return { added: fresh.length, refolded: true };
	}

	/**
	 * Folds again from the last checkpoint at or before index `first`, with `fresh` (sorted, all at
	 * or after `first`) merged in. Records before `first` stay where they are; only what follows the
	 * checkpoint is merged and applied again (work in the records replayed, not all).
	 */
	#refoldFrom(first: number, fresh: readonly Verified[]): void {
		this.#checkpoints = this.#checkpoints.filter((checkpoint) => checkpoint.at <= first);
		const start = this.#checkpoints.at(-1);
		// The checkpoint stays as it is, for the next late record: the fold goes on from a copy.
		this.#fold =
			start === undefined
				? new KernelFold(this.#registry, this.#coopId, this.#now)
				: start.fold.clone();
		// A checkpoint keeps the time it was taken at; the records after it are judged at now.
		this.#fold.now = this.#now;
		const from = start?.at ?? 0;
		const replay = this.#entries
			.slice(from, first)
			.concat(mergeSorted(this.#entries.slice(first), fresh));
		this.#entries.length = from;
		this.#pushAll(replay);
		this.#refolds++;
		this.#lastRefold = { replayed: replay.length, from };
	}

	/** Records entries that failed verification, for the integrity report. */
	reject(rejections: readonly Rejection[]): void {
		for (const rejection of rejections) {
			if (this.#ids.has(rejection.id)) continue;
			this.#verifyRejections.set(rejection.id, rejection);
			this.#snapshot = null;
		}
	}

	/** The current projection; the same object until something changes. */
	snapshot(): S {
		this.#finishSteps();
		this.#snapshot ??= this.#compose(
			this.#fold,
			integrityOf(this.#fold, [...this.#verifyRejections.values()])
		);
		return this.#snapshot;
	}

	/**
	 * Applies a large batch a step at a time: the records a co-op opens with, which `add` would
	 * fold in one task (about a second for 100,000 records in a phone's browser, during which the
	 * page cannot answer). Returns a function that applies records for about `ms` milliseconds
	 * each time it is called and says whether any are left. Anything else asked of the projector
	 * meanwhile (`add`, `snapshot`...) first applies what is left, in one go: it always answers as
	 * if the whole batch had been added. A batch that does not sort wholly after what is applied (never
	 * the first) is folded at once, as `add` does.
	 */
	addInSteps(records: readonly Verified[]): (ms: number) => boolean {
		this.#finishSteps();
		const ids = this.#ids;
		// The new records picked out and sorted a step at a time too: 100,000 records took over
		// 0.1 s in one go.
		const sorting = (function* (): Generator<void, Verified[]> {
			const fresh: Verified[] = [];
			const batch = new Set<string>();
			for (const [index, entry] of records.entries()) {
				if (index % 4096 === 4095) yield;
				if (ids.has(entry.id) || batch.has(entry.id)) continue;
				batch.add(entry.id);
				fresh.push(entry);
			}
			return yield* sortInSteps(fresh, compareRecords);
		})();
		let sorted: Verified[] | null = null;
		let next = 0;
		let kept: ReadonlySet<number> = new Set();
		let start = 0;
		/** Once sorted: applied at once if it sorts before what is applied, else planned. */
		const begin = (entries: Verified[]): boolean => {
			const last = this.#entries.at(-1);
			if (last !== undefined && entries.length > 0 && compareRecords(entries[0]!, last) <= 0) {
				this.add(entries);
				return false;
			}
			this.advance();
			for (const entry of entries) {
				this.#ids.add(entry.id);
				this.#verifyRejections.delete(entry.id);
			}
			kept = this.#planCheckpoints(entries.length);
			start = this.#entries.length;
			return true;
		};
		const step = (ms: number): boolean => {
			const until = performance.now() + ms;
			if (sorted === null) {
				let result = sorting.next();
				while (result.done !== true && performance.now() <= until) result = sorting.next();
				if (result.done !== true) return true;
				sorted = result.value;
				// What `begin` asks of the projector must not come back here.
				if (this.#steps === step) this.#steps = null;
				if (!begin(sorted)) return false;
				this.#steps = step;
			}
			while (next < sorted.length) {
				this.#push(sorted[next++]!, kept, start);
				if (next % 64 === 0 && performance.now() > until) break;
			}
			this.#snapshot = null;
			if (next < sorted.length) return true;
			if (this.#steps === step) this.#steps = null;
			return false;
		};
		this.#steps = step;
		return step;
	}

	/** Applies what is left of a batch given to `addInSteps`. */
	#finishSteps(): void {
		this.#steps?.(Infinity);
	}

	/**
	 * Applies entries that sort after every entry applied, taking the checkpoints the projector
	 * holds once they are all in.
	 */
	#pushAll(entries: readonly Verified[]): void {
		const start = this.#entries.length;
		const kept = this.#planCheckpoints(entries.length);
		for (const entry of entries) this.#push(entry, kept, start);
	}

	/**
	 * Plans the checkpoints for `count` more records. Checkpoints are thinned as the records grow
	 * (see `thin`); a batch of many records (opening a co-op) would take many that a later one of
	 * the same batch thins away, each a copy of the whole fold, so the positions that stay are
	 * worked out first, on numbers, and only those are copied: the same checkpoints as taking
	 * them one by one. Returns the positions at which to take one.
	 */
	#planCheckpoints(count: number): ReadonlySet<number> {
		const start = this.#entries.length;
		const planned = thin(
			this.#checkpoints.map((checkpoint) => checkpoint.at),
			this.#interval,
			start,
			start + count
		);
		const kept = new Set(planned.positions);
		this.#checkpoints = this.#checkpoints.filter((checkpoint) => kept.has(checkpoint.at));
		this.#interval = planned.interval;
		return kept;
	}

	/** Applies one entry that sorts after every entry applied; takes a planned checkpoint. */
	#push(entry: Verified, kept: ReadonlySet<number>, start: number): void {
		this.#entries.push(entry);
		this.#fold.apply(entry);
		if (kept.has(this.#entries.length) && this.#entries.length > start) {
			this.#checkpoints.push({ at: this.#entries.length, fold: this.#fold.clone() });
		}
	}
}

/**
 * The checkpoints held, and the interval, once records `start + 1` to `end` are applied: a
 * checkpoint after every `interval`-th record; when there are more than `MAX_CHECKPOINTS`, the
 * interval doubles and only the checkpoints at its multiples stay.
 */
export function thin(
	positions: readonly number[],
	interval: number,
	start: number,
	end: number
): { positions: number[]; interval: number } {
	let kept = [...positions];
	let every = interval;
	for (let at = (Math.floor(start / every) + 1) * every; at <= end;) {
		kept.push(at);
		if (kept.length > MAX_CHECKPOINTS) {
			every *= 2;
			kept = kept.filter((position) => position % every === 0);
		}
		at = (Math.floor(at / every) + 1) * every;
	}
	return { positions: kept, interval: every };
}

function mergeSorted(a: readonly Verified[], b: readonly Verified[]): Verified[] {
	const merged: Verified[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		merged.push(compareRecords(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
	}
	while (i < a.length) merged.push(a[i++]!);
	while (j < b.length) merged.push(b[j++]!);
	return merged;
}

import type { Verified } from './envelope';
import {
	AUTHORS,
	rejected,
	waiting,
	type AreaFold,
	type AreaModule,
	type Authors,
	type Effect,
	type FoldContext,
	type Outcome,
	type QueryKey,
	type Settled,
	type Use,
	type Wait
} from './module';
import type { ReasonCode, Rejection } from './reasons';
import type { Registry } from './registry';
import { SeenIds } from './seen-ids';
import { dueAt, isFuture } from './time';

/**
 * The fold of every area, applied to verified records one at a time in (at, id) order. The
 * kernel checks the co-op, finds the record's area, resolves its author when the kind asks for
 * it, hands the record to the area's fold and books what came of it: accepted, rejected, or
 * waiting for something not (yet) in the state. Every record handed to `apply` ends in exactly
 * one of these, so `checked = accepted + rejected + pending` always holds.
 *
 * Whether a waiting record is pending or rejected is settled by `settle`, on the final state: if
 * what it waited for showed up later in the order, the record came before it and is rejected;
 * if it never showed up, the record is pending, to be judged again when new records arrive.
 *
 * The fold takes the device's time, `now`, as an input (the result is a function of the records
 * and `now`): a record stamped too far ahead of it waits (`future`, see time.ts) and is judged
 * again, by a refold from before it, once `now` passes its time (see `Projector.advance`).
 */

/** A query was used that no area registered before the user provides. */
export class MissingQueryError extends Error {
	override name = 'MissingQueryError';
}

/** A fold was asked for an area the registry does not hold. */
export class UnregisteredAreaError extends Error {
	override name = 'UnregisteredAreaError';
}

/** An area emitted an effect that no area applies. */
export class UnknownEffectError extends Error {
	override name = 'UnknownEffectError';
}

/** An area's fold returned something that is not an outcome. */
export class UnknownOutcomeError extends Error {
	override name = 'UnknownOutcomeError';
}

interface KernelWait extends Wait {
	readonly area: number;
}

/** Waits the kernel settles itself, whichever area asked. */
const KERNEL_WAITS = new Set(['author', 'record', 'future']);

function rejection(entry: Verified, reason: ReasonCode, detail: string | null): Rejection {
	const { record } = entry;
	return { id: entry.id, reason, type: record.type, author: record.author, at: record.at, detail };
}

/** Creates the areas' folds in order, each given the queries of those before it. */
function wire(
	registry: Registry,
	make: (index: number, use: Use) => AreaFold
): { areas: AreaFold[]; authors: Authors } {
	const provided = new Map<QueryKey<never>, AreaFold>();
	const use: Use = <Q>(key: QueryKey<Q>): Q => {
		const fold = provided.get(key);
		if (fold === undefined) throw new MissingQueryError(`No area provides ${key.name}`);
		// `defineArea` checked that a fold providing a key implements its query.
		return fold as unknown as Q;
	};
	const areas = registry.areas.map((area, index) => {
		const fold = make(index, use);
		for (const key of area.provides) provided.set(key, fold);
		return fold;
	});
	return { areas, authors: use(AUTHORS) };
}

export class KernelFold {
	readonly coopId: string;
	readonly registry: Registry;
	readonly areas: readonly AreaFold[];
	accepted = 0;
	/** The device's time, ms since the epoch: records due after it wait (see time.ts). */
	now: number;
	readonly rejections: Rejection[];
	readonly #waits: KernelWait[];
	/** Ids of the records handed to `apply` so far, whatever came of them. */
	readonly #seen: SeenIds;
	readonly #authors: Authors;
	readonly #context: FoldContext = {
		activeAuthor: (entry) => this.#activeAuthor(entry),
		after: (id) => (this.#seen.has(id) ? null : waiting('record', id)),
		emit: (effect) => this.#emit(effect)
	};

	constructor(registry: Registry, coopId: string, now: number, from?: KernelFold) {
		this.registry = registry;
		this.coopId = coopId;
		this.now = now;
		const { areas, authors } = wire(registry, (index, use) =>
			from === undefined ? registry.areas[index]!.create(use) : from.areas[index]!.clone(use)
		);
		this.areas = areas;
		this.#authors = authors;
		this.accepted = from?.accepted ?? 0;
		this.rejections = [...(from?.rejections ?? [])];
		this.#waits = from === undefined ? [] : [...from.#waits];
		this.#seen = from === undefined ? new SeenIds() : from.#seen.fork();
	}

	/** An independent copy of the whole state, for a checkpoint. */
	clone(): KernelFold {
		return new KernelFold(this.registry, this.coopId, this.now, this);
	}

	/** Ids of the records waiting as `future`. */
	futureIds(): Set<string> {
		return new Set(this.#waits.filter((wait) => wait.on === 'future').map((w) => w.entry.id));
	}

	/** The earliest device time at which a record waiting as `future` takes effect, if any. */
	nextDue(): number | null {
		let due: number | null = null;
		for (const wait of this.#waits) {
			if (wait.on !== 'future') continue;
			const at = dueAt(wait.entry.record.at);
			if (due === null || at < due) due = at;
		}
		return due;
	}

	/** The fold of a registered area. */
	of<F extends AreaFold>(area: AreaModule<F>): F {
		const index = this.registry.areas.indexOf(area);
		if (index < 0) throw new UnregisteredAreaError(`${area.name} is not registered`);
		// The fold at an area's index was made by that area's `create` (or its clone).
		return this.areas[index] as F;
	}

	apply(entry: Verified): void {
		const { record } = entry;
		this.#seen.add(entry.id);
		// Verification already pins records to a co-op; this guards against mixing two co-ops' records.
		if (record.coop !== this.coopId) {
			this.rejections.push(rejection(entry, 'wrong-coop', null));
			return;
		}
		// Before anything else: a record from the future has no effect, of any kind, until its time.
		if (isFuture(record.at, this.now)) return this.#book(entry, -1, waiting('future', record.at));
		const slot = this.registry.slot(record.type);
		// Only a record kept by a version of the app that knew more types gets here.
		if (slot === undefined) {
			return this.#book(entry, -1, rejected('unknown-type', 'no area of this version folds it'));
		}
		let author: string | null = null;
		if (slot.kind.author === 'member') {
			const resolved = this.#activeAuthor(entry);
			if (typeof resolved !== 'string') return this.#book(entry, slot.area, resolved);
			author = resolved;
		}
		this.#book(entry, slot.area, this.areas[slot.area]!.apply(entry, author, this.#context));
	}

	/** Rejections and pending records among those that waited, judged against the final state. */
	settle(): { rejected: Rejection[]; pending: Rejection[] } {
		const rejections: Rejection[] = [];
		const pending: Rejection[] = [];
		for (const wait of this.#waits) {
			const settled = wait.area < 0 ? this.#settleOwn(wait) : this.areas[wait.area]!.settle(wait);
			if (settled.kind === 'rejected') {
				rejections.push(rejection(wait.entry, settled.reason, settled.detail));
			} else {
				// Nothing can be found before the co-op itself: that is what every record waits for.
				const reason =
					this.#authors.founded || settled.reason === 'future' ? settled.reason : 'missing-genesis';
				pending.push(rejection(wait.entry, reason, settled.detail));
			}
		}
		return { rejected: rejections, pending };
	}

	#book(entry: Verified, area: number, outcome: Outcome): void {
		switch (outcome.kind) {
			case 'accepted':
				this.accepted++;
				return;
			case 'rejected':
				this.rejections.push(rejection(entry, outcome.reason, outcome.detail));
				return;
			case 'waiting':
				this.#waits.push({
					entry,
					on: outcome.on,
					key: outcome.key,
					area: KERNEL_WAITS.has(outcome.on) ? -1 : area
				});
				return;
			default:
				throw new UnknownOutcomeError(`Outcome ${JSON.stringify(outcome satisfies never)}`);
		}
	}

	/** The author's member if the author is an active device; otherwise the outcome to book. */
	#activeAuthor(entry: Verified): string | Outcome {
		const authorship = this.#authors.authorship(entry.record.author);
		if (authorship === undefined) return waiting('author', entry.record.author);
		return authorship.active ? authorship.member : rejected('not-a-member', authorship.detail);
	}

	#settleOwn(wait: Wait): Settled {
		switch (wait.on) {
			case 'future':
				return { kind: 'pending', reason: 'future', detail: null };
			case 'record':
				// The record it names came later in the order: it claims to follow what it precedes.
				return this.#seen.has(wait.key)
					? { kind: 'rejected', reason: 'back-dated', detail: 'stamped before a record it names' }
					: { kind: 'pending', reason: 'missing-record', detail: null };
			default:
				return this.#settleAuthor(wait);
		}
	}

	#settleAuthor(wait: Wait): Settled {
		return this.#authors.authorship(wait.entry.record.author) !== undefined
			? ({
					kind: 'rejected',
					reason: 'not-a-member',
					detail: 'stamped before its author joined'
				} as const)
			: ({ kind: 'pending', reason: 'unknown-author', detail: null } as const);
	}

	#emit(effect: Effect): boolean {
		const area = this.registry.effectArea(effect.type);
		if (area === undefined) throw new UnknownEffectError(`No area applies ${effect.type}`);
		return this.areas[area]!.effect(effect);
	}
}

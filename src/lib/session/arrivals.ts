import type * as Y from 'yjs';

type Listener = (seen: ReadonlyMap<string, number>) => void;

/** Saving is batched: a sync brings many records at once, and each save rewrites the co-op entry. */
const SAVE_AFTER_MS = 2000;

/**
 * When records from each other device last arrived on this one (from a peer or a file): what
 * "last synced with" shows per member. Device-local; it says when something arrived, not that the
 * record was valid, and records claim their author (the records layer judges them separately).
 */
export class Arrivals {
	readonly #map: Y.Map<unknown>;
	readonly #self: string;
	readonly #seen: Map<string, number>;
	readonly #listeners = new Set<Listener>();
	readonly #save: (seen: Record<string, number>) => Promise<void>;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#closed = false;

	/**
	 * `loaded`, if given, resolves once the document holds what the device had stored: loading it
	 * applies remote transactions too, and those records did not arrive now. Watching starts then.
	 */
	constructor(
		doc: Y.Doc,
		self: string,
		initial: Readonly<Record<string, number>>,
		save: (seen: Record<string, number>) => Promise<void>,
		loaded?: Promise<void>
	) {
		this.#map = doc.getMap('records');
		this.#self = self;
		this.#seen = new Map(Object.entries(initial));
		this.#save = save;
		if (loaded === undefined) this.#map.observe(this.#observe);
		else {
			const watch = () => {
				if (!this.#closed) this.#map.observe(this.#observe);
			};
			// A document that failed to load holds only what peers bring: all of it arrives now.
			loaded.then(watch, watch);
		}
	}

	get seen(): ReadonlyMap<string, number> {
		return this.#seen;
	}

	subscribe(listener: Listener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Stops watching and writes what is not saved yet. */
	async close(): Promise<void> {
		this.#closed = true;
		this.#map.unobserve(this.#observe);
		this.#listeners.clear();
		if (this.#timer === null) return;
		clearTimeout(this.#timer);
		this.#timer = null;
		await this.#flush();
	}

	readonly #observe = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction): void => {
		// Remote changes (peers, other tabs, files) are applied as non-local transactions.
		if (transaction.local) return;
		const now = Date.now();
		let changed = false;
		for (const key of event.keysChanged as Set<string>) {
			const author = authorOf(this.#map.get(key));
			if (author === null || author === this.#self) continue;
			this.#seen.set(author, now);
			changed = true;
		}
		if (!changed) return;
		for (const listener of this.#listeners) listener(this.#seen);
		this.#timer ??= setTimeout(() => {
			this.#timer = null;
			void this.#flush();
		}, SAVE_AFTER_MS);
	};

	async #flush(): Promise<void> {
		try {
			await this.#save(Object.fromEntries(this.#seen));
		} catch (error) {
			console.warn('Could not save when members last synced', error);
		}
	}
}

function authorOf(value: unknown): string | null {
	if (typeof value !== 'object' || value === null) return null;
	const author = (value as { author?: unknown }).author;
	return typeof author === 'string' && author.length <= 64 ? author : null;
}

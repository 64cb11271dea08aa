/**
 * The ids of the records a fold was handed, kept so that a copy costs nothing: a copy (a
 * checkpoint, or a refold's start) shares the ids seen so far as read-only layers, and each side
 * adds what it sees next to a set of its own. Copying a co-op's fold used to copy every id it had
 * seen (a hundred thousand strings for a large co-op, for each of its checkpoints). The layers are
 * merged into one once there are more than `MAX_LAYERS`, so a lookup stays a few set reads.
 */

const MAX_LAYERS = 16;

export class SeenIds {
	/** Shared with copies: never changed once here (a merge makes a new list). */
	#layers: readonly ReadonlySet<string>[];
	#own: Set<string>;

	constructor(layers: readonly ReadonlySet<string>[] = []) {
		this.#layers = layers;
		this.#own = new Set();
	}

	has(id: string): boolean {
		if (this.#own.has(id)) return true;
		for (const layer of this.#layers) if (layer.has(id)) return true;
		return false;
	}

	add(id: string): void {
		this.#own.add(id);
	}

	/** A copy holding the same ids; from now on each adds only to its own set. */
	fork(): SeenIds {
		if (this.#own.size > 0) {
			this.#layers = [...this.#layers, this.#own];
			this.#own = new Set();
		}
		if (this.#layers.length > MAX_LAYERS) {
			const merged = new Set<string>();
			for (const layer of this.#layers) for (const id of layer) merged.add(id);
			this.#layers = [merged];
		}
		return new SeenIds(this.#layers);
	}
}

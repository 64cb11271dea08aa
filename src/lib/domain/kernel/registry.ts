import { LIMITS } from './limits';
import type { AreaModule, RecordKind } from './module';
import { Shapes } from './shape';

/**
 * The registered areas, and everything derived from them: the record types, their schemas,
 * size limits and proofs, which area folds each type, which area applies each effect. A type or
 * an effect claimed twice, or a query used before an area provides it, is a programming error,
 * thrown when the registry is built (at import), never met at run time.
 */

/** Two areas declare the same record type, or apply the same effect. */
export class RegistryConflictError extends Error {
	override name = 'RegistryConflictError';
}

/** A record type's area and declaration. */
export interface Slot {
	/** Index of its area in registration order. */
	readonly area: number;
	readonly kind: RecordKind;
}

export class Registry {
	readonly areas: readonly AreaModule[];
	/** Every record type, in registration order. */
	readonly types: readonly string[];
	readonly shapes: Shapes;
	readonly #slots = new Map<string, Slot>();
	readonly #effects = new Map<string, number>();

	constructor(areas: readonly AreaModule[]) {
		this.areas = areas;
		const kinds = new Map<string, RecordKind>();
		areas.forEach((area, index) => {
			for (const [type, kind] of Object.entries(area.records)) {
				const owner = this.#slots.get(type);
				if (owner !== undefined) {
					const first = areas[owner.area]!.name;
					throw new RegistryConflictError(`${type} is declared by ${first} and ${area.name}`);
				}
				this.#slots.set(type, { area: index, kind });
				kinds.set(type, kind);
			}
			for (const effect of area.effects) {
				const owner = this.#effects.get(effect);
				if (owner !== undefined) {
					const first = areas[owner]!.name;
					throw new RegistryConflictError(
						`effect ${effect} is applied by ${first} and ${area.name}`
					);
				}
				this.#effects.set(effect, index);
			}
		});
		this.types = [...kinds.keys()];
		this.shapes = new Shapes(kinds);
	}

	/** The area and declaration of a record type; `undefined` for a type no area declares. */
	slot(type: string): Slot | undefined {
		return this.#slots.get(type);
	}

	/** Index of the area that applies an effect type. */
	effectArea(type: string): number | undefined {
		return this.#effects.get(type);
	}

	/** Largest canonical size of a record of this type, in UTF-8 bytes. */
	maxBytes(type: string): number {
		return this.#slots.get(type)?.kind.maxBytes ?? LIMITS.recordBytes;
	}
}

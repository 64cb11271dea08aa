import * as decoding from 'lib0/decoding';

/**
 * How much work a Yjs (v1) update asks of whoever applies it, counted without building it.
 *
 * Yjs builds one object per struct and per delete range before integrating anything, so an update
 * of a few hundred megabytes can hold a hundred million two-byte structs that merge into a
 * document of a few bytes, and take a tab's memory and minutes of its time. The byte size of a
 * file says nothing about that; these counts do. The walk below reads the update's layout as Yjs
 * does (`readClientsStructRefs`, `readItemContent`, `readDeleteSet` in yjs 13.6) but keeps
 * nothing, and stops as soon as a count passes its limit, so a crafted update is refused after
 * reading a few megabytes of it.
 *
 * Layout: number of clients; per client the number of structs, the client id and the first
 * clock, then each struct (an info byte, then a length for GC and Skip, or an item's origins,
 * parent and content); then the delete set: number of clients, per client its id, number of
 * ranges, and each range's clock and length.
 */

export interface UpdateLimits {
	/** Structs, plus one per client block (each is a map entry and an array in Yjs). */
	readonly structs: number;
	/** Delete ranges, plus one per client of the delete set. */
	readonly deletes: number;
	/** Values Yjs will build from content: `any` values at any depth, JSON values (bounded). */
	readonly values: number;
	/** Nesting of `any` values; Yjs reads them recursively. */
	readonly depth: number;
}

/**
 * A co-op of 100,000 signed records (100 members) holds 100,002 structs, 1.4 million values and no
 * delete ranges (`bench/records/update-work.bench-run.ts`); years of notes add structs and ranges
 * by the thousand. The limits leave about ten times that (seven for values), and keep the worst
 * update within a few hundred megabytes of objects; the worker's time limit
 * (`file-read-client.ts`) bounds the rest.
 */
export const UPDATE_LIMITS: UpdateLimits = {
	structs: 1_000_000,
	deletes: 1_000_000,
	values: 10_000_000,
	depth: 64
};

export interface UpdateWork {
	readonly structs: number;
	readonly deletes: number;
	readonly values: number;
}

export type UpdateCheck =
	| { readonly ok: true; readonly work: UpdateWork }
	| { readonly ok: false; readonly error: 'too-much-work' | 'unreadable' };

/** An update asks for more work than the limits allow. */
export class TooMuchWorkError extends Error {
	constructor(what: keyof UpdateLimits) {
		super(`The update needs more ${what} than allowed`);
		this.name = 'TooMuchWorkError';
	}
}

/** An update that Yjs would fail to read (cut short, or an unknown struct or value). */
export class UnreadableUpdateError extends Error {
	constructor(what: string) {
		super(`The update cannot be read: ${what}`);
		this.name = 'UnreadableUpdateError';
	}
}

// Item info bits (yjs `Item.write`).
const ORIGIN = 0x80;
const RIGHT_ORIGIN = 0x40;
const PARENT_SUB = 0x20;
const CONTENT = 0x1f;
const GC_REF = 0;
const SKIP_REF = 10;
/** `typeRefs` in yjs: YArray, YMap, YText, YXmlElement, YXmlFragment, YXmlHook, YXmlText. */
const TYPE_REFS = 7;
const XML_ELEMENT = 3;
const XML_HOOK = 5;

class Walk {
	readonly #decoder: decoding.Decoder;
	readonly #limits: UpdateLimits;
	structs = 0;
	deletes = 0;
	values = 0;

	constructor(update: Uint8Array, limits: UpdateLimits) {
		this.#decoder = decoding.createDecoder(update);
		this.#limits = limits;
	}

	update(): void {
		const clients = this.#uint();
		for (let client = 0; client < clients; client++) {
			const structs = this.#uint();
			this.#count('structs', structs + 1);
			this.#uint(); // client id
			this.#uint(); // first clock
			for (let index = 0; index < structs; index++) this.#struct();
		}
		const deleteClients = this.#uint();
		for (let client = 0; client < deleteClients; client++) {
			this.#uint(); // client id
			const ranges = this.#uint();
			this.#count('deletes', ranges + 1);
			for (let index = 0; index < ranges; index++) {
				this.#uint(); // clock
				this.#uint(); // length
			}
		}
	}

	stateVector(): void {
		const clients = this.#uint();
		this.#count('structs', clients);
		for (let index = 0; index < clients; index++) {
			this.#uint(); // client id
			this.#uint(); // clock
		}
	}

	#struct(): void {
		const info = this.#byte();
		const ref = info & CONTENT;
		if (ref === GC_REF || ref === SKIP_REF) {
			this.#uint(); // length
			return;
		}
		if (info & ORIGIN) this.#id();
		if (info & RIGHT_ORIGIN) this.#id();
		if ((info & (ORIGIN | RIGHT_ORIGIN)) === 0) {
			if (this.#uint() === 1)
				this.#string(); // a root type's name
			else this.#id(); // the parent item
			if (info & PARENT_SUB) this.#string(); // a map key
		}
		this.#content(ref);
	}

	#content(ref: number): void {
		switch (ref) {
			case 1: // ContentDeleted
				this.#uint();
				return;
			case 2: {
				// ContentJSON: strings, each parsed
				const length = this.#uint();
				this.#count('values', length);
				for (let index = 0; index < length; index++) this.#json();
				return;
			}
			case 3: // ContentBinary
			case 4: // ContentString
				this.#string();
				return;
			case 5: // ContentEmbed
				this.#json();
				return;
			case 6: // ContentFormat
				this.#string();
				this.#json();
				return;
			case 7: {
				// ContentType
				const type = this.#uint();
				if (type >= TYPE_REFS) throw new UnreadableUpdateError('type');
				if (type === XML_ELEMENT || type === XML_HOOK) this.#string();
				return;
			}
			case 8: {
				// ContentAny
				const length = this.#uint();
				for (let index = 0; index < length; index++) this.#any(0);
				return;
			}
			case 9: // ContentDoc
				this.#string();
				this.#any(0);
				return;
			default:
				throw new UnreadableUpdateError('content');
		}
	}

	/** lib0 `readAny`, counting every value it would build. */
	#any(depth: number): void {
		if (depth > this.#limits.depth) throw new TooMuchWorkError('depth');
		this.#count('values', 1);
		const type = this.#byte();
		switch (type) {
			case 127: // undefined
			case 126: // null
			case 121: // false
			case 120: // true
				return;
			case 125: // integer
				this.#int();
				return;
			case 124: // float32
				this.#skip(4);
				return;
			case 123: // float64
			case 122: // bigint
				this.#skip(8);
				return;
			case 119: // string
			case 116: // bytes
				this.#string();
				return;
			case 118: {
				// object
				const length = this.#uint();
				for (let index = 0; index < length; index++) {
					this.#string();
					this.#any(depth + 1);
				}
				return;
			}
			case 117: {
				// array
				const length = this.#uint();
				for (let index = 0; index < length; index++) this.#any(depth + 1);
				return;
			}
			default:
				throw new UnreadableUpdateError('value');
		}
	}

	/** A JSON text holds at most one value per two characters ("0,"), plus one. */
	#json(): void {
		const length = this.#string();
		this.#count('values', Math.ceil(length / 2) + 1);
	}

	#count(what: 'structs' | 'deletes' | 'values', amount: number): void {
		this[what] += amount;
		if (this[what] > this.#limits[what]) throw new TooMuchWorkError(what);
	}

	#id(): void {
		this.#uint();
		this.#uint();
	}

	/** A length-prefixed string or byte array; returns its length. */
	#string(): number {
		const length = this.#uint();
		this.#skip(length);
		return length;
	}

	#skip(length: number): void {
		const decoder = this.#decoder;
		if (length > decoder.arr.length - decoder.pos) throw new UnreadableUpdateError('cut short');
		decoder.pos += length;
	}

	#byte(): number {
		if (!decoding.hasContent(this.#decoder)) throw new UnreadableUpdateError('cut short');
		return decoding.readUint8(this.#decoder);
	}

	#uint(): number {
		return decoding.readVarUint(this.#decoder);
	}

	/** lib0's `readVarInt` reads its first byte unchecked (undefined past the end): check it first. */
	#int(): void {
		this.#byte();
		this.#decoder.pos--;
		decoding.readVarInt(this.#decoder);
	}
}

function run(walk: Walk, read: (walk: Walk) => void): UpdateCheck {
	try {
		read(walk);
	} catch (error) {
		if (error instanceof TooMuchWorkError) return { ok: false, error: 'too-much-work' };
		// Everything else (lib0's "unexpected end of array", integers out of range, ours) means
		// Yjs would not read it either.
		return { ok: false, error: 'unreadable' };
	}
	return { ok: true, work: { structs: walk.structs, deletes: walk.deletes, values: walk.values } };
}

/** Counts what applying `update` (Yjs v1) would build; refuses it past `limits`. Never throws. */
export function checkUpdate(update: Uint8Array, limits = UPDATE_LIMITS): UpdateCheck {
	return run(new Walk(update, limits), (walk) => walk.update());
}

/** The same for a state vector: one map entry per client. Never throws. */
export function checkStateVector(vector: Uint8Array, limits = UPDATE_LIMITS): UpdateCheck {
	return run(new Walk(vector, limits), (walk) => walk.stateVector());
}

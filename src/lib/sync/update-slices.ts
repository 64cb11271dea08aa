import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Cuts a Yjs (v1) update into windows that are each a valid update, so that a large update can be
 * applied a window at a time, one task each, instead of in one task of seconds.
 *
 * Layout of a v1 update (yjs 13.6, `writeClientsStructs` and `writeDeleteSet`): the number of
 * client blocks; per block the number of structs, the client id and the clock of its first struct,
 * then the structs, each an info byte then a length (GC, Skip) or an item's origins, parent and
 * content; then the delete set: the number of clients, per client its id, the number of ranges
 * and each range's clock and length. A struct's clock is the block's first clock plus the lengths
 * of the structs before it, so any run of consecutive structs of a block, with a header of its
 * own (count, client, the run's first clock), is a block Yjs reads exactly as in the whole
 * update, byte for byte. A window holds such runs and an empty delete set; the delete set comes
 * last, in windows of ranges.
 *
 * Yjs integrates an update's structs in whatever order their dependencies allow, and keeps those
 * whose dependencies are missing as pending until they arrive: the document after the windows is
 * the one after the whole update. Order only costs time: a window whose structs depend on a
 * later window waits in Yjs's pending update, which Yjs merges again at every window. So the
 * windows are chosen in dependency order: a run stops at a struct that depends on another client's
 * struct that neither the document nor the window holds yet (its left or right origin, or its
 * parent), or that follows a gap in its own client's clocks; when no block can go on, what is left
 * is one last window, applied whole as before (it waits for changes this device lacks).
 */

// Item info bits (yjs `Item.write`).
const ORIGIN = 0x80;
const RIGHT_ORIGIN = 0x40;
const PARENT_SUB = 0x20;
const CONTENT = 0x1f;
const GC_REF = 0;
const SKIP_REF = 10;
const TYPE_REFS = 7;
const XML_ELEMENT = 3;
const XML_HOOK = 5;

/** One client block of the update: its structs' byte offsets, clocks and dependencies. */
interface Block {
	readonly client: number;
	/** Byte offset where each struct starts, then where the last one ends. */
	readonly offsets: number[];
	/** Clock of each struct, then the clock after the last one. */
	readonly clocks: number[];
	/** Whether each struct is a Skip (nothing to apply: it leaves a gap). */
	readonly skips: boolean[];
	/** Other clients' ids a struct needs, as (client, clock) pairs, from `depStarts[i]`. */
	readonly deps: number[];
	readonly depStarts: number[];
	/** The next struct to put in a window. */
	head: number;
}

/** One client of the delete set: where its ranges start, and how many are left. */
interface DeleteClient {
	readonly client: number;
	pos: number;
	left: number;
}

/** The budget of one window. */
export interface WindowBudget {
	/** Structs (or delete ranges) at most; a window holds at least one. */
	readonly structs: number;
	/** Bytes of structs at most, unless a single struct is larger. */
	readonly bytes: number;
}

export interface UpdateWindow {
	readonly update: Uint8Array;
	/** Structs or delete ranges in it. */
	readonly size: number;
}

/** The update cannot be cut here (not v1, a content Yjs would refuse, a client listed twice). */
class NotSliceable extends Error {}

class LayoutReader {
	readonly decoder: decoding.Decoder;

	constructor(update: Uint8Array) {
		this.decoder = decoding.createDecoder(update);
	}

	uint(): number {
		return decoding.readVarUint(this.decoder);
	}

	byte(): number {
		if (!decoding.hasContent(this.decoder)) throw new NotSliceable('cut short');
		return decoding.readUint8(this.decoder);
	}

	skip(length: number): void {
		const decoder = this.decoder;
		if (length > decoder.arr.length - decoder.pos) throw new NotSliceable('cut short');
		decoder.pos += length;
	}

	/** Skips a length-prefixed string or byte array. */
	bytes(): void {
		this.skip(this.uint());
	}

	/** Reads a string as Yjs does (its length in UTF-16 units is a struct's length). */
	string(): string {
		return decoding.readVarString(this.decoder);
	}

	/** A JSON text, parsed as Yjs will parse it: one that does not parse is not sliced. */
	json(): void {
		const text = this.string();
		if (text === 'undefined') return;
		try {
			JSON.parse(text);
		} catch {
			throw new NotSliceable('json');
		}
	}

	/** lib0 `readAny` without building the value. */
	any(depth: number): void {
		if (depth > 64) throw new NotSliceable('depth');
		const type = this.byte();
		switch (type) {
			case 127:
			case 126:
			case 121:
			case 120:
				return;
			case 125:
				this.byte();
				this.decoder.pos--;
				decoding.readVarInt(this.decoder);
				return;
			case 124:
				this.skip(4);
				return;
			case 123:
			case 122:
				this.skip(8);
				return;
			case 119:
			case 116:
				this.bytes();
				return;
			case 118: {
				const length = this.uint();
				for (let index = 0; index < length; index++) {
					this.bytes();
					this.any(depth + 1);
				}
				return;
			}
			case 117: {
				const length = this.uint();
				for (let index = 0; index < length; index++) this.any(depth + 1);
				return;
			}
			default:
				throw new NotSliceable('value');
		}
	}

	/** Skips an item's content; returns its length in clock ticks. */
	content(ref: number): number {
		switch (ref) {
			case 1: // ContentDeleted
				return this.uint();
			case 2: {
				// ContentJSON
				const length = this.uint();
				for (let index = 0; index < length; index++) this.json();
				return length;
			}
			case 3: // ContentBinary
				this.bytes();
				return 1;
			case 4: // ContentString: its length in UTF-16 units, as Yjs decodes it
				return this.string().length;
			case 5: // ContentEmbed
				this.json();
				return 1;
			case 6: // ContentFormat
				this.bytes();
				this.json();
				return 1;
			case 7: {
				// ContentType
				const type = this.uint();
				if (type >= TYPE_REFS) throw new NotSliceable('type');
				if (type === XML_ELEMENT || type === XML_HOOK) this.bytes();
				return 1;
			}
			case 8: {
				// ContentAny
				const length = this.uint();
				for (let index = 0; index < length; index++) this.any(0);
				return length;
			}
			case 9: // ContentDoc
				this.bytes();
				this.any(0);
				return 1;
			default:
				throw new NotSliceable('content');
		}
	}
}

/** Structs read between two points where reading the layout may pause. */
const STEP_STRUCTS = 1024;

/** Reads one client block; yields every `STEP_STRUCTS` structs, where reading may pause. */
function* readBlock(reader: LayoutReader): Generator<void, Block> {
	const count = reader.uint();
	const client = reader.uint();
	let clock = reader.uint();
	const block: Block = {
		client,
		offsets: [],
		clocks: [],
		skips: [],
		deps: [],
		depStarts: [],
		head: 0
	};
	const need = (depClient: number, depClock: number) => {
		if (depClient !== client) block.deps.push(depClient, depClock);
	};
	for (let index = 0; index < count; index++) {
		if (index % STEP_STRUCTS === STEP_STRUCTS - 1) yield;
		block.offsets.push(reader.decoder.pos);
		block.clocks.push(clock);
		block.depStarts.push(block.deps.length);
		const info = reader.byte();
		const ref = info & CONTENT;
		block.skips.push(ref === SKIP_REF);
		if (ref === GC_REF || ref === SKIP_REF) {
			clock += reader.uint();
			continue;
		}
		if (info & ORIGIN) need(reader.uint(), reader.uint());
		if (info & RIGHT_ORIGIN) need(reader.uint(), reader.uint());
		if ((info & (ORIGIN | RIGHT_ORIGIN)) === 0) {
			if (reader.uint() === 1) reader.bytes();
			else need(reader.uint(), reader.uint());
			if (info & PARENT_SUB) reader.bytes();
		}
		clock += reader.content(ref);
	}
	block.offsets.push(reader.decoder.pos);
	block.clocks.push(clock);
	block.depStarts.push(block.deps.length);
	return block;
}

/**
 * The windows of one update, made one at a time against the document's current state: each is
 * chosen once the windows before it are applied. `next` returns null once all are made.
 */
export class UpdateSlicer {
	readonly #update: Uint8Array;
	readonly #blocks: Block[];
	readonly #deletes: DeleteClient[];
	#deleteIndex = 0;
	readonly #state: (client: number) => number;
	readonly structs: number;
	#cursor = 0;
	/** Clocks the last struct window reached, per client. */
	#reached = new Map<number, number>();

	private constructor(
		update: Uint8Array,
		blocks: Block[],
		deletes: DeleteClient[],
		state: (client: number) => number
	) {
		this.#update = update;
		this.#blocks = blocks;
		this.#deletes = deletes;
		this.#state = state;
		this.structs = blocks.reduce((sum, block) => sum + block.skips.length, 0);
	}

	/**
	 * Reads the layout of a v1 update; null if it cannot be cut (a v2 update, content Yjs would
	 * refuse, a client listed twice, bytes after the delete set): apply it whole then.
	 * `state(client)` is the document's clock for a client (`Y.getState(doc.store, client)`).
	 */
	static of(update: Uint8Array, state: (client: number) => number): UpdateSlicer | null {
		const reading = UpdateSlicer.#read(update, state);
		for (;;) {
			const step = reading.next();
			if (step.done === true) return step.value;
		}
	}

	/**
	 * `of`, reading the layout for about `sliceMs` at a time and awaiting `pause` in between:
	 * reading 44 MiB at once took about 50 ms.
	 */
	static async inSteps(
		update: Uint8Array,
		state: (client: number) => number,
		pause: () => Promise<void>,
		sliceMs: number
	): Promise<UpdateSlicer | null> {
		const reading = UpdateSlicer.#read(update, state);
		let until = performance.now() + sliceMs;
		for (;;) {
			const step = reading.next();
			if (step.done === true) return step.value;
			if (performance.now() < until) continue;
			await pause();
			until = performance.now() + sliceMs;
		}
	}

	static *#read(
		update: Uint8Array,
		state: (client: number) => number
	): Generator<void, UpdateSlicer | null> {
		try {
			const reader = new LayoutReader(update);
			const blocks: Block[] = [];
			const clients = new Set<number>();
			const blockCount = reader.uint();
			for (let index = 0; index < blockCount; index++) {
				const block = yield* readBlock(reader);
				// Yjs keeps only the last block of a client listed twice: leave that to Yjs.
				if (clients.has(block.client)) return null;
				clients.add(block.client);
				blocks.push(block);
			}
			const deletes: DeleteClient[] = [];
			const deleteCount = reader.uint();
			for (let index = 0; index < deleteCount; index++) {
				const client = reader.uint();
				const left = reader.uint();
				const pos = reader.decoder.pos;
				for (let range = 0; range < left; range++) {
					if (range % STEP_STRUCTS === STEP_STRUCTS - 1) yield;
					reader.uint();
					reader.uint();
				}
				if (left > 0) deletes.push({ client, pos, left });
			}
			if (decoding.hasContent(reader.decoder)) return null;
			return new UpdateSlicer(update, blocks, deletes, state);
		} catch {
			return null;
		}
	}

	/**
	 * Cuts `update` into updates of about `bytes` each, in an order where each depends only on
	 * those before it: the windows as if each were applied to an empty document before the next is
	 * chosen. Null when it cannot be cut (see `of`).
	 */
	static split(update: Uint8Array, bytes: number): Uint8Array[] | null {
		const held = new Map<number, number>();
		const slicer = UpdateSlicer.of(update, (client) => held.get(client) ?? 0);
		if (slicer === null) return null;
		const parts: Uint8Array[] = [];
		const budget = { structs: Number.MAX_SAFE_INTEGER, bytes };
		for (let window = slicer.next(budget); window !== null; window = slicer.next(budget)) {
			parts.push(window.update);
			for (const [client, clock] of slicer.#reached) held.set(client, clock);
		}
		return parts;
	}

	/** The next window, within `budget`; null when the whole update has been handed out. */
	next(budget: WindowBudget): UpdateWindow | null {
		return this.#structWindow(budget) ?? this.#rest() ?? this.#deleteWindow(budget);
	}

	/** Runs of structs whose dependencies the document or the window already holds. */
	#structWindow(budget: WindowBudget): UpdateWindow | null {
		const blocks = this.#blocks;
		if (blocks.length === 0) return null;
		const starts = new Map<Block, number>();
		/** Clocks the window reaches, per client, beyond the document's. */
		const reach = new Map<number, number>();
		const clockOf = (client: number) => Math.max(reach.get(client) ?? 0, this.#state(client));
		let structs = 0;
		let bytes = 0;
		// Each pass visits every block once; a pass that adds nothing ends the window.
		let visits = 0;
		let progress = true;
		while (progress && structs < budget.structs && bytes < budget.bytes) {
			progress = false;
			for (let step = 0; step < blocks.length; step++) {
				const block = blocks[(this.#cursor + step) % blocks.length]!;
				visits++;
				const first = block.head;
				let clock = clockOf(block.client);
				while (block.head < block.skips.length && structs < budget.structs) {
					const index = block.head;
					const size = block.offsets[index + 1]! - block.offsets[index]!;
					if (structs > 0 && bytes + size > budget.bytes) break;
					if (!block.skips[index]) {
						if (block.clocks[index]! > clock) break; // a gap in this client's clocks
						if (!this.#depsHeld(block, index, clockOf)) break;
						clock = Math.max(clock, block.clocks[index + 1]!);
					}
					block.head++;
					structs++;
					bytes += size;
				}
				if (block.head > first) {
					if (!starts.has(block)) starts.set(block, first);
					reach.set(block.client, clock);
					progress = true;
				}
				if (structs >= budget.structs || bytes >= budget.bytes) {
					this.#cursor = (this.#cursor + step) % blocks.length;
					break;
				}
			}
			if (visits > 4 * budget.structs + blocks.length) break;
		}
		if (starts.size === 0) return null;
		this.#reached = reach;
		return { update: this.#encodeRuns(starts), size: structs };
	}

	#depsHeld(block: Block, index: number, clockOf: (client: number) => number): boolean {
		for (let dep = block.depStarts[index]!; dep < block.depStarts[index + 1]!; dep += 2) {
			if (block.deps[dep + 1]! >= clockOf(block.deps[dep]!)) return false;
		}
		return true;
	}

	/** Whatever no window could take (it depends on changes the document lacks): one window. */
	#rest(): UpdateWindow | null {
		const starts = new Map<Block, number>();
		let structs = 0;
		for (const block of this.#blocks) {
			if (block.head === block.skips.length) continue;
			starts.set(block, block.head);
			structs += block.skips.length - block.head;
			block.head = block.skips.length;
		}
		if (starts.size === 0) return null;
		return { update: this.#encodeRuns(starts), size: structs };
	}

	#encodeRuns(starts: Map<Block, number>): Uint8Array {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, starts.size);
		for (const [block, first] of starts) {
			encoding.writeVarUint(encoder, block.head - first);
			encoding.writeVarUint(encoder, block.client);
			encoding.writeVarUint(encoder, block.clocks[first]!);
			encoding.writeUint8Array(
				encoder,
				this.#update.subarray(block.offsets[first], block.offsets[block.head])
			);
		}
		encoding.writeVarUint(encoder, 0); // an empty delete set
		return encoding.toUint8Array(encoder);
	}

	/** Delete ranges, in order, as an update without structs. */
	#deleteWindow(budget: WindowBudget): UpdateWindow | null {
		const deletes = this.#deletes;
		if (this.#deleteIndex === deletes.length) return null;
		const runs: Array<{ client: number; count: number; from: number; to: number }> = [];
		let ranges = 0;
		while (this.#deleteIndex < deletes.length && ranges < budget.structs) {
			const client = deletes[this.#deleteIndex]!;
			const count = Math.min(client.left, budget.structs - ranges);
			const decoder = decoding.createDecoder(this.#update);
			decoder.pos = client.pos;
			for (let range = 0; range < count; range++) {
				decoding.readVarUint(decoder);
				decoding.readVarUint(decoder);
			}
			runs.push({ client: client.client, count, from: client.pos, to: decoder.pos });
			ranges += count;
			client.pos = decoder.pos;
			client.left -= count;
			if (client.left === 0) this.#deleteIndex++;
		}
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0); // no structs
		encoding.writeVarUint(encoder, runs.length);
		for (const run of runs) {
			encoding.writeVarUint(encoder, run.client);
			encoding.writeVarUint(encoder, run.count);
			encoding.writeUint8Array(encoder, this.#update.subarray(run.from, run.to));
		}
		return { update: encoding.toUint8Array(encoder), size: ranges };
	}
}

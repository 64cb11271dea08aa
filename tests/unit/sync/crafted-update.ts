import * as encoding from 'lib0/encoding';

/**
 * A Yjs v1 update made to cost its reader: one client whose `structs` structs are GC structs of
 * length 1 (two bytes each). Yjs builds one object per struct before merging them into a single
 * range, so the document it describes encodes to a few bytes while reading it takes memory and
 * time in proportion to `structs`. `declared` lets the struct count lie (larger than what follows).
 */
export function craftedUpdate(structs: number, declared = structs): Uint8Array<ArrayBuffer> {
	const head = encoding.createEncoder();
	encoding.writeVarUint(head, 1); // clients
	encoding.writeVarUint(head, declared); // structs of that client
	encoding.writeVarUint(head, 7); // client id
	encoding.writeVarUint(head, 0); // first clock
	const start = encoding.toUint8Array(head);
	const update = new Uint8Array(start.length + structs * 2 + 1);
	update.set(start, 0);
	for (let index = 0; index < structs; index++) {
		update[start.length + index * 2] = 0; // info: GC
		update[start.length + index * 2 + 1] = 1; // length 1
	}
	update[update.length - 1] = 0; // delete set: no clients
	return update;
}

/** A delete set of `ranges` one-item ranges, after no structs: the other way to cost a reader. */
export function craftedDeletes(ranges: number): Uint8Array<ArrayBuffer> {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0); // clients with structs
	encoding.writeVarUint(encoder, 1); // clients with deletes
	encoding.writeVarUint(encoder, 7);
	encoding.writeVarUint(encoder, ranges);
	for (let index = 0; index < ranges; index++) {
		encoding.writeVarUint(encoder, index * 2); // clock
		encoding.writeVarUint(encoder, 1); // length
	}
	return new Uint8Array(encoding.toUint8Array(encoder));
}

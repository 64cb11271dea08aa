import { createHash } from 'node:crypto';

/**
 * Sync files made by hand, as an attacker would, independently of the app's encoder: a valid
 * container (magic, version, header, SHA-256) around a Yjs update of `structs` GC structs of
 * length 1, two bytes each, which Yjs reads as `structs` objects and merges into 17 bytes.
 */

/** The client id the crafted structs claim; the app's random ids are never this small. */
export const CRAFTED_CLIENT = 7;

export function varUint(value: number): number[] {
	const bytes: number[] = [];
	while (value > 0x7f) {
		bytes.push(0x80 | (value & 0x7f));
		value = Math.floor(value / 128);
	}
	bytes.push(value);
	return bytes;
}

/** A Yjs update of `structs` GC structs of length 1, two bytes each, and no deletions. */
export function craftedUpdate(structs: number): Buffer {
	const start = Buffer.from([...varUint(1), ...varUint(structs), CRAFTED_CLIENT, 0]);
	const payload = Buffer.alloc(start.length + structs * 2 + 1);
	start.copy(payload);
	for (let offset = start.length + 1; offset < payload.length - 1; offset += 2) payload[offset] = 1;
	return payload;
}

export function craftedFile(
	coopId: string,
	structs: number,
	kind: 'update' | 'backup' = 'update'
): Buffer {
	const payload = craftedUpdate(structs);
	const header = Buffer.from(
		JSON.stringify({
			kind,
			coopId,
			coopName: 'Crafted',
			createdAt: Date.now(),
			bytes: payload.length,
			...(kind === 'backup' ? { roomKey: 'crafted-room-key' } : {})
		})
	);
	const prefix = Buffer.from([0x4f, 0x55, 0x52, 0x53, 1, 0, 0, 0, 0]);
	prefix.writeUInt32BE(header.length, 5);
	const body = Buffer.concat([prefix, header, payload]);
	return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

/** The client ids in a "what I have" file: every device whose changes the document holds. */
export function clientsInStateVector(file: Buffer): number[] {
	const headerLength = file.readUInt32BE(5);
	const payload = file.subarray(9 + headerLength, file.length - 32);
	let offset = 0;
	const next = () => {
		let value = 0;
		let scale = 1;
		for (;;) {
			const byte = payload[offset++]!;
			value += (byte & 0x7f) * scale;
			if (byte < 0x80) return value;
			scale *= 128;
		}
	};
	const clients: number[] = [];
	const count = next();
	for (let index = 0; index < count; index++) {
		clients.push(next());
		next(); // clock
	}
	return clients;
}

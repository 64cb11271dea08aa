import * as Y from 'yjs';

/** Joins two documents in memory as y-webrtc would: each update of one is applied to the other. */
export function link(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a), a);
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b), b);
	a.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== b) Y.applyUpdate(b, update, a);
	});
	b.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== a) Y.applyUpdate(a, update, b);
	});
}

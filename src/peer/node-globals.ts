import WebSocket from 'ws';

/**
 * y-webrtc reaches its relays through lib0's WebSocket client, which uses the global `WebSocket`
 * that browsers have and Node 20 does not (Node 22 does). Imported first by the entry, so the
 * global exists before any relay connection is opened.
 */
if (typeof globalThis.WebSocket === 'undefined') {
	globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
}

import { Demand } from './budget.js';

/** @typedef {import('ws').WebSocket} WebSocket */
/** @typedef {import('./rate-limit.js').TokenBucket} TokenBucket */

/** One WebSocket connection and what the relay knows about it. */
export class Client {
	/**
	 * @param {WebSocket} ws
	 * @param {import('node:stream').Duplex} socket The connection's TCP socket, which `ws` also
	 *   writes to: the relay writes pre-encoded frames to it directly.
	 * @param {TokenBucket} bucket
	 * @param {string | undefined} address
	 */
	constructor(ws, socket, bucket, address) {
		this.ws = ws;
		this.socket = socket;
		this.bucket = bucket;
		/** What its publishes asked the relay to deliver recently, to rank it against others. */
		this.demand = new Demand();
		/** Whether the socket is corked until the end of this event-loop turn. */
		this.corked = false;
		/** Bytes written to the socket while corked. */
		this.corkedBytes = 0;
		this.address = address;
		/** @type {Set<string>} */
		this.topics = new Set();
		/** Cleared by every ping, set again by the pong (or any frame) that answers it. */
		this.alive = true;
		/** Set as soon as the relay stops serving it, before its socket is actually gone. */
		this.closed = false;
	}
}

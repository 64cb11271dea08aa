/**
 * Waits for a new task, letting input, rendering, timers, storage and network events run first
 * (a resolved promise would not). In a browser through a `MessageChannel`: a timer would do, but
 * browsers hold each timer set from a timer's task, a few deep, to at least 4 ms, a third of a
 * slice of work. Not `scheduler.yield`: it puts the work back ahead of every other task, so a long
 * job that yields with it starves storage and network events until it ends. Elsewhere (Node), a
 * timer.
 */

/**
 * How long a slice of work between two `nextTask` aims to last (ms). A garbage collection in a
 * slice (25 to 45 ms measured while a large co-op opens in Chromium) then still leaves it under
 * 50 ms, the length from which a browser counts a task as long.
 */
export const SLICE_MS = 8;

const waiting: Array<() => void> = [];
let channel: MessageChannel | null = null;

export function nextTask(): Promise<void> {
	if (typeof globalThis.document === 'undefined' || typeof MessageChannel !== 'function') {
		return new Promise((resolve) => setTimeout(resolve, 0));
	}
	if (channel === null) {
		channel = new MessageChannel();
		channel.port1.onmessage = () => waiting.shift()?.();
	}
	const port = channel.port2;
	return new Promise((resolve) => {
		waiting.push(resolve);
		port.postMessage(null);
	});
}

/**
 * The crowd of the swarm scenario (swarm.js): the subscribers that only read and the flooding
 * publishers. It runs in its own process, so that its work never delays the honest peers whose
 * latency is measured, as on a real network where the flooders are other machines. Told what to
 * do over IPC:
 *
 *   { url, settings }   open the subscribers and flooders, then report { event: 'ready' }
 *   'flood'             start flooding
 *   'measure'           start counting flood frames
 *   'stop'              stop, report { event: 'done', floodSent, floodersClosed, subscribersLost }
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

/** @typedef {import('./swarm.js').SwarmSettings} SwarmSettings */

const pongMarker = Buffer.from('"pong"');

/** @param {string} url */
export function open(url) {
	const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
	ws.on('error', () => {});
	return new Promise((resolve, reject) => {
		ws.once('open', () => resolve(ws));
		ws.once('close', () => reject(new Error('closed before opening')));
	}).then(() => ws);
}

/**
 * Subscribes and waits for the pong that follows: the subscription is in once it comes.
 * @param {WebSocket} ws
 * @param {string} topic
 */
export function subscribe(ws, topic) {
	return new Promise((resolve) => {
		const onPong = (/** @type {Buffer} */ data) => {
			if (data.includes(pongMarker)) {
				ws.off('message', onPong);
				resolve(undefined);
			}
		};
		ws.on('message', onPong);
		ws.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
		ws.send('{"type":"ping"}');
	});
}

/**
 * Calls `tick(n)` with the number of frames owed at `rate` per second since the last call, from
 * a coarse timer; a stalled timer catches up by at most `cap` frames, so a sender never bursts.
 * @param {number} rate
 * @param {number} cap
 * @param {(n: number) => void} tick
 */
export function paced(rate, cap, tick) {
	let last = performance.now();
	let owed = Math.random();
	const timer = setInterval(() => {
		const now = performance.now();
		owed = Math.min(cap, owed + ((now - last) * rate) / 1000);
		last = now;
		const n = Math.floor(owed);
		owed -= n;
		if (n > 0) tick(n);
	}, 20);
	return () => clearInterval(timer);
}

/**
 * The topic of the i-th subscriber or flooder: round robin over `topics`, the first being the
 * honest peers' own.
 * @param {SwarmSettings} s
 * @param {number} i
 */
export const topicOf = (s, i) => (i % s.topics === 0 ? s.topic : `${s.topic}-${i % s.topics}`);

/**
 * @param {string} url
 * @param {SwarmSettings} s
 */
async function crowd(url, s) {
	/** @type {WebSocket[]} */
	const sockets = [];
	let subscribersLost = 0;
	let floodersClosed = 0;
	let floodSent = 0;
	let measuring = false;
	let stopping = false;
	for (let start = 0; start < s.subscribers; start += 100) {
		const batch = [];
		for (let i = start; i < Math.min(s.subscribers, start + 100); i++) {
			batch.push(
				open(url).then(async (ws) => {
					sockets.push(ws);
					ws.once('close', () => stopping || subscribersLost++);
					await subscribe(ws, topicOf(s, i));
				})
			);
		}
		await Promise.all(batch);
	}
	const flooders = await Promise.all(Array.from({ length: s.flooders }, () => open(url)));
	for (const ws of flooders) {
		sockets.push(ws);
		ws.once('close', () => stopping || floodersClosed++);
	}
	process.send?.({ event: 'ready' });

	const padding = 'x'.repeat(s.floodBytes);
	/** @type {(() => void)[]} */
	const stops = [];
	await new Promise((resolve) => {
		process.on('message', (message) => {
			if (message === 'flood') {
				for (const [i, ws] of flooders.entries()) {
					const frame = JSON.stringify({ type: 'publish', topic: topicOf(s, i), data: padding });
					stops.push(
						paced(s.floodRate, 5, (n) => {
							if (ws.readyState !== WebSocket.OPEN) return;
							for (let k = 0; k < n; k++) ws.send(frame);
							if (measuring) floodSent += n;
						})
					);
				}
			} else if (message === 'measure') {
				measuring = true;
			} else if (message === 'stop') {
				resolve(undefined);
			}
		});
	});
	stopping = true;
	for (const stop of stops) stop();
	for (const ws of sockets) ws.terminate();
	process.send?.({ event: 'done', floodSent, floodersClosed, subscribersLost });
}

// Only when forked as the crowd: swarm.js imports the helpers above too.
if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
	let finished = false;
	// Without its parent, the crowd has nothing left to do.
	process.once('disconnect', () => finished || process.exit(0));
	process.once('message', (/** @type {{ url: string, settings: SwarmSettings }} */ task) => {
		crowd(task.url, task.settings).then(
			() => {
				finished = true;
				process.disconnect();
			},
			(/** @type {unknown} */ err) => {
				console.error(err);
				process.exit(1);
			}
		);
	});
}

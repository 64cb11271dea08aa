/**
 * The swarm scenario: a thousand sockets subscribed to one topic, twenty publishers flooding it
 * with 4 KB frames each just under the per-connection rate limit, and a few honest peers
 * publishing small frames at a low rate. It measures what the honest peers see (delivery latency
 * of their publishes to each other) and how long a client that connects mid-flood waits for its
 * subscribe to be served. Loopback only; a few seconds of flood.
 *
 * Used by the relay's unit test (tests/unit/signaling/swarm.test.ts) and runnable on its own,
 * against this relay or another checkout's, to print the figures:
 *
 *   node bench/relay/swarm.js [path/to/signaling/bin/relay.js]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

/**
 * @typedef {object} SwarmSettings
 * @property {string} topic The topic of the honest peers.
 * @property {number} topics Topics the subscribers and flooders are spread over, round robin;
 *   the first is the honest peers' topic.
 * @property {number} subscribers Sockets that only subscribe and read.
 * @property {number} flooders
 * @property {number} floodRate Frames per second per flooder.
 * @property {number} floodBytes Padding in each flood frame.
 * @property {number} honest Peers that subscribe and publish small frames.
 * @property {number} honestRate Publishes per second per honest peer.
 * @property {number} warmupMs Flood before measuring starts.
 * @property {number} measureMs
 * @property {number} graceMs How long a publish may still arrive after measuring ends.
 */

/** @type {SwarmSettings} */
export const swarmDefaults = {
	topic: 'swarm',
	topics: 1,
	subscribers: 1000,
	flooders: 20,
	floodRate: 90,
	floodBytes: 4096,
	honest: 5,
	honestRate: 4,
	warmupMs: 1500,
	measureMs: 3000,
	graceMs: 1000
};

/**
 * @typedef {object} SwarmFigures
 * @property {number} samples Honest deliveries expected while measuring (publishes x receivers).
 * @property {number} missing Of those, how many never arrived (counted as infinitely late).
 * @property {number} p50 Honest delivery latency, milliseconds.
 * @property {number} p99
 * @property {number} serveMs From a new client's connect to the pong answering its subscribe and
 *   ping; Infinity if it never came.
 * @property {number} firstHonestMs From that connect to its first honest publish.
 * @property {number} floodSent Flood frames sent while measuring.
 * @property {number} floodersClosed Flooders the relay closed (the rate limit, if the scenario
 *   were not under it).
 * @property {number} subscribersLost Subscribers the relay closed.
 */

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const honestMarker = Buffer.from('"data":"h:');
const pongMarker = Buffer.from('"pong"');

/**
 * Opens a socket and resolves once it is open.
 * @param {string} url
 * @param {(data: Buffer) => void} [onMessage]
 */
function open(url, onMessage) {
	const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
	ws.on('error', () => {});
	if (onMessage) ws.on('message', (/** @type {Buffer} */ data) => onMessage(data));
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
function subscribe(ws, topic) {
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
function paced(rate, cap, tick) {
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
 * @param {number[]} sorted
 * @param {number} q
 */
const quantile = (sorted, q) =>
	sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/**
 * Runs the scenario against a relay that is already listening.
 * @param {string} url ws://host:port
 * @param {Partial<SwarmSettings>} [overrides]
 * @returns {Promise<SwarmFigures>}
 */
export async function swarm(url, overrides = {}) {
	const s = { ...swarmDefaults, ...overrides };
	const topicOf = (/** @type {number} */ i) =>
		i % s.topics === 0 ? s.topic : `${s.topic}-${i % s.topics}`;
	/** @type {WebSocket[]} */
	const sockets = [];
	let subscribersLost = 0;
	let floodersClosed = 0;
	let stopping = false;
	/** @type {(() => void)[]} */
	const stops = [];
	try {
		for (let start = 0; start < s.subscribers; start += 100) {
			const batch = [];
			for (let i = start; i < Math.min(s.subscribers, start + 100); i++) {
				batch.push(
					open(url).then(async (ws) => {
						sockets.push(ws);
						ws.once('close', () => stopping || subscribersLost++);
						await subscribe(ws, topicOf(i));
					})
				);
			}
			await Promise.all(batch);
		}

		/** Sent at, by publish key `<peer>:<seq>`. */
		const sentAt = new Map();
		/** Receipt times, by receiver and then publish key. */
		const receipts = Array.from({ length: s.honest }, () => new Map());
		const honest = await Promise.all(
			receipts.map((got) =>
				open(url, (data) => {
					const at = data.indexOf(honestMarker);
					if (at === -1) return;
					const start = at + honestMarker.length;
					const key = data.toString('latin1', start, data.indexOf(0x22, start));
					if (!got.has(key)) got.set(key, performance.now());
				})
			)
		);
		for (const ws of honest) {
			sockets.push(ws);
			ws.once('close', () => stopping || subscribersLost++);
			await subscribe(ws, s.topic);
		}

		const flooders = await Promise.all(Array.from({ length: s.flooders }, () => open(url)));
		const padding = 'x'.repeat(s.floodBytes);
		let floodSent = 0;
		let measuring = false;
		for (const [i, ws] of flooders.entries()) {
			const floodFrame = JSON.stringify({ type: 'publish', topic: topicOf(i), data: padding });
			sockets.push(ws);
			ws.once('close', () => stopping || floodersClosed++);
			stops.push(
				paced(s.floodRate, 5, (n) => {
					if (ws.readyState !== WebSocket.OPEN) return;
					for (let i = 0; i < n; i++) ws.send(floodFrame);
					if (measuring) floodSent += n;
				})
			);
		}

		/** @type {{ key: string, at: number }[]} */
		const measured = [];
		honest.forEach((ws, id) => {
			let seq = 0;
			stops.push(
				paced(s.honestRate, 1, () => {
					if (ws.readyState !== WebSocket.OPEN) return;
					const key = `${id}:${seq++}`;
					const at = performance.now();
					sentAt.set(key, at);
					if (measuring) measured.push({ key, at });
					ws.send(JSON.stringify({ type: 'publish', topic: s.topic, data: `h:${key}` }));
				})
			);
		});

		await sleep(s.warmupMs);
		measuring = true;
		await sleep(s.measureMs / 2);

		// A client arriving mid-flood.
		let serveMs = Infinity;
		let firstHonestMs = Infinity;
		const connectAt = performance.now();
		const late = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
		sockets.push(late);
		late.on('error', () => {});
		late.on('message', (/** @type {Buffer} */ data) => {
			const now = performance.now() - connectAt;
			if (serveMs === Infinity && data.includes(pongMarker)) serveMs = now;
			if (firstHonestMs === Infinity && data.includes(honestMarker)) firstHonestMs = now;
		});
		late.once('open', () => {
			late.send(JSON.stringify({ type: 'subscribe', topics: [s.topic] }));
			late.send('{"type":"ping"}');
		});

		await sleep(s.measureMs / 2);
		measuring = false;
		for (const stop of stops.splice(0)) stop();
		await sleep(s.graceMs);

		/** @type {number[]} */
		const latencies = [];
		for (const { key, at } of measured) {
			for (const got of receipts) latencies.push((got.get(key) ?? Infinity) - at);
		}
		latencies.sort((a, b) => a - b);
		return {
			samples: latencies.length,
			missing: latencies.filter((l) => l === Infinity).length,
			p50: quantile(latencies, 0.5),
			p99: quantile(latencies, 0.99),
			serveMs,
			firstHonestMs,
			floodSent,
			floodersClosed,
			subscribersLost
		};
	} finally {
		stopping = true;
		for (const stop of stops) stop();
		for (const ws of sockets) ws.terminate();
	}
}

/** @param {SwarmFigures} f */
export function formatFigures(f) {
	const ms = (/** @type {number} */ n) => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'never');
	return [
		`honest delivery p50 ${ms(f.p50)}, p99 ${ms(f.p99)} (${f.samples} deliveries, ${f.missing} never arrived)`,
		`new client mid-flood: subscribe served (pong) after ${ms(f.serveMs)}, first honest publish after ${ms(f.firstHonestMs)}`,
		`flood frames sent while measuring: ${f.floodSent}; flooders closed: ${f.floodersClosed}; subscribers lost: ${f.subscribersLost}`
	].join('\n');
}

async function freePort() {
	const server = createServer().listen(0, '127.0.0.1');
	await new Promise((resolve) => server.once('listening', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/**
 * Starts the relay at `relayBin` with its default limits and runs the scenario against it.
 * @param {string} relayBin
 */
export async function swarmAgainst(relayBin) {
	const port = await freePort();
	const child = spawn(process.execPath, [relayBin], {
		env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	try {
		const deadline = Date.now() + 10_000;
		for (;;) {
			try {
				await (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer();
				break;
			} catch {
				if (Date.now() > deadline) throw new Error('the relay did not start');
				await sleep(50);
			}
		}
		return await swarm(`ws://127.0.0.1:${port}`);
	} finally {
		child.kill('SIGKILL');
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const relayBin =
		process.argv[2] ?? fileURLToPath(new URL('../../signaling/bin/relay.js', import.meta.url));
	console.log(`swarm scenario against ${relayBin}`);
	console.log(formatFigures(await swarmAgainst(relayBin)));
}

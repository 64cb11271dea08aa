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
import { fork, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { open, paced, subscribe } from './swarm-crowd.js';

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
 * @property {number} floodShare Of the flood frames the settings ask for while measuring, the
 *   share sent: below 1 when the machine could not generate the whole flood.
 * @property {number} floodersClosed Flooders the relay closed (the rate limit, if the scenario
 *   were not under it).
 * @property {number} subscribersLost Subscribers the relay closed.
 */

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const honestMarker = Buffer.from('"data":"h:');
const pongMarker = Buffer.from('"pong"');
const crowdScript = fileURLToPath(new URL('./swarm-crowd.js', import.meta.url));

/**
 * Starts part of the crowd (swarm-crowd.js) in its own process and resolves once its sockets are
 * open and subscribed.
 * @param {string} url
 * @param {SwarmSettings} settings
 * @param {number} priority The process's nice value.
 */
async function startCrowd(url, settings, priority) {
	const child = fork(crowdScript, [], {
		execArgv: [],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	/** @typedef {{ floodSent: number, floodersClosed: number, subscribersLost: number }} Counts */
	/** @type {Promise<Counts>} */
	const done = new Promise((resolve, reject) => {
		child.on('message', (/** @type {{ event: string } & Counts} */ message) => {
			if (message.event === 'done') resolve(message);
		});
		child.once('exit', (code) => reject(new Error(`the crowd exited with ${code}`)));
	});
	done.catch(() => {});
	const ready = new Promise((resolve, reject) => {
		child.on('message', (/** @type {{ event: string }} */ message) => {
			if (message.event === 'ready') resolve(undefined);
		});
		child.once('exit', (code) => reject(new Error(`the crowd exited with ${code}`)));
	});
	if (child.pid) setPriority(child.pid, priority);
	child.send({ url, settings });
	await ready;
	return {
		/** @param {'flood' | 'measure' | 'stop'} command */
		tell: (command) => child.send(command),
		done,
		kill: () => child.kill('SIGKILL')
	};
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
	/** @type {WebSocket[]} */
	const sockets = [];
	/** @type {(() => void)[]} */
	const stops = [];
	// The crowd stands for other machines. Its readers yield to everything else on a busy
	// machine, so that their reading does not decide the honest peers' latency; the flooders do
	// not, so that the flood is as strong as the scenario says.
	const readers = await startCrowd(url, { ...s, flooders: 0 }, 19);
	const flooders = await startCrowd(url, { ...s, subscribers: 0 }, 0).catch((err) => {
		readers.kill();
		throw err;
	});
	const crowd = {
		/** @param {'flood' | 'measure' | 'stop'} command */
		tell: (command) => [readers, flooders].forEach((part) => part.tell(command)),
		done: Promise.all([readers.done, flooders.done]).then(([a, b]) => ({
			floodSent: b.floodSent,
			floodersClosed: b.floodersClosed,
			subscribersLost: a.subscribersLost
		})),
		kill: () => [readers, flooders].forEach((part) => part.kill())
	};
	try {
		/** Receipt times, by receiver and then publish key `<peer>:<seq>`. */
		const receipts = Array.from({ length: s.honest }, () => new Map());
		const honest = await Promise.all(receipts.map(() => open(url)));
		honest.forEach((ws, i) => {
			const got = receipts[i];
			ws.on('message', (/** @type {Buffer} */ data) => {
				const at = data.indexOf(honestMarker);
				if (at === -1 || !got) return;
				const start = at + honestMarker.length;
				const key = data.toString('latin1', start, data.indexOf(0x22, start));
				if (!got.has(key)) got.set(key, performance.now());
			});
		});
		sockets.push(...honest);
		let honestLost = 0;
		let stopping = false;
		for (const ws of honest) {
			ws.once('close', () => stopping || honestLost++);
			await subscribe(ws, s.topic);
		}

		crowd.tell('flood');
		let measuring = false;
		/** @type {{ key: string, at: number }[]} */
		const measured = [];
		honest.forEach((ws, id) => {
			let seq = 0;
			stops.push(
				paced(s.honestRate, 1, () => {
					if (ws.readyState !== WebSocket.OPEN) return;
					const key = `${id}:${seq++}`;
					if (measuring) measured.push({ key, at: performance.now() });
					ws.send(JSON.stringify({ type: 'publish', topic: s.topic, data: `h:${key}` }));
				})
			);
		});

		await sleep(s.warmupMs);
		measuring = true;
		crowd.tell('measure');
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
		crowd.tell('stop');
		const counts = await crowd.done;
		await sleep(s.graceMs);
		stopping = true;

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
			floodSent: counts.floodSent,
			floodShare: counts.floodSent / ((s.flooders * s.floodRate * s.measureMs) / 1000),
			floodersClosed: counts.floodersClosed,
			subscribersLost: counts.subscribersLost + honestLost
		};
	} finally {
		for (const stop of stops) stop();
		for (const ws of sockets) ws.terminate();
		crowd.kill();
	}
}

/** @param {SwarmFigures} f */
export function formatFigures(f) {
	const ms = (/** @type {number} */ n) => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'never');
	return [
		`honest delivery p50 ${ms(f.p50)}, p99 ${ms(f.p99)} (${f.samples} deliveries, ${f.missing} never arrived)`,
		`new client mid-flood: subscribe served (pong) after ${ms(f.serveMs)}, first honest publish after ${ms(f.firstHonestMs)}`,
		`flood frames sent while measuring: ${f.floodSent} (${Math.round(f.floodShare * 100)}% of the scenario's); flooders closed: ${f.floodersClosed}; subscribers lost: ${f.subscribersLost}`
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
 * Starts the relay at `relayBin` with its default limits (or `env`) and runs the scenario.
 * @param {string} relayBin
 * @param {Record<string, string>} [env]
 * @param {Partial<SwarmSettings>} [overrides]
 */
export async function swarmAgainst(relayBin, env = {}, overrides = {}) {
	const port = await freePort();
	const child = spawn(process.execPath, [relayBin], {
		env: {
			PATH: process.env.PATH ?? '',
			HOST: '127.0.0.1',
			PORT: String(port),
			LOG_LEVEL: 'warn',
			...env
		},
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
		return await swarm(`ws://127.0.0.1:${port}`, overrides);
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

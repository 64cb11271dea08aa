/**
 * Load generator for the relay benchmark, run as a child process of run.js so that it never
 * shares an event loop with the server it measures. It is told what to do over IPC:
 *
 *   { mode: 'idle', url, rooms, peers }          open and subscribe, report, wait for 'close'
 *   { mode: 'flood', url, rooms, peers, ... }    publish as fast as the server delivers
 *   { mode: 'paced', url, rooms, peers, rate }   publish at a fixed rate, measure latency
 *
 * Every peer subscribes to its room, as y-webrtc peers do. A publish carries
 * `<peer>:<seq>:<sent at>:<padding>` in `data`; receivers read it straight from the bytes, so
 * that the generator spends as little time per message as possible.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

/** @typedef {{ ws: WebSocket, id: number, room: string, outstanding: number, seq: number }} BenchPeer */

/**
 * @typedef {object} Task
 * @property {'idle' | 'flood' | 'paced'} mode
 * @property {string} url
 * @property {number} rooms
 * @property {number} peers Peers per room.
 * @property {number} [payload] Bytes of padding in each publish.
 * @property {number} [window] Own publishes each peer keeps in flight (flood).
 * @property {number} [rate] Publishes per second (paced).
 * @property {number} [warmupMs]
 * @property {number} [durationMs]
 */

/**
 * What the generator reports to its parent.
 * @typedef {{ event: 'ready', connections: number }
 *   | { event: 'measuring' | 'measured' }
 *   | { event: 'done' } & Partial<Results>} Report
 */

/**
 * @typedef {object} Results
 * @property {number} deliveries Messages received by all peers while measuring (flood).
 * @property {number} publishes Own publishes that came back while measuring (flood).
 * @property {number} seconds
 * @property {number} cpu Share of one core the generator used while measuring (flood).
 * @property {number} dropped Connections the server closed during the run (flood).
 * @property {number} samples Deliveries timed (paced).
 * @property {number} p50 Median delivery latency in milliseconds (paced).
 * @property {number} p99 (paced)
 */

/** @param {Report} message */
const report = (message) => process.send?.(message);

const dataMarker = Buffer.from('"data":"');

/**
 * @param {string} url
 * @param {number} rooms
 * @param {number} peersPerRoom
 * @param {(peer: BenchPeer, data: Buffer) => void} onMessage
 * @returns {Promise<BenchPeer[]>}
 */
async function openPeers(url, rooms, peersPerRoom, onMessage) {
	/** @type {BenchPeer[]} */
	const peers = [];
	const batch = 250;
	for (let start = 0; start < rooms * peersPerRoom; start += batch) {
		const end = Math.min(start + batch, rooms * peersPerRoom);
		const opening = [];
		for (let id = start; id < end; id++) {
			const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
			/** @type {BenchPeer} */
			const peer = {
				ws,
				id,
				room: `room-${Math.floor(id / peersPerRoom)}`,
				outstanding: 0,
				seq: 0
			};
			peers.push(peer);
			ws.on('message', (/** @type {Buffer} */ data) => onMessage(peer, data));
			ws.on('error', () => {});
			opening.push(
				new Promise((resolve, reject) => {
					ws.once('open', () => {
						ws.send(JSON.stringify({ type: 'subscribe', topics: [peer.room] }));
						resolve(undefined);
					});
					ws.once('close', () => reject(new Error(`peer ${id} closed`)));
				})
			);
		}
		await Promise.all(opening);
	}
	// A ping round trip on every connection: once all pongs are back, every subscription is in.
	await Promise.all(
		peers.map(
			(peer) =>
				new Promise((resolve) => {
					const onPong = (/** @type {Buffer} */ data) => {
						if (data.includes('"pong"')) {
							peer.ws.off('message', onPong);
							resolve(undefined);
						}
					};
					peer.ws.on('message', onPong);
					peer.ws.send('{"type":"ping"}');
				})
		)
	);
	return peers;
}

/**
 * Reads `<peer>:<seq>:<sent at>` from a delivered publish without parsing the whole JSON.
 * @param {Buffer} data
 */
function readData(data) {
	const at = data.indexOf(dataMarker);
	if (at === -1) return undefined;
	const start = at + dataMarker.length;
	const end = data.indexOf(0x22, start);
	const [peer, seq, sentAt] = data.toString('latin1', start, end).split(':');
	return { peer: Number(peer), seq: Number(seq), sentAt: Number(sentAt) };
}

/**
 * @param {BenchPeer} peer
 * @param {string} padding
 */
function publish(peer, padding) {
	const data = `${peer.id}:${peer.seq++}:${performance.now()}:${padding}`;
	peer.ws.send(`{"type":"publish","topic":"${peer.room}","data":"${data}"}`);
}

const cpuMs = () => {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
};

/**
 * @param {BenchPeer[]} peers
 * @param {number} deadlineMs
 */
function closeAll(peers, deadlineMs = 5000) {
	return Promise.race([
		Promise.all(
			peers.map(
				(peer) =>
					new Promise((resolve) => {
						if (peer.ws.readyState === WebSocket.CLOSED) return resolve(undefined);
						peer.ws.once('close', resolve);
						peer.ws.close();
					})
			)
		),
		new Promise((resolve) => setTimeout(resolve, deadlineMs))
	]);
}

/** @param {Task} task */
async function idle(task) {
	const peers = await openPeers(task.url, task.rooms, task.peers, () => {});
	report({ event: 'ready', connections: peers.length });
	await new Promise((resolve) => process.once('message', resolve));
	await closeAll(peers);
	report({ event: 'done' });
}

/**
 * Every peer keeps `window` of its own publishes in flight; its own copy coming back (the sender
 * is a subscriber too) frees a slot. The server's delivery rate then sets the pace.
 * @param {Task} task
 */
async function flood(task) {
	const { payload = 512, window = 8, warmupMs = 1000, durationMs = 5000 } = task;
	const padding = 'x'.repeat(payload);
	let counting = false;
	let deliveries = 0;
	let publishes = 0;
	let closedEarly = 0;
	const peers = await openPeers(task.url, task.rooms, task.peers, (peer, data) => {
		if (counting) deliveries++;
		const read = readData(data);
		if (read?.peer === peer.id) {
			peer.outstanding--;
			if (counting) publishes++;
			while (peer.outstanding < window) {
				peer.outstanding++;
				publish(peer, padding);
			}
		}
	});
	for (const peer of peers) {
		peer.ws.on('close', () => closedEarly++);
		for (let i = 0; i < window; i++) {
			peer.outstanding++;
			publish(peer, padding);
		}
	}
	await new Promise((resolve) => setTimeout(resolve, warmupMs));
	counting = true;
	report({ event: 'measuring' });
	const startedAt = performance.now();
	const cpuAtStart = cpuMs();
	await new Promise((resolve) => setTimeout(resolve, durationMs));
	counting = false;
	report({ event: 'measured' });
	const seconds = (performance.now() - startedAt) / 1000;
	const cpu = (cpuMs() - cpuAtStart) / 1000 / seconds;
	const dropped = closedEarly;
	await closeAll(peers);
	report({ event: 'done', deliveries, publishes, seconds, cpu, dropped });
}

/**
 * Each room publishes in turn at a fixed overall rate, well below saturation, and every delivery
 * records its latency.
 * @param {Task} task
 */
async function paced(task) {
	const { payload = 512, rate = 1000, warmupMs = 1000, durationMs = 5000 } = task;
	const padding = 'x'.repeat(payload);
	/** @type {number[]} */
	const latencies = [];
	let counting = false;
	const peers = await openPeers(task.url, task.rooms, task.peers, (_peer, data) => {
		if (!counting) return;
		const read = readData(data);
		if (read) latencies.push(performance.now() - read.sentAt);
	});
	const tickMs = 10;
	const perTick = (rate * tickMs) / 1000;
	let next = 0;
	let owed = 0;
	const timer = setInterval(() => {
		owed += perTick;
		for (; owed >= 1; owed--)
			publish(/** @type {BenchPeer} */ (peers[next++ % peers.length]), padding);
	}, tickMs);
	await new Promise((resolve) => setTimeout(resolve, warmupMs));
	counting = true;
	await new Promise((resolve) => setTimeout(resolve, durationMs));
	counting = false;
	clearInterval(timer);
	await closeAll(peers);
	latencies.sort((a, b) => a - b);
	const quantile = (/** @type {number} */ q) =>
		latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
	report({
		event: 'done',
		samples: latencies.length,
		p50: quantile(0.5),
		p99: quantile(0.99)
	});
}

process.once('message', (/** @type {Task} */ task) => {
	const modes = { idle, flood, paced };
	modes[task.mode](task).then(
		() => process.exit(0),
		(/** @type {unknown} */ err) => {
			console.error(err);
			process.exit(1);
		}
	);
});

/**
 * Benchmark of the relay against y-webrtc's reference signaling server, on this machine, in one
 * run: fan-out throughput, delivery latency, memory per idle connection, and whether one
 * malformed frame kills the server; then the relay alone, with its default limits, under the
 * swarm scenario (swarm.js). Loopback only; about a minute in all.
 *
 *   node bench/relay/run.js
 *
 * The load comes from a separate process (load.js), never from the server's own event loop.
 */
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { formatFigures, swarmAgainst } from './swarm.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const loadScript = fileURLToPath(new URL('./load.js', import.meta.url));

const settings = {
	rooms: 50,
	peers: 10,
	/** Bytes of padding in each publish, about a small encrypted y-webrtc signal. */
	payload: 512,
	/** Own publishes each peer keeps in flight during the throughput run. */
	window: 8,
	warmupMs: 1000,
	durationMs: 5000,
	/** Publishes per second for the latency run, well below either server's capacity. */
	pacedRate: 1000,
	idleRooms: 200,
	idleConnections: 2000,
	/**
	 * Passes per server, alternating between them; each figure is the better of the passes, so
	 * that a moment of load from elsewhere on the machine does not decide the comparison.
	 */
	passes: 2
};

/**
 * How each server is started. The relay runs with its defaults except for the log level, the
 * per-connection rate limit and the fan-out budgets, which the load generator exceeds on purpose
 * (it measures how much the relay can deliver; the swarm scenario measures the limits).
 * @type {{ name: string, args: string[], env: Record<string, string> }[]}
 */
const servers = [
	{
		name: 'y-webrtc server',
		args: [`${root}node_modules/y-webrtc/bin/server.js`],
		env: {}
	},
	{
		name: 'ours',
		args: [`${root}signaling/bin/relay.js`],
		env: {
			HOST: '127.0.0.1',
			LOG_LEVEL: 'warn',
			RATE_LIMIT: '1000000',
			RATE_LIMIT_BURST: '1000000',
			TOPIC_BUDGET: '0',
			ADDRESS_BUDGET: '0'
		}
	}
];

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
	const server = createServer().listen(0, '127.0.0.1');
	await new Promise((resolve) => server.once('listening', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** @param {number} pid Resident memory of a process, in bytes. */
function rss(pid) {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) * 1024 : NaN;
}

/** @param {number} pid CPU time of a process so far, in seconds. */
function cpuSeconds(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
	// utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** @param {{ name: string, args: string[], env: Record<string, string> }} server */
async function start(server) {
	const port = await freePort();
	const child = spawn(process.execPath, server.args, {
		env: { PATH: process.env.PATH ?? '', ...server.env, PORT: String(port) },
		stdio: ['ignore', 'ignore', 'ignore']
	});
	const deadline = Date.now() + 10_000;
	for (;;) {
		try {
			const response = await fetch(`http://127.0.0.1:${port}/`);
			await response.arrayBuffer();
			break;
		} catch {
			if (Date.now() > deadline) throw new Error(`${server.name} did not start`);
			await sleep(50);
		}
	}
	return { child, port, url: `ws://127.0.0.1:${port}` };
}

/** @typedef {import('./load.js').Task} Task */
/** @typedef {import('./load.js').Report} Report */
/** @typedef {Partial<import('./load.js').Results>} Results */

/**
 * Runs one load task in a fresh generator process.
 * @param {Task} task
 * @param {(message: Report, generator: import('node:child_process').ChildProcess) => void} [onMessage]
 * @returns {Promise<Results>}
 */
function load(task, onMessage) {
	const generator = fork(loadScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			generator.kill('SIGKILL');
			reject(new Error(`load task ${String(task.mode)} timed out`));
		}, 60_000);
		generator.on('message', (/** @type {Report} */ message) => {
			if (message.event === 'done') {
				clearTimeout(timer);
				resolve(message);
			} else {
				onMessage?.(message, generator);
			}
		});
		generator.once('exit', (code) => {
			clearTimeout(timer);
			if (code !== 0) reject(new Error(`load generator exited with ${code}`));
		});
		generator.send(task);
	});
}

/**
 * @param {number} pid
 * @param {string} url
 */
async function idleMemory(pid, url) {
	const before = rss(pid);
	let after = NaN;
	await load(
		{
			mode: 'idle',
			url,
			rooms: settings.idleRooms,
			peers: settings.idleConnections / settings.idleRooms
		},
		(message, generator) => {
			if (message.event !== 'ready') return;
			// Let the server finish what the connections caused before reading its size.
			void sleep(1000).then(() => {
				after = rss(pid);
				generator.send('close');
			});
		}
	);
	return (after - before) / (settings.idleConnections / 1000);
}

/**
 * @param {number} pid
 * @param {string} url
 */
async function throughput(pid, url) {
	/** @type {{ cpu: number, at: number }[]} */
	const marks = [];
	const result = await load({ mode: 'flood', url, ...settings }, () => {
		marks.push({ cpu: cpuSeconds(pid), at: performance.now() });
	});
	const [begin, end] = marks;
	const serverCpu =
		begin && end ? (end.cpu - begin.cpu) / ((end.at - begin.at) / 1000) : Number.NaN;
	const { deliveries = NaN, publishes = NaN, seconds = NaN, cpu = NaN, dropped = 0 } = result;
	return {
		deliveries: deliveries / seconds,
		publishes: publishes / seconds,
		generatorCpu: cpu,
		serverCpu,
		dropped
	};
}

/** @param {string} url */
async function latency(url) {
	const { p50 = NaN, p99 = NaN } = await load({
		mode: 'paced',
		url,
		...settings,
		rate: settings.pacedRate
	});
	return { p50, p99 };
}

/**
 * Sends one frame that is not JSON and reports whether the server process is still alive after.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} url
 */
async function survivesMalformedFrame(child, url) {
	const ws = new WebSocket(url);
	ws.on('error', () => {});
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	ws.send('this is not JSON');
	await sleep(500);
	ws.terminate();
	return child.exitCode === null && child.signalCode === null;
}

/** @param {import('node:child_process').ChildProcess} child */
async function stop(child) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
	await exited;
	clearTimeout(timer);
}

/**
 * @typedef {object} Figures
 * @property {number} deliveries
 * @property {number} publishes
 * @property {number} perCpu
 * @property {number} serverCpu
 * @property {number} generatorCpu
 * @property {number} dropped
 * @property {number} p50
 * @property {number} p99
 * @property {number} memory
 * @property {boolean} survives
 */

/**
 * One pass over one server: every measurement, in an order where none disturbs the next (idle
 * memory on a fresh process first, the frame that may kill it last).
 * @param {{ name: string, args: string[], env: Record<string, string> }} server
 * @returns {Promise<Figures>}
 */
async function pass(server) {
	const { child, url } = await start(server);
	const pid = /** @type {number} */ (child.pid);
	try {
		const memory = await idleMemory(pid, url);
		const flood = await throughput(pid, url);
		const paced = await latency(url);
		const survives = await survivesMalformedFrame(child, url);
		return {
			deliveries: flood.deliveries,
			publishes: flood.publishes,
			perCpu: flood.deliveries / flood.serverCpu,
			serverCpu: flood.serverCpu,
			generatorCpu: flood.generatorCpu,
			dropped: flood.dropped,
			p50: paced.p50,
			p99: paced.p99,
			memory,
			survives
		};
	} finally {
		await stop(child);
	}
}

/**
 * The better figures of several passes: the fastest throughput run (with its CPU shares), the
 * lowest latencies and memory.
 * @param {Figures[]} passes
 * @returns {Figures}
 */
function best(passes) {
	const fastest = passes.reduce((a, b) => (b.deliveries > a.deliveries ? b : a));
	const least = (/** @type {'p50' | 'p99' | 'memory'} */ key) =>
		Math.min(...passes.map((figures) => figures[key]));
	return {
		...fastest,
		p50: least('p50'),
		p99: least('p99'),
		memory: least('memory'),
		dropped: passes.reduce((sum, figures) => sum + figures.dropped, 0),
		survives: passes.every((figures) => figures.survives)
	};
}

const startedAt = performance.now();
const [load1] = loadavg();
console.log(
	`relay benchmark: ${settings.rooms} rooms x ${settings.peers} peers, ${settings.payload} B ` +
		`payload, ${settings.durationMs / 1000} s runs, best of ${settings.passes} passes; loopback; ` +
		`Node ${process.version}; load average at start ${load1?.toFixed(2)}`
);
if ((load1 ?? 0) > 0.5) {
	console.log('note: the machine is busy with something else; figures will be noisy');
}

/** @type {Figures[][]} */
const passes = servers.map(() => []);
for (let round = 0; round < settings.passes; round++) {
	// Alternate the order, so that neither server always runs on a warmer or busier machine.
	const order = round % 2 === 0 ? [0, 1] : [1, 0];
	for (const index of order) {
		const server = /** @type {(typeof servers)[number]} */ (servers[index]);
		console.log(`- pass ${round + 1}: ${server.name}`);
		passes[index]?.push(await pass(server));
	}
}
const [reference, ours] = passes.map(best);
if (!reference || !ours) throw new Error('missing results');

/**
 * @param {string} label
 * @param {Exclude<keyof Figures, 'survives'>} key
 * @param {(value: number) => string} format
 */
const row = (label, key, format) => {
	const a = reference[key];
	const b = ours[key];
	return [label, format(a), format(b), `${(b / a).toFixed(2)}x`];
};
const mib = (/** @type {number} */ bytes) => (bytes / 1024 / 1024).toFixed(2);
const int = (/** @type {number} */ n) => Math.round(n).toLocaleString('en-US');
const ms = (/** @type {number} */ n) => n.toFixed(2);
const pct = (/** @type {number} */ n) => `${Math.round(n * 100)}%`;
const rows = [
	['', 'y-webrtc server', 'ours', 'ours/ref'],
	row('fan-out deliveries/s', 'deliveries', int),
	row('publishes/s', 'publishes', int),
	row('deliveries per server CPU-second', 'perCpu', int),
	row('server CPU during the run', 'serverCpu', pct),
	row('load generator CPU', 'generatorCpu', pct),
	row(`p50 latency ms (${settings.pacedRate} publishes/s)`, 'p50', ms),
	row(`p99 latency ms (${settings.pacedRate} publishes/s)`, 'p99', ms),
	row('RSS MiB per 1,000 idle connections', 'memory', mib),
	[
		'alive after one non-JSON frame',
		reference.survives ? 'yes' : 'no (crashed)',
		ours.survives ? 'yes' : 'no (crashed)',
		''
	]
];
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
console.log('');
for (const r of rows) {
	console.log(
		r
			.map((cell, i) =>
				i === 0 ? String(cell).padEnd(widths[i] ?? 0) : String(cell).padStart(widths[i] ?? 0)
			)
			.join('  ')
	);
}
if (reference.dropped + ours.dropped > 0) {
	console.log(`connections lost during the run: ref ${reference.dropped}, ours ${ours.dropped}`);
}

// The reference server has no limits to hold a swarm back; only the relay is run.
console.log('\nswarm: 1,000 subscribers on one topic, 20 publishers of 4 KB frames at 90/s each');
console.log(formatFigures(await swarmAgainst(`${root}signaling/bin/relay.js`)));
console.log(`\ntotal time ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocket, type ClientOptions, type RawData } from 'ws';

/** The relay's command line, run as operators run it. */
export const relayBin = fileURLToPath(new URL('../../../signaling/bin/relay.js', import.meta.url));

/** Every child process started here, so that a test can always stop what it started. */
const children = new Set<ChildProcess>();

/** Rejects after `ms` with `what` in the message, so a hung step fails instead of stalling. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(
	check: () => T | undefined | Promise<T | undefined>,
	what: string,
	ms = 5000
): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
		await sleep(25);
	}
}

/** The environment of a child: only what it needs, so no setting leaks in from the shell. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
		if (process.env[key] !== undefined) env[key] = process.env[key];
	}
	return { ...env, ...extra };
}

export interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

/** Resolves when the child exits (at once if it already has). */
export function exited(child: ChildProcess): Promise<Exit> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
	}
	return new Promise((resolve) => {
		child.once('exit', (code, signal) => resolve({ code, signal }));
	});
}

/** Stops a child: `signal` first, SIGKILL if it is still there after `ms`. */
export async function stopChild(
	child: ChildProcess,
	signal: NodeJS.Signals = 'SIGTERM',
	ms = 5000
) {
	const exit = exited(child);
	if (child.exitCode === null && child.signalCode === null) child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), ms);
	try {
		return await exit;
	} finally {
		clearTimeout(timer);
		children.delete(child);
	}
}

/** Stops every child still running; for afterEach/afterAll. */
export async function stopAll() {
	await Promise.all([...children].map((child) => stopChild(child, 'SIGKILL')));
}

export interface LogLine {
	level: number;
	msg: string;
	[key: string]: unknown;
}

export interface RelayProcess {
	child: ChildProcess;
	port: number;
	/** ws://127.0.0.1:port */
	url: string;
	/** http://127.0.0.1:port */
	http: string;
	/** Everything written to stdout so far, as text. */
	stdout(): string;
	/** The JSON log lines so far. */
	logs(): LogLine[];
	/** Resolves with the first log line whose `msg` is `msg`, logged already or later. */
	logged(msg: string, ms?: number): Promise<LogLine>;
	stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Runs the relay CLI and returns its raw output; for --help and invalid configurations. */
export function runRelayCli(args: string[], env: Record<string, string> = {}) {
	const result = spawnSync(process.execPath, [relayBin, ...args], {
		env: childEnv(env),
		encoding: 'utf8',
		timeout: 10_000
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts the relay as a child process on a free loopback port and waits for its "listening"
 * log line, which carries the port it bound.
 */
export async function startRelay(
	env: Record<string, string> = {},
	{ nodeArgs = [] as string[], args = [] as string[], port = 0 } = {}
): Promise<RelayProcess> {
	const child = spawn(process.execPath, [...nodeArgs, relayBin, ...args], {
		env: childEnv({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.add(child);
	let out = '';
	let err = '';
	const lines: LogLine[] = [];
	let pending = '';
	child.stdout?.setEncoding('utf8');
	child.stderr?.setEncoding('utf8');
	child.stderr?.on('data', (chunk: string) => (err += chunk));
	const listening = new Promise<number>((resolve, reject) => {
		child.stdout?.on('data', (chunk: string) => {
			out += chunk;
			pending += chunk;
			let newline;
			while ((newline = pending.indexOf('\n')) !== -1) {
				const text = pending.slice(0, newline);
				pending = pending.slice(newline + 1);
				try {
					const line = JSON.parse(text) as LogLine;
					lines.push(line);
					if (line.msg === 'listening' && typeof line.port === 'number') resolve(line.port);
				} catch {
					// Not a log line; kept in stdout().
				}
			}
		});
		child.once('exit', (code) =>
			reject(new Error(`relay exited with ${code} before listening: ${err || out}`))
		);
	});
	const boundPort = await within(listening, 10_000, 'relay to listen');
	return {
		child,
		port: boundPort,
		url: `ws://127.0.0.1:${boundPort}`,
		http: `http://127.0.0.1:${boundPort}`,
		stdout: () => out,
		logs: () => lines,
		logged: (msg: string, ms = 5000) =>
			eventually(() => lines.find((line) => line.msg === msg), `log line "${msg}"`, ms),
		stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal)
	};
}

export interface Health {
	status: string;
	uptime: number;
	connections: number;
	topics: number;
	redis: string;
	memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

export async function getHealth(relay: RelayProcess, query = ''): Promise<Health> {
	const response = await fetch(`${relay.http}/health${query}`);
	return (await response.json()) as Health;
}

export async function getMetrics(relay: RelayProcess): Promise<string> {
	const response = await fetch(`${relay.http}/metrics`);
	return response.text();
}

/** The value of one sample in Prometheus text, e.g. `relay_closes_total{reason="too_big"}`. */
export function metricValue(text: string, sample: string): number | undefined {
	for (const line of text.split('\n')) {
		if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
	}
	return undefined;
}

export type Message = Record<string, unknown>;

const toText = (data: RawData) =>
	(Buffer.isBuffer(data)
		? data
		: Array.isArray(data)
			? Buffer.concat(data)
			: Buffer.from(data)
	).toString();

/** A WebSocket client that keeps every message it receives, parsed when it is JSON. */
export class Peer {
	readonly ws: WebSocket;
	readonly messages: Message[] = [];
	readonly raw: string[] = [];
	private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
	readonly closed: Promise<{ code: number; reason: string }>;
	/** Errors the connection reported; kept rather than thrown, as tests provoke them. */
	readonly errors: Error[] = [];

	constructor(ws: WebSocket) {
		this.ws = ws;
		ws.on('error', (err) => this.errors.push(err));
		ws.on('message', (data: RawData) => this.receive(toText(data)));
		this.closed = new Promise((resolve) => {
			ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		});
	}

	private receive(text: string) {
		this.raw.push(text);
		let message: Message;
		try {
			message = JSON.parse(text) as Message;
		} catch {
			return;
		}
		this.messages.push(message);
		this.waiters = this.waiters.filter((waiter) => {
			if (!waiter.match(message)) return true;
			waiter.resolve(message);
			return false;
		});
	}

	send(message: unknown) {
		this.ws.send(JSON.stringify(message));
	}

	/** The first message, received already or later, that `match` accepts. */
	next(match: (m: Message) => boolean, ms = 3000, what = 'a message'): Promise<Message> {
		const seen = this.messages.find(match);
		if (seen) return Promise.resolve(seen);
		return within(
			new Promise<Message>((resolve) => this.waiters.push({ match, resolve })),
			ms,
			what
		);
	}

	/** Messages received so far that `match` accepts. */
	received(match: (m: Message) => boolean): Message[] {
		return this.messages.filter(match);
	}

	/** Round trip through the relay: once the pong is back, every earlier frame was handled. */
	async ping(ms = 3000) {
		const before = this.received((m) => m.type === 'pong').length;
		this.send({ type: 'ping' });
		await within(
			(async () => {
				while (this.received((m) => m.type === 'pong').length <= before) await sleep(5);
			})(),
			ms,
			'pong'
		);
	}

	waitClosed(ms = 5000) {
		return within(this.closed, ms, 'connection to close');
	}

	close() {
		if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
			this.ws.terminate();
		}
	}
}

/** Opens a WebSocket and resolves once it is open. */
export async function connect(url: string, options: ClientOptions = {}): Promise<Peer> {
	const ws = new WebSocket(url, options);
	const peer = new Peer(ws);
	await within(
		new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		}),
		5000,
		`connect to ${url}`
	);
	return peer;
}

/** What a refused upgrade answered: its HTTP status code, or 0 when the TCP connection failed. */
export function refusedStatus(url: string, options: ClientOptions = {}): Promise<number> {
	const ws = new WebSocket(url, options);
	return within(
		new Promise<number>((resolve, reject) => {
			ws.once('unexpected-response', (_request, response) => {
				resolve(response.statusCode ?? 0);
				ws.terminate();
			});
			ws.once('open', () => {
				ws.terminate();
				reject(new Error('the upgrade was accepted'));
			});
			// Without an HTTP answer at all (nothing listening): 0.
			ws.once('error', () => resolve(0));
		}),
		5000,
		'the upgrade to be refused'
	);
}

/** A free loopback TCP port: bound, read and released. */
export async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export interface RedisProcess {
	port: number;
	url: string;
	child: ChildProcess;
	stop(): Promise<Exit>;
}

/**
 * Starts a throw-away redis-server on a loopback port (no persistence). Fails, rather than skips,
 * when redis-server is missing: the scale-out path must not go untested unnoticed.
 */
export async function startRedis(port?: number): Promise<RedisProcess> {
	const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
	if (probe.error) {
		throw new Error('redis-server not found: install it with `apt-get install -y redis-server`');
	}
	const redisPort = port ?? (await freePort());
	const child = spawn(
		'redis-server',
		[
			'--port',
			String(redisPort),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--protected-mode',
			'no'
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	children.add(child);
	let out = '';
	const ready = new Promise<void>((resolve, reject) => {
		child.stdout?.setEncoding('utf8');
		child.stdout?.on('data', (chunk: string) => {
			out += chunk;
			if (out.includes('Ready to accept connections')) resolve();
		});
		child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
	});
	await within(ready, 10_000, 'redis-server to start');
	return {
		port: redisPort,
		url: `redis://127.0.0.1:${redisPort}`,
		child,
		stop: () => stopChild(child, 'SIGKILL')
	};
}

import { createConnection } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	type Peer,
	type RelayProcess,
	connect,
	getHealth,
	getMetrics,
	metricValue,
	refusedStatus,
	startRelay,
	stopAll
} from './helpers';

const peers: Peer[] = [];

afterEach(() => {
	for (const p of peers.splice(0)) p.close();
});

afterAll(stopAll);

describe('origin allow-list and access token', () => {
	let relay: RelayProcess;
	const token = 'correct horse battery staple';

	beforeAll(async () => {
		relay = await startRelay({
			ALLOWED_ORIGINS: 'https://ours.example, http://localhost:5173',
			ACCESS_TOKEN: token
		});
	});

	afterAll(() => relay.stop());

	const withToken = (value = token) => `${relay.url}/?token=${encodeURIComponent(value)}`;

	it('accepts an allowed origin with the right token', async () => {
		for (const origin of ['https://ours.example', 'http://localhost:5173']) {
			const p = await connect(withToken(), { origin });
			peers.push(p);
			await p.ping();
		}
	});

	it('refuses any other origin with 403', async () => {
		for (const origin of ['https://evil.example', 'https://ours.example.evil', 'null']) {
			expect(await refusedStatus(withToken(), { origin })).toBe(403);
		}
	});

	it('refuses a missing or wrong token with 401', async () => {
		const origin = 'https://ours.example';
		expect(await refusedStatus(relay.url, { origin })).toBe(401);
		expect(await refusedStatus(withToken('wrong'), { origin })).toBe(401);
		expect(await refusedStatus(withToken(''), { origin })).toBe(401);
		expect(await refusedStatus(withToken(`${token}x`), { origin })).toBe(401);
	});

	it('lets programs without an Origin header in with the token', async () => {
		const p = await connect(withToken());
		peers.push(p);
		await p.ping();
	});

	it('counts refusals and never logs the token', async () => {
		const metrics = await getMetrics(relay);
		expect(metricValue(metrics, 'relay_rejected_upgrades_total{reason="origin"}')).toBe(3);
		expect(metricValue(metrics, 'relay_rejected_upgrades_total{reason="token"}')).toBe(4);
		expect(relay.stdout()).toContain('"accessToken":"redacted"');
		expect(relay.stdout()).not.toContain(token);
	});

	it('survives request targets that are not valid URLs', async () => {
		const upgrade =
			'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
			'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';
		for (const target of ['http://[', '//[::1', 'http://a:b:c/?token=x', '%']) {
			for (const headers of [upgrade, '']) {
				const answer = await rawRequest(
					relay.port,
					`GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`
				);
				expect(answer).not.toMatch(/^HTTP\/1\.1 101/);
			}
		}
		expect((await getHealth(relay)).status).toBe('ok');
		expect(relay.child.exitCode).toBeNull();
	});
});

describe('HTTP endpoints', () => {
	let relay: RelayProcess;

	beforeAll(async () => {
		relay = await startRelay();
	});

	afterAll(() => relay.stop());

	it('reports health as JSON', async () => {
		const [a, b] = await Promise.all([connect(relay.url), connect(relay.url)]);
		peers.push(a, b);
		a.send({ type: 'subscribe', topics: ['h1', 'h2'] });
		b.send({ type: 'subscribe', topics: ['h2'] });
		await Promise.all([a.ping(), b.ping()]);

		const response = await fetch(`${relay.http}/health`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json');
		const health = (await response.json()) as Record<string, unknown>;
		expect(health).toMatchObject({
			status: 'ok',
			connections: 2,
			topics: 2,
			redis: 'disabled'
		});
		expect(health.uptime).toBeGreaterThan(0);
		expect(health.memory).toMatchObject({
			rss: expect.any(Number) as number,
			heapUsed: expect.any(Number) as number
		});
	});

	it('exposes Prometheus metrics', async () => {
		const p = await connect(relay.url);
		peers.push(p);
		p.send({ type: 'subscribe', topics: ['m1'] });
		p.send({ type: 'publish', topic: 'm1', data: 'hello' });
		await p.next((m) => m.topic === 'm1');
		p.ws.send('garbage');
		await p.ping();

		const response = await fetch(`${relay.http}/metrics`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const text = await response.text();
		const value = (sample: string) => metricValue(text, sample);
		expect(value('relay_connections')).toBeGreaterThanOrEqual(1);
		expect(value('relay_topics')).toBeGreaterThanOrEqual(1);
		expect(value('relay_messages_in_total')).toBeGreaterThanOrEqual(4);
		expect(value('relay_messages_out_total')).toBeGreaterThanOrEqual(2);
		expect(value('relay_bytes_in_total')).toBeGreaterThan(50);
		expect(value('relay_bytes_out_total')).toBeGreaterThan(20);
		expect(value('relay_invalid_frames_total{reason="not_json"}')).toBe(1);
		expect(value('relay_dropped_messages_total{reason="slow_consumer"}')).toBe(0);
		expect(value('relay_closes_total{reason="rate_limit"}')).toBe(0);
		expect(value('relay_redis_status{status="disabled"}')).toBe(1);
		expect(value('relay_redis_status{status="ready"}')).toBe(0);
		expect(text).toContain('process_resident_memory_bytes');
	});

	it('describes itself at / and answers 404 elsewhere', async () => {
		const root = await fetch(`${relay.http}/`);
		expect(root.status).toBe(200);
		expect(await root.text()).toMatch(/signaling relay/);
		for (const path of ['/nope', '/health/x', '/metrics.json', '/.env']) {
			expect((await fetch(`${relay.http}${path}`)).status).toBe(404);
		}
		expect((await fetch(`${relay.http}/health`, { method: 'POST' })).status).toBe(404);
	});

	it('still serves after all that', async () => {
		expect((await getHealth(relay)).status).toBe('ok');
	});
});

/** Sends raw bytes and resolves with the first line of the answer ('' if none). */
function rawRequest(port: number, text: string): Promise<string> {
	return new Promise((resolve) => {
		const socket = createConnection(port, '127.0.0.1', () => socket.write(text));
		let answer = '';
		const done = () => {
			clearTimeout(timer);
			socket.destroy();
			resolve(answer.split('\r\n')[0] ?? '');
		};
		const timer = setTimeout(done, 1000);
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			answer += chunk;
			if (answer.includes('\r\n')) done();
		});
		socket.on('error', done);
		socket.on('close', done);
	});
}

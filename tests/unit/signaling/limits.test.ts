import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
	type Peer,
	type RelayProcess,
	connect,
	eventually,
	getHealth,
	getMetrics,
	metricValue,
	startRelay,
	stopAll,
	within
} from './helpers';

const peers: Peer[] = [];
const relays: RelayProcess[] = [];

async function relayWith(env: Record<string, string>) {
	const relay = await startRelay(env);
	relays.push(relay);
	return relay;
}

async function peer(relay: RelayProcess) {
	const p = await connect(relay.url);
	peers.push(p);
	return p;
}

afterEach(async () => {
	for (const p of peers.splice(0)) p.close();
	await Promise.all(relays.splice(0).map((relay) => relay.stop()));
	await stopAll();
});

const closes = async (relay: RelayProcess, reason: string) =>
	metricValue(await getMetrics(relay), `relay_closes_total{reason="${reason}"}`);

describe('size limit', () => {
	it('closes a connection that sends a frame over the limit with 1009, and only that one', async () => {
		const relay = await relayWith({ MAX_MESSAGE_BYTES: '1024', MAX_BUFFERED_BYTES: '4096' });
		const [big, other] = await Promise.all([peer(relay), peer(relay)]);
		// Exactly at the limit is fine.
		big.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(1024 - 24) }));
		await big.next((m) => m.type === 'pong');
		expect(big.ws.readyState).toBe(big.ws.OPEN);

		big.send({ type: 'publish', topic: 'room', data: 'x'.repeat(2000) });
		expect((await big.waitClosed()).code).toBe(1009);
		await other.ping();
		expect(await closes(relay, 'too_big')).toBe(1);
	});

	it('delivers messages of every size up to the limit intact', async () => {
		const relay = await relayWith({ MAX_MESSAGE_BYTES: '262144', MAX_BUFFERED_BYTES: '1048576' });
		const [a, b] = await Promise.all([peer(relay), peer(relay)]);
		for (const p of [a, b]) p.send({ type: 'subscribe', topics: ['sizes'] });
		await Promise.all([a.ping(), b.ping()]);
		// Two-byte characters, around each boundary of the WebSocket length encoding (125 and
		// 65,535 bytes) and up to near the limit.
		const sizes = [1, 20, 40, 32_700, 32_740, 32_760, 32_800, 120_000];
		for (const size of sizes) a.send({ type: 'publish', topic: 'sizes', data: 'ü'.repeat(size) });
		for (const p of [a, b]) {
			await p.next((m) => m.topic === 'sizes' && (m.data as string).length === 120_000);
			const lengths = p.received((m) => m.topic === 'sizes').map((m) => (m.data as string).length);
			expect(lengths).toEqual(sizes);
		}
	});
});

describe('rate limit', () => {
	it('closes a connection that sends faster than its token bucket allows with 1008', async () => {
		const relay = await relayWith({ RATE_LIMIT: '5', RATE_LIMIT_BURST: '10' });
		const [flood, calm] = await Promise.all([peer(relay), peer(relay)]);
		for (let i = 0; i < 50; i++) flood.send({ type: 'ping' });
		const { code, reason } = await flood.waitClosed();
		expect(code).toBe(1008);
		expect(reason).toMatch(/rate/);
		// The burst was served before the limit applied.
		expect(flood.received((m) => m.type === 'pong').length).toBe(10);
		await calm.ping();
		expect(await closes(relay, 'rate_limit')).toBe(1);
	});

	it('refills the bucket over time', async () => {
		const relay = await relayWith({ RATE_LIMIT: '50', RATE_LIMIT_BURST: '5' });
		const steady = await peer(relay);
		// 20 frames at ~25 per second stay under 50 per second.
		for (let i = 0; i < 20; i++) {
			await steady.ping();
			await new Promise((resolve) => setTimeout(resolve, 40));
		}
		expect(steady.ws.readyState).toBe(steady.ws.OPEN);
	});
});

describe('topic limits', () => {
	it('allows up to the cap of topics and closes with 1008 beyond it', async () => {
		const relay = await relayWith({ MAX_TOPICS_PER_CONNECTION: '3' });
		const p = await peer(relay);
		p.send({ type: 'subscribe', topics: ['t1', 't2'] });
		p.send({ type: 'subscribe', topics: ['t2', 't3'] });
		p.send({ type: 'publish', topic: 't3', data: 1 });
		expect(await p.next((m) => m.topic === 't3')).toMatchObject({ clients: 1 });
		p.send({ type: 'subscribe', topics: ['t4'] });
		const { code, reason } = await p.waitClosed();
		expect(code).toBe(1008);
		expect(reason).toMatch(/topics/);
		expect(await closes(relay, 'topic_limit')).toBe(1);
		// Its topics went with it.
		expect(
			await eventually(async () => (await getHealth(relay)).topics === 0 || undefined, 'topics')
		).toBe(true);
	});

	it('closes with 1008 a subscription to a topic name over the length limit', async () => {
		const relay = await relayWith({ MAX_TOPIC_LENGTH: '16' });
		const [ok, long] = await Promise.all([peer(relay), peer(relay)]);
		ok.send({ type: 'subscribe', topics: ['x'.repeat(16)] });
		await ok.ping();
		long.send({ type: 'subscribe', topics: ['fine', 'x'.repeat(17)] });
		const { code, reason } = await long.waitClosed();
		expect(code).toBe(1008);
		expect(reason).toMatch(/too long/);
		expect(ok.ws.readyState).toBe(ok.ws.OPEN);
		expect((await getHealth(relay)).topics).toBe(1);
	});
});

describe('slow consumers', () => {
	it('drops a client that does not read instead of buffering for it', async () => {
		const relay = await relayWith({
			MAX_MESSAGE_BYTES: '65536',
			MAX_BUFFERED_BYTES: '262144',
			RATE_LIMIT: '100000',
			RATE_LIMIT_BURST: '100000'
		});
		const [publisher, slow] = await Promise.all([peer(relay), peer(relay)]);
		for (const p of [publisher, slow]) p.send({ type: 'subscribe', topics: ['firehose'] });
		await Promise.all([publisher.ping(), slow.ping()]);
		// The slow client stops reading: the kernel buffers fill, then the relay's.
		slow.ws.pause();

		const data = 'x'.repeat(60_000);
		let sent = 0;
		const dropped = async () => ((await closes(relay, 'slow_consumer')) ?? 0) > 0 || undefined;
		while (!(await dropped())) {
			if (sent >= 2000) throw new Error('the slow client was never dropped');
			for (let i = 0; i < 50; i++) publisher.send({ type: 'publish', topic: 'firehose', data });
			sent += 50;
			await publisher.ping(10_000);
		}
		const health = await getHealth(relay);
		expect(health.connections).toBe(1);
		// The relay never held more than about the bound for it.
		expect(health.memory.rss).toBeLessThan(300 * 1024 * 1024);
		// The reading client got everything it was sent.
		await eventually(
			() => publisher.received((m) => m.topic === 'firehose').length === sent || undefined,
			'all messages delivered to the reading client'
		);
		slow.ws.resume();
		await slow.waitClosed();
	});
});

describe('dead peers', () => {
	it('evicts a connection that stops answering pings, and keeps the ones that answer', async () => {
		const relay = await relayWith({ PING_INTERVAL_MS: '100' });
		const alive = await peer(relay);
		const dead = await connect(relay.url, { autoPong: false });
		peers.push(dead);
		dead.send({ type: 'subscribe', topics: ['room'] });
		await dead.ping();
		expect((await getHealth(relay)).topics).toBe(1);

		await within(dead.closed, 3000, 'the dead peer to be evicted');
		expect(await closes(relay, 'ping_timeout')).toBe(1);
		expect(alive.ws.readyState).toBe(alive.ws.OPEN);
		const health = await getHealth(relay);
		expect(health.connections).toBe(1);
		expect(health.topics).toBe(0);
	});

	it('evicts a raw TCP connection that completed the handshake and then went silent', async () => {
		const relay = await relayWith({ PING_INTERVAL_MS: '100' });
		const socket = createConnection(relay.port, '127.0.0.1');
		socket.on('error', () => {});
		// A handshake by hand; afterwards the socket is never read, so no pong ever comes.
		socket.write(
			'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
				'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
		);
		try {
			await eventually(async () => (await getHealth(relay)).connections === 1 || undefined, 'open');
			await eventually(
				async () => (await getHealth(relay)).connections === 0 || undefined,
				'the silent connection to be evicted',
				3000
			);
			expect(await closes(relay, 'ping_timeout')).toBe(1);
		} finally {
			socket.destroy();
		}
	});
});

describe('topic registry', () => {
	it('deletes a topic when its last subscriber unsubscribes or leaves', async () => {
		const relay = await relayWith({});
		const [a, b] = await Promise.all([peer(relay), peer(relay)]);
		const topics = async () => (await getHealth(relay)).topics;
		a.send({ type: 'subscribe', topics: ['t1', 't2'] });
		b.send({ type: 'subscribe', topics: ['t1'] });
		await Promise.all([a.ping(), b.ping()]);
		expect(await topics()).toBe(2);

		a.send({ type: 'unsubscribe', topics: ['t1', 't2', 'never-subscribed'] });
		await a.ping();
		expect(await topics()).toBe(1);
		b.send({ type: 'unsubscribe', topics: ['t1'] });
		await b.ping();
		expect(await topics()).toBe(0);

		b.send({ type: 'subscribe', topics: ['t3', 't4'] });
		await b.ping();
		expect(await topics()).toBe(2);
		b.close();
		await b.waitClosed();
		expect(await eventually(async () => ((await topics()) === 0 ? 0 : undefined), 'cleanup')).toBe(
			0
		);
		expect(a.ws.readyState).toBe(a.ws.OPEN);
	});
});

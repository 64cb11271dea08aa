import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
	type Message,
	type Peer,
	type RedisProcess,
	type RelayProcess,
	connect,
	eventually,
	freePort,
	getHealth,
	getMetrics,
	metricValue,
	sleep,
	startRedis,
	startRelay,
	stopAll
} from './helpers';

/**
 * Two relay instances sharing topics through a real redis-server, which is then killed and
 * restarted on the same port.
 */

let redis: RedisProcess;
let relayA: RelayProcess;
let relayB: RelayProcess;
const peers: Peer[] = [];

async function peer(relay: RelayProcess, topics: string[]) {
	const p = await connect(relay.url);
	peers.push(p);
	p.send({ type: 'subscribe', topics });
	await p.ping();
	return p;
}

const redisStatus = async (relay: RelayProcess) => (await getHealth(relay)).redis;

async function bothRedis(status: string, ms = 10_000) {
	for (const relay of [relayA, relayB]) {
		await eventually(
			async () => ((await redisStatus(relay)) === status ? true : undefined),
			`redis status "${status}" on port ${relay.port}`,
			ms
		);
	}
}

const carrying = (marker: string) => (m: Message) =>
	m.type === 'publish' && (m.data as { marker?: string } | undefined)?.marker === marker;

/**
 * Publishes from `from` until `to` receives one: a new Redis subscription takes a moment to be
 * in place, and there is no signal for it other than a message getting through.
 */
async function linked(from: Peer, to: Peer, topic: string, ms = 10_000) {
	const deadline = Date.now() + ms;
	for (let attempt = 0; ; attempt++) {
		const marker = `probe-${topic}-${attempt}-${Math.random()}`;
		from.send({ type: 'publish', topic, data: { marker } });
		try {
			return await to.next(carrying(marker), 200);
		} catch {
			if (Date.now() > deadline) throw new Error(`no message from ${topic} got across`);
		}
	}
}

/** Why the setup failed (e.g. no redis-server): every test then fails with it, none is skipped. */
let setupError: Error | undefined;

beforeAll(async () => {
	try {
		redis = await startRedis();
		[relayA, relayB] = await Promise.all([
			startRelay({ REDIS_URL: redis.url }),
			startRelay({ REDIS_URL: redis.url })
		]);
		await bothRedis('ready');
	} catch (err) {
		setupError = err instanceof Error ? err : new Error(String(err));
	}
});

beforeEach(() => {
	if (setupError) throw setupError;
});

afterAll(async () => {
	for (const p of peers.splice(0)) p.close();
	await stopAll();
});

describe('several instances through Redis', () => {
	it('delivers a publish on instance A to a subscriber on instance B, once each', async () => {
		const a = await peer(relayA, ['room']);
		const b = await peer(relayB, ['room']);
		await linked(a, b, 'room');

		a.send({ type: 'publish', topic: 'room', data: { marker: 'once' } });
		const atB = await b.next(carrying('once'));
		// `clients` counts the subscribers of the instance that delivers.
		expect(atB).toEqual({ type: 'publish', topic: 'room', data: { marker: 'once' }, clients: 1 });
		expect(await a.next(carrying('once'))).toMatchObject({ clients: 1 });

		b.send({ type: 'publish', topic: 'room', data: { marker: 'back' } });
		expect(await a.next(carrying('back'))).toMatchObject({ topic: 'room' });

		// Nobody gets a message twice: A ignores its own message coming back from Redis.
		await sleep(300);
		await Promise.all([a.ping(), b.ping()]);
		for (const p of [a, b]) {
			expect(p.received(carrying('once'))).toHaveLength(1);
			expect(p.received(carrying('back'))).toHaveLength(1);
		}
		const metrics = await getMetrics(relayB);
		expect(metricValue(metrics, 'relay_redis_status{status="ready"}')).toBe(1);
		expect(metricValue(metrics, 'relay_redis_received_total')).toBeGreaterThanOrEqual(2);
		expect(metricValue(metrics, 'relay_redis_published_total')).toBeGreaterThanOrEqual(1);
	});

	it('keeps serving local clients while Redis is down, then recovers when it returns', async () => {
		const a1 = await peer(relayA, ['shared']);
		const a2 = await peer(relayA, ['shared']);
		const b1 = await peer(relayB, ['shared']);
		const b2 = await peer(relayB, ['shared']);
		await linked(a1, b1, 'shared');

		await redis.stop();
		await bothRedis('down');
		for (const relay of [relayA, relayB]) {
			const health = await getHealth(relay);
			expect(health.status).toBe('degraded');
			expect(health.connections).toBeGreaterThanOrEqual(2);
		}

		// Each instance still relays between its own clients.
		a1.send({ type: 'publish', topic: 'shared', data: { marker: 'local-a' } });
		b1.send({ type: 'publish', topic: 'shared', data: { marker: 'local-b' } });
		expect(await a2.next(carrying('local-a'))).toMatchObject({ clients: 2 });
		expect(await b2.next(carrying('local-b'))).toMatchObject({ clients: 2 });
		// A topic first subscribed while Redis is away is joined across instances once it is back.
		const late1 = await peer(relayA, ['late']);
		const late2 = await peer(relayB, ['late']);
		await Promise.all([a2.ping(), b2.ping()]);
		expect(b2.received(carrying('local-a'))).toEqual([]);
		expect(a2.received(carrying('local-b'))).toEqual([]);
		const dropped = await getMetrics(relayA);
		expect(
			metricValue(dropped, 'relay_dropped_messages_total{reason="redis_unavailable"}')
		).toBeGreaterThanOrEqual(1);

		redis = await startRedis(redis.port);
		await bothRedis('ready', 15_000);
		await linked(a1, b1, 'shared');
		await linked(b2, a2, 'shared');
		await linked(late1, late2, 'late');
		await linked(late2, late1, 'late');
		// Nothing published during the outage was queued and replayed.
		expect(b1.received(carrying('local-a'))).toEqual([]);
		expect(a1.received(carrying('local-b'))).toEqual([]);
		expect((await getHealth(relayA)).status).toBe('ok');
	});

	it("bounds the fan-out of other instances' publishes by the topic's budget", async () => {
		// 2 kB/s of fan-out, 4 kB held: a probe passes, a burst of twenty 600-byte publishes does not.
		const tight = await startRelay({ REDIS_URL: redis.url, TOPIC_BUDGET: '2000' });
		await eventually(
			async () => ((await redisStatus(tight)) === 'ready' ? true : undefined),
			'redis ready on the tight instance',
			10_000
		);
		const from = await peer(relayA, ['budgeted']);
		const to = await peer(tight, ['budgeted']);
		await linked(from, to, 'budgeted');
		for (let i = 0; i < 20; i++) {
			from.send({
				type: 'publish',
				topic: 'budgeted',
				data: { marker: `burst-${i}`, pad: 'x'.repeat(500) }
			});
		}
		// Instance A, with the default budget, delivers them all.
		await from.next(carrying('burst-19'));
		await sleep(300);
		await to.ping();
		const burst = to.received(
			(m) => (m.data as { marker?: string } | undefined)?.marker?.startsWith('burst-') === true
		);
		expect(burst.length).toBeGreaterThan(0);
		expect(burst.length).toBeLessThan(20);
		expect(
			metricValue(await getMetrics(tight), 'relay_dropped_messages_total{reason="topic_budget"}')
		).toBeGreaterThanOrEqual(20 - burst.length);
		await tight.stop();
	});

	it('stays up when Redis is unreachable from the start', async () => {
		// Nothing listens on this port: the relay serves locally and keeps retrying.
		const lonely = await startRelay({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
		const [x, y] = [await peer(lonely, ['solo']), await peer(lonely, ['solo'])];
		x.send({ type: 'publish', topic: 'solo', data: { marker: 'solo' } });
		expect(await y.next(carrying('solo'))).toMatchObject({ clients: 2 });
		expect(['connecting', 'down']).toContain(await redisStatus(lonely));
		expect(lonely.child.exitCode).toBeNull();
		await lonely.stop();
	});
});

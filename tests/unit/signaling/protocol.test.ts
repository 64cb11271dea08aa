import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	type Peer,
	type RelayProcess,
	connect,
	getHealth,
	getMetrics,
	metricValue,
	sleep,
	startRelay,
	stopAll
} from './helpers';

let relay: RelayProcess;
const peers: Peer[] = [];
/** Sent in every payload of this file; it must never appear in the relay's logs. */
const secret = `secret-${randomBytes(8).toString('hex')}`;

async function peer() {
	const p = await connect(relay.url);
	peers.push(p);
	return p;
}

beforeAll(async () => {
	// The most verbose level, to show that even then no payload is logged.
	relay = await startRelay({ LOG_LEVEL: 'trace' });
});

afterEach(() => {
	for (const p of peers.splice(0)) p.close();
});

afterAll(async () => {
	await relay.stop();
	await stopAll();
});

const isPublish = (topic: string) => (m: Record<string, unknown>) =>
	m.type === 'publish' && m.topic === topic;

describe('y-webrtc signaling protocol', () => {
	it('fans a publish out to every subscriber, the sender included, with the subscriber count', async () => {
		const [a, b, c, outsider] = await Promise.all([peer(), peer(), peer(), peer()]);
		for (const p of [a, b, c]) p.send({ type: 'subscribe', topics: ['room-1'] });
		outsider.send({ type: 'subscribe', topics: ['room-2'] });
		await Promise.all([a, b, c, outsider].map((p) => p.ping()));

		a.send({ type: 'publish', topic: 'room-1', data: { from: 'a', secret }, extra: [1, 2] });
		const expected = {
			type: 'publish',
			topic: 'room-1',
			data: { from: 'a', secret },
			extra: [1, 2],
			clients: 3
		};
		for (const p of [a, b, c]) {
			expect(await p.next(isPublish('room-1'))).toEqual(expected);
		}
		await outsider.ping();
		expect(outsider.received((m) => m.type === 'publish')).toEqual([]);
	});

	it('lets a client publish to a topic it has not subscribed to', async () => {
		const [sender, listener] = await Promise.all([peer(), peer()]);
		listener.send({ type: 'subscribe', topics: ['room-open'] });
		await listener.ping();
		sender.send({ type: 'publish', topic: 'room-open', data: secret });
		expect(await listener.next(isPublish('room-open'))).toMatchObject({ data: secret, clients: 1 });
		await sender.ping();
		expect(sender.received(isPublish('room-open'))).toEqual([]);
	});

	it('replaces a clients count sent by the publisher', async () => {
		const a = await peer();
		a.send({ type: 'subscribe', topics: ['room-count'] });
		a.send({ type: 'publish', topic: 'room-count', clients: 999, data: secret });
		const message = await a.next(isPublish('room-count'));
		expect(message.clients).toBe(1);
		expect(a.raw.find((text) => text.includes('room-count'))?.match(/"clients"/g)).toHaveLength(1);
	});

	it('stops delivering after unsubscribe and counts the remaining subscribers', async () => {
		const [a, b] = await Promise.all([peer(), peer()]);
		a.send({ type: 'subscribe', topics: ['room-u', 'room-v'] });
		b.send({ type: 'subscribe', topics: ['room-u'] });
		await Promise.all([a.ping(), b.ping()]);
		b.send({ type: 'unsubscribe', topics: ['room-u'] });
		await b.ping();
		a.send({ type: 'publish', topic: 'room-u', data: 1 });
		expect(await a.next(isPublish('room-u'))).toMatchObject({ clients: 1 });
		await b.ping();
		expect(b.received(isPublish('room-u'))).toEqual([]);
		// a's other subscription is untouched.
		b.send({ type: 'publish', topic: 'room-v', data: 2 });
		expect(await a.next(isPublish('room-v'))).toMatchObject({ data: 2, clients: 1 });
	});

	it('answers ping with pong', async () => {
		const a = await peer();
		a.send({ type: 'ping' });
		expect(await a.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
	});

	it('works with the frames an unmodified y-webrtc client sends', async () => {
		// What y-webrtc's SignalingConn does on connect, frame for frame (lib0/websocket sends
		// JSON.stringify(message) as text): subscribe to its rooms, then announce itself in each.
		const room = 'ours-room-key-derived-name';
		const yA = await peer();
		yA.ws.send(JSON.stringify({ type: 'subscribe', topics: [room] }));
		yA.ws.send(
			JSON.stringify({ type: 'publish', topic: room, data: { type: 'announce', from: 'peer-a' } })
		);
		// Its own announce comes back: it is a subscriber too.
		expect(await yA.next(isPublish(room))).toMatchObject({ clients: 1 });

		const yB = await peer();
		yB.ws.send(JSON.stringify({ type: 'subscribe', topics: [room] }));
		yB.ws.send(
			JSON.stringify({ type: 'publish', topic: room, data: { type: 'announce', from: 'peer-b' } })
		);
		const announce = await yA.next(
			(m) => isPublish(room)(m) && (m.data as { from?: string }).from === 'peer-b'
		);
		expect(announce).toEqual({
			type: 'publish',
			topic: room,
			data: { type: 'announce', from: 'peer-b' },
			clients: 2
		});

		// peer-a answers the announce with a WebRTC offer addressed to peer-b; with a room
		// password y-webrtc sends `data` as an encrypted base64 string instead.
		const signal = { type: 'offer', sdp: `v=0 ${secret}` };
		yA.ws.send(
			JSON.stringify({
				type: 'publish',
				topic: room,
				data: { to: 'peer-b', from: 'peer-a', type: 'signal', token: 1.5, signal }
			})
		);
		const offer = await yB.next(
			(m) => isPublish(room)(m) && (m.data as { type?: string }).type === 'signal'
		);
		expect(offer.data).toEqual({
			to: 'peer-b',
			from: 'peer-a',
			type: 'signal',
			token: 1.5,
			signal
		});

		const encrypted = randomBytes(48).toString('base64');
		yB.ws.send(JSON.stringify({ type: 'publish', topic: room, data: encrypted }));
		expect(await yA.next((m) => m.data === encrypted)).toMatchObject({ clients: 2 });

		// lib0/websocket's keep-alive.
		yB.ws.send(JSON.stringify({ type: 'ping' }));
		expect(await yB.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
	});
});

describe('malformed input', () => {
	it('ignores every malformed frame, counts it, and keeps serving that client and others', async () => {
		const [bad, good] = await Promise.all([peer(), peer()]);
		bad.send({ type: 'subscribe', topics: ['room-m'] });
		good.send({ type: 'subscribe', topics: ['room-m'] });
		await Promise.all([bad.ping(), good.ping()]);
		const invalidBefore = invalidTotal(await getMetrics(relay));

		const frames: (string | Buffer)[] = [
			'not json',
			'{"type":"publish","topic":"room-m"',
			'null',
			'42',
			'"publish"',
			'[]',
			'[{"type":"ping"}]',
			'{}',
			'{"type":5}',
			'{"type":"bogus"}',
			'{"type":null,"topic":"room-m"}',
			'{"type":"subscribe","topics":"room-m"}',
			'{"type":"subscribe","topics":{"0":"room-m"}}',
			'{"type":"unsubscribe","topics":7}',
			'{"type":"publish"}',
			'{"type":"publish","topic":7}',
			'{"type":"publish","topic":["room-m"]}',
			'{"type":"publish","topic":""}',
			`{"type":"publish","topic":"${'x'.repeat(60_000)}"}`,
			'['.repeat(20_000),
			'{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
			''
		];
		for (const frame of frames) bad.ws.send(frame);
		// Binary garbage, once as a binary frame and once as a text frame of invalid UTF-8.
		bad.ws.send(randomBytes(512), { binary: true });
		bad.ws.send(Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x7b]), { binary: false });
		// Entries that are not names are skipped; the frame is otherwise fine.
		bad.send({ type: 'subscribe', topics: [1, null, {}, ['x'], ''] });

		await bad.ping();
		expect(bad.ws.readyState).toBe(bad.ws.OPEN);
		const invalidAfter = invalidTotal(await getMetrics(relay));
		expect(invalidAfter - invalidBefore).toBeGreaterThanOrEqual(frames.length);

		// Both clients are still fully served, and nothing malformed was relayed.
		bad.send({ type: 'publish', topic: 'room-m', data: 'still here' });
		for (const p of [bad, good]) {
			expect(await p.next(isPublish('room-m'))).toMatchObject({ data: 'still here', clients: 2 });
			expect(p.received(isPublish('room-m'))).toHaveLength(1);
		}
		expect((await getHealth(relay)).status).toBe('ok');
	});

	it('never writes message payloads to its logs', async () => {
		await sleep(100);
		expect(relay.logs().length).toBeGreaterThan(0);
		expect(relay.stdout()).not.toContain(secret);
		expect(relay.stdout()).not.toContain('still here');
	});
});

function invalidTotal(metrics: string) {
	let total = 0;
	for (const reason of ['not_json', 'not_object', 'unknown_type', 'bad_topics', 'bad_topic']) {
		total += metricValue(metrics, `relay_invalid_frames_total{reason="${reason}"}`) ?? 0;
	}
	return total;
}

import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../signaling/src/address.js';
import { Demand, FanoutBudget } from '../../../signaling/src/budget.js';
import { ConfigError, parseConfig, redactConfig } from '../../../signaling/src/config.js';
import { createLogger } from '../../../signaling/src/logger.js';
import { createRelay } from '../../../signaling/src/server.js';
import { delivery, parseFrame } from '../../../signaling/src/protocol.js';
import { TokenBucket } from '../../../signaling/src/rate-limit.js';
import { TopicRegistry } from '../../../signaling/src/topics.js';
import { textFrame } from '../../../signaling/src/wire.js';
import { connect } from './helpers';

describe('parseFrame', () => {
	it('reads the four frame types', () => {
		expect(parseFrame('{"type":"subscribe","topics":["a","b"]}')).toEqual({
			kind: 'subscribe',
			topics: ['a', 'b']
		});
		expect(parseFrame('{"type":"unsubscribe"}')).toEqual({ kind: 'unsubscribe', topics: [] });
		expect(parseFrame('{"type":"ping"}')).toEqual({ kind: 'ping' });
		expect(parseFrame(' {"type":"publish","topic":"t","data":{"x":"}"}} \n')).toEqual({
			kind: 'publish',
			topic: 't',
			body: ' {"type":"publish","topic":"t","data":{"x":"}"}'
		});
	});

	it('says why a frame is unusable instead of throwing', () => {
		const reasons = [
			'',
			'{',
			'null',
			'[]',
			'{"type":1}',
			'{"type":"subscribe","topics":"a"}',
			'{"type":"publish","topic":""}',
			'{"type":"publish","topic":{}}'
		].map((text) => {
			const frame = parseFrame(text);
			return frame.kind === 'invalid' ? frame.reason : frame.kind;
		});
		expect(reasons).toEqual([
			'not_json',
			'not_json',
			'not_object',
			'not_object',
			'unknown_type',
			'bad_topics',
			'bad_topic',
			'bad_topic'
		]);
	});

	it('builds the delivered frame from the body, with one clients member', () => {
		const frame = parseFrame('{"type":"publish","clients":"lie","topic":"t","data":[1]}');
		if (frame.kind !== 'publish') throw new Error(frame.kind);
		const delivered = delivery(frame.body, 7);
		expect(JSON.parse(delivered)).toEqual({ type: 'publish', topic: 't', data: [1], clients: 7 });
		expect(delivered.match(/clients/g)).toHaveLength(1);
	});
});

describe('textFrame', () => {
	it('encodes each of the three payload length forms', () => {
		for (const [length, header] of [
			[0, 2],
			[125, 2],
			[126, 4],
			[65_535, 4],
			[65_536, 10],
			[200_000, 10]
		] as const) {
			const frame = textFrame('é'.repeat(length / 2) + 'a'.repeat(length % 2));
			expect(frame.length).toBe(header + length);
			expect(frame[0]).toBe(0x81);
			const declared =
				header === 2 ? frame[1] : header === 4 ? frame.readUInt16BE(2) : frame.readUInt32BE(6);
			expect(declared).toBe(length);
		}
	});
});

describe('TokenBucket', () => {
	it('allows a burst, then the rate', () => {
		const bucket = new TokenBucket(10, 3, 0);
		expect([1, 2, 3, 4].map(() => bucket.take(0))).toEqual([true, true, true, false]);
		expect(bucket.take(50)).toBe(false);
		expect(bucket.take(100)).toBe(true);
		expect(bucket.take(100)).toBe(false);
		// Never more than the burst, however long it idles.
		const rested = [1, 2, 3, 4].map(() => bucket.take(60_000));
		expect(rested).toEqual([true, true, true, false]);
	});
});

describe('TopicRegistry', () => {
	it('creates a topic with its first subscriber and deletes it with its last', () => {
		const registry = new TopicRegistry<string>();
		expect(registry.add('t', 'a')).toBe(true);
		expect(registry.add('t', 'b')).toBe(false);
		expect(registry.remove('t', 'a')).toBe(false);
		expect(registry.remove('t', 'a')).toBe(false);
		expect(registry.remove('t', 'b')).toBe(true);
		expect(registry.size).toBe(0);
		expect(registry.subscribers('t')).toBeUndefined();
	});
});

describe('FanoutBudget', () => {
	const mb = 1_000_000;

	it('refuses the heavy publisher while still admitting a light one', () => {
		const budget = new FanoutBudget(10 * mb);
		const heavy = new Demand();
		const light = new Demand();
		let now = 0;
		let heavyAdmitted = 0;
		let lightAdmitted = 0;
		// Two seconds: the heavy publisher asks for 4 MB every 10 ms (400 MB/s), the light one for
		// 100 kB every 100 ms (1 MB/s).
		for (let tick = 0; tick < 200; tick++, now += 10) {
			const demand = heavy.add(4 * mb, now);
			if (budget.allows('t', demand, now)) {
				budget.take('t', 4 * mb, now);
				heavyAdmitted++;
			}
			if (tick % 10 === 0) {
				const small = light.add(100_000, now);
				if (budget.allows('t', small, now)) {
					budget.take('t', 100_000, now);
					lightAdmitted++;
				}
			}
		}
		expect(lightAdmitted).toBe(20);
		// The heavy one got no more than two seconds of budget, its bucket and one publish.
		expect(heavyAdmitted * 4 * mb).toBeLessThanOrEqual(20 * mb + 20 * mb + 4 * mb);
		expect(heavyAdmitted).toBeGreaterThan(0);
	});

	it('keeps budgets per key, forgets refilled ones, and does nothing at rate 0', () => {
		const budget = new FanoutBudget(mb);
		budget.take('a', 2 * mb, 0);
		expect(budget.allows('a', 1000, 0)).toBe(false);
		expect(budget.allows('b', 1000, 0)).toBe(true);
		expect(budget.allows('a', 1000, 1500)).toBe(true);
		budget.sweep(1500);
		expect(budget.size).toBe(1);
		budget.sweep(3000);
		expect(budget.size).toBe(0);

		const none = new FanoutBudget(0);
		none.take('a', 1e12, 0);
		expect(none.allows('a', 1e12, 0)).toBe(true);
		expect(none.size).toBe(0);
	});
});

describe('addressKey', () => {
	it('keeps IPv4 addresses and groups IPv6 ones by /64', () => {
		expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
		expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
		expect(addressKey('2001:db8:0:12:aaaa::1')).toBe('2001:db8:0:12::/64');
		expect(addressKey('2001:0DB8:0000:0012:ffff:1:2:3')).toBe('2001:db8:0:12::/64');
		expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(addressKey('::1')).toBe('0:0:0:0::/64');
		expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		expect(addressKey(undefined)).toBe('');
	});
});

describe('parseConfig', () => {
	it('has defaults for everything', () => {
		const parsed = parseConfig([], {});
		expect(parsed).toMatchObject({
			help: false,
			config: {
				port: 4444,
				host: '0.0.0.0',
				maxMessageBytes: 65536,
				allowedOrigins: [],
				accessToken: undefined,
				redisUrl: undefined,
				topicBudget: 32_000_000,
				addressBudget: 64_000_000,
				logLevel: 'info'
			}
		});
	});

	it('normalises origins and redacts secrets for logging', () => {
		const parsed = parseConfig(['--access-token', 'hunter2'], {
			ALLOWED_ORIGINS: 'https://Ours.Example:443 , http://localhost:5173',
			REDIS_URL: 'redis://user:pass@redis:6379'
		});
		if (parsed.help) throw new Error('help');
		expect(parsed.config.allowedOrigins).toEqual(['https://ours.example', 'http://localhost:5173']);
		const logged = JSON.stringify(redactConfig(parsed.config));
		expect(logged).not.toContain('hunter2');
		expect(logged).not.toContain('pass@');
	});

	it('throws ConfigError naming the setting', () => {
		expect(() => parseConfig([], { MAX_TOPIC_LENGTH: '0' })).toThrow(ConfigError);
		expect(() => parseConfig(['--host='], {})).toThrow(/--host/);
		expect(parseConfig(['-h'], { PORT: 'nonsense' })).toEqual({ help: true });
	});
});

describe('createRelay', () => {
	it('runs in-process as well', async () => {
		const parsed = parseConfig(['--port', '0', '--host', '127.0.0.1'], {});
		if (parsed.help) throw new Error('help');
		const relay = createRelay({ ...parsed.config, logger: createLogger('silent') });
		const { port } = await relay.listen();
		const peer = await connect(`ws://127.0.0.1:${port}`);
		peer.send({ type: 'subscribe', topics: ['in-process'] });
		await peer.ping();
		expect(relay.health()).toMatchObject({ status: 'ok', connections: 1, topics: 1 });
		await relay.close();
		expect((await peer.waitClosed()).code).toBe(1001);
		expect(relay.health()).toMatchObject({ status: 'stopping', connections: 0, topics: 0 });
	});
});

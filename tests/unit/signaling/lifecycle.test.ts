import { afterEach, describe, expect, it } from 'vitest';
import {
	type Peer,
	connect,
	exited,
	refusedStatus,
	runRelayCli,
	startRelay,
	stopAll,
	within
} from './helpers';

const peers: Peer[] = [];

afterEach(async () => {
	for (const p of peers.splice(0)) p.close();
	await stopAll();
});

describe('shutdown', () => {
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		it(`on ${signal} closes every client with 1001 and exits 0 quickly`, async () => {
			const relay = await startRelay();
			const clients = await Promise.all([1, 2, 3].map(() => connect(relay.url)));
			peers.push(...clients);
			clients[0]?.send({ type: 'subscribe', topics: ['room'] });
			await clients[0]?.ping();

			const started = Date.now();
			relay.child.kill(signal);
			const closes = await Promise.all(clients.map((p) => p.waitClosed(3000)));
			for (const close of closes) expect(close.code).toBe(1001);
			const exit = await within(exited(relay.child), 4000, 'the relay to exit');
			expect(exit).toEqual({ code: 0, signal: null });
			expect(Date.now() - started).toBeLessThan(4000);
			expect(relay.logs().map((line) => line.msg)).toContain('stopped');
		});
	}

	it('refuses new connections while shutting down, even with a client that never closes', async () => {
		const relay = await startRelay();
		// This client will not answer the close frame, so the relay has to cut it after its grace.
		const stubborn = await connect(relay.url);
		peers.push(stubborn);
		stubborn.ws.pause();
		relay.child.kill('SIGTERM');
		await relay.logged('shutting down');
		// Either refused (503) or no longer listening at all (0): never accepted.
		expect([0, 503]).toContain(await refusedStatus(relay.url));
		const exit = await within(exited(relay.child), 6000, 'the relay to exit');
		expect(exit.code).toBe(0);
	});
});

describe('command line', () => {
	it('--help lists every setting and exits 0', () => {
		const { code, stdout } = runRelayCli(['--help']);
		expect(code).toBe(0);
		for (const name of [
			'PORT',
			'HOST',
			'MAX_MESSAGE_BYTES',
			'RATE_LIMIT',
			'RATE_LIMIT_BURST',
			'MAX_TOPICS_PER_CONNECTION',
			'MAX_TOPIC_LENGTH',
			'MAX_BUFFERED_BYTES',
			'PING_INTERVAL_MS',
			'TOPIC_BUDGET',
			'ADDRESS_BUDGET',
			'ALLOWED_ORIGINS',
			'ACCESS_TOKEN',
			'REDIS_URL',
			'LOG_LEVEL',
			'--port',
			'--host'
		]) {
			expect(stdout).toContain(name);
		}
	});

	it.each([
		[['--port', 'eighty'], {}, /--port/],
		[[], { PORT: '70000' }, /PORT/],
		[[], { MAX_MESSAGE_BYTES: '-5' }, /MAX_MESSAGE_BYTES/],
		[[], { RATE_LIMIT: '0' }, /RATE_LIMIT/],
		[[], { RATE_LIMIT_BURST: '1.5' }, /RATE_LIMIT_BURST/],
		[[], { PING_INTERVAL_MS: 'often' }, /PING_INTERVAL_MS/],
		[[], { TOPIC_BUDGET: '1e6' }, /TOPIC_BUDGET/],
		[['--address-budget', '-1'], {}, /--address-budget/],
		[[], { ALLOWED_ORIGINS: 'ours.example' }, /ALLOWED_ORIGINS/],
		[[], { ALLOWED_ORIGINS: 'https://ours.example/app' }, /ALLOWED_ORIGINS/],
		[[], { REDIS_URL: 'http://localhost:6379' }, /REDIS_URL/],
		[[], { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
		[[], { MAX_MESSAGE_BYTES: '100000', MAX_BUFFERED_BYTES: '65536' }, /MAX_BUFFERED_BYTES/],
		[['--unknown'], {}, /unknown/],
		[['--port'], {}, /needs a value/]
	])('rejects %j %j with one line on stderr and exit code 2', (args, env, pattern) => {
		const { code, stdout, stderr } = runRelayCli(args, env);
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr.trim().split('\n')).toHaveLength(1);
		expect(stderr).toMatch(pattern);
	});

	it('takes flags over environment variables and logs its configuration once', async () => {
		// An empty variable counts as unset, as service managers often write them.
		const relay = await startRelay({ MAX_TOPIC_LENGTH: '5', REDIS_URL: '' });
		const starting = relay.logs().find((line) => line.msg === 'starting');
		expect(starting?.config).toMatchObject({ maxTopicLength: 5, host: '127.0.0.1' });
		expect(starting?.config).not.toHaveProperty('redisUrl');
		expect(relay.logs().filter((line) => line.msg === 'starting')).toHaveLength(1);
		await relay.stop();

		const flagged = await startRelay(
			{ MAX_TOPIC_LENGTH: '5' },
			{ args: ['--max-topic-length=9', '--log-level', 'debug'] }
		);
		const config = flagged.logs().find((line) => line.msg === 'starting')?.config;
		expect(config).toMatchObject({ maxTopicLength: 9, logLevel: 'debug' });
		await flagged.stop();
	});
});

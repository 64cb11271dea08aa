import { afterAll, describe, expect, it } from 'vitest';
import {
	type Health,
	type Peer,
	type RelayProcess,
	connect,
	eventually,
	getHealth,
	startRelay,
	stopAll
} from './helpers';

const total = 10_000;
const batch = 500;
const peersPerRoom = 10;
const mib = 1024 * 1024;

afterAll(stopAll);

/** Opens a batch of clients that subscribe and publish like y-webrtc peers, then closes them. */
async function churn(relay: RelayProcess, round: number, count: number) {
	const peers: Peer[] = await Promise.all(
		Array.from({ length: count }, () => connect(relay.url, { perMessageDeflate: false }))
	);
	peers.forEach((p, i) => {
		const room = `round-${round}-room-${Math.floor(i / peersPerRoom)}`;
		p.send({ type: 'subscribe', topics: [room, `${room}-awareness`] });
		p.send({ type: 'publish', topic: room, data: { type: 'announce', from: `${round}-${i}` } });
	});
	await Promise.all(peers.map((p) => p.ping(10_000)));
	// Half leave politely, half just vanish.
	peers.forEach((p, i) => (i % 2 === 0 ? p.ws.close(1000) : p.ws.terminate()));
	await Promise.all(peers.map((p) => p.waitClosed(10_000)));
}

/** Memory once every client is gone and a full collection ran. */
async function settled(relay: RelayProcess): Promise<Health> {
	await eventually(
		async () => {
			const health = await getHealth(relay);
			return health.connections === 0 && health.topics === 0 ? health : undefined;
		},
		'every connection and topic to be released',
		10_000
	);
	// Two collections: the first may only queue finalizers that free more.
	await getHealth(relay, '?gc=1');
	return getHealth(relay, '?gc=1');
}

describe('memory', () => {
	it(
		`returns to its baseline after ${total} connections come and go`,
		{ timeout: 60_000 },
		async () => {
			const relay = await startRelay({}, { nodeArgs: ['--expose-gc'] });
			// Warm up first with the same load, so that the baseline includes what is allocated once
			// and kept (compiled code, buffer pools, heap pages sized for the load), not only what a
			// fresh process has. What must not happen is growth with the number of connections.
			for (let round = -4; round < 0; round++) await churn(relay, round, batch);
			const baseline = await settled(relay);

			for (let round = 0; round < total / batch; round++) await churn(relay, round, batch);
			const after = await settled(relay);

			const heapGrowth = (after.memory.heapUsed - baseline.memory.heapUsed) / mib;
			const rssGrowth = (after.memory.rss - baseline.memory.rss) / mib;
			const summary =
				`heap ${(baseline.memory.heapUsed / mib).toFixed(1)} -> ` +
				`${(after.memory.heapUsed / mib).toFixed(1)} MiB, rss ${(baseline.memory.rss / mib).toFixed(1)}` +
				` -> ${(after.memory.rss / mib).toFixed(1)} MiB`;
			// Live objects must be back to where they were; the resident size may keep some pages the
			// allocator has not returned yet, hence the wider margin.
			expect(heapGrowth, summary).toBeLessThan(2);
			expect(rssGrowth, summary).toBeLessThan(40);
			await relay.stop();
		}
	);
});

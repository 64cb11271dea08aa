import { afterEach, describe, expect, it } from 'vitest';
import { formatFigures, swarm } from '../../../bench/relay/swarm.js';
import { type RelayProcess, getMetrics, metricValue, startRelay, stopAll } from './helpers';

const relays: RelayProcess[] = [];

afterEach(async () => {
	await Promise.all(relays.splice(0).map((relay) => relay.stop()));
	await stopAll();
});

const dropped = async (relay: RelayProcess, reason: string) =>
	metricValue(await getMetrics(relay), `relay_dropped_messages_total{reason="${reason}"}`) ?? 0;

// A thousand subscribers on one topic, twenty publishers each under the per-connection rate limit
// sending 4 KB frames, a few honest peers publishing small frames (see bench/relay/swarm.js).
// Without fan-out budgets the flood asks for gigabytes per second: honest publishes arrive
// seconds late or never, and a new client waits seconds for its subscribe to be served.
describe('a swarm on one topic', () => {
	it('keeps honest delivery fast and serves a new client at once, with the default limits', async () => {
		const relay = await startRelay();
		relays.push(relay);
		const figures = await swarm(relay.url);
		const report = formatFigures(figures);
		// The scenario is within the per-connection limits: nobody was closed for them.
		expect(figures.floodersClosed, report).toBe(0);
		expect(figures.subscribersLost, report).toBe(0);
		expect(figures.missing, report).toBe(0);
		expect(figures.p99, report).toBeLessThan(250);
		expect(figures.serveMs, report).toBeLessThan(1000);
		expect(figures.firstHonestMs, report).toBeLessThan(1000);
		// It was the flood that was dropped.
		expect(await dropped(relay, 'topic_budget')).toBeGreaterThan(0);
	}, 60_000);

	it('bounds the flood of one address over several topics, each within its own budget', async () => {
		const relay = await startRelay();
		relays.push(relay);
		// Four topics of 250 subscribers: each topic's budget would let through twice what the
		// address's does.
		const figures = await swarm(relay.url, { topics: 4, warmupMs: 1000, measureMs: 2000 });
		const report = formatFigures(figures);
		expect(figures.floodersClosed, report).toBe(0);
		expect(figures.subscribersLost, report).toBe(0);
		expect(figures.missing, report).toBe(0);
		expect(figures.p99, report).toBeLessThan(250);
		expect(figures.serveMs, report).toBeLessThan(1000);
		expect(await dropped(relay, 'address_budget')).toBeGreaterThan(0);
	}, 60_000);
});

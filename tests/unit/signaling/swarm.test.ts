import { afterEach, describe, expect, it } from 'vitest';
import {
	type SwarmFigures,
	type SwarmSettings,
	formatFigures,
	swarm
} from '../../../bench/relay/swarm.js';
import { type RelayProcess, getMetrics, metricValue, startRelay, stopAll } from './helpers';

const relays: RelayProcess[] = [];

afterEach(async () => {
	await Promise.all(relays.splice(0).map((relay) => relay.stop()));
	await stopAll();
});

const dropped = async (relay: RelayProcess, reason: string) =>
	metricValue(await getMetrics(relay), `relay_dropped_messages_total{reason="${reason}"}`) ?? 0;

/** What the relay must keep up under the swarm. */
const served = (f: SwarmFigures) =>
	f.floodShare > 0.8 &&
	f.floodersClosed === 0 &&
	f.subscribersLost === 0 &&
	f.missing === 0 &&
	f.p99 < 250 &&
	f.serveMs < 1000 &&
	f.firstHonestMs < 1000;

/**
 * Runs the swarm against a fresh relay with its default limits, up to three times: on a machine
 * shared with other work a pause of the whole process can push one run's p99 over the bound, or
 * keep the load generator from sending the whole flood, while the defect this guards against
 * (seconds of delay, publishes lost) fails every run.
 */
async function swarmOnRelay(settings: Partial<SwarmSettings> = {}) {
	let last: { relay: RelayProcess; figures: SwarmFigures } | undefined;
	for (let attempt = 0; attempt < 3; attempt++) {
		if (last) await last.relay.stop();
		const relay = await startRelay();
		relays.push(relay);
		last = { relay, figures: await swarm(relay.url, settings) };
		if (served(last.figures)) break;
		console.warn(`swarm run ${attempt + 1} missed a bound:\n${formatFigures(last.figures)}`);
	}
	if (!last) throw new Error('no run');
	return last;
}

const expectServed = (figures: SwarmFigures) => {
	const report = formatFigures(figures);
	expect(figures.missing, report).toBe(0);
	expect(figures.p99, report).toBeLessThan(250);
	expect(figures.serveMs, report).toBeLessThan(1000);
	expect(figures.firstHonestMs, report).toBeLessThan(1000);
	// The flood was as strong as the scenario says, and within the per-connection limits: nobody
	// was closed for them.
	expect(figures.floodShare, report).toBeGreaterThan(0.8);
	expect(figures.floodersClosed, report).toBe(0);
	expect(figures.subscribersLost, report).toBe(0);
};

// A thousand subscribers on one topic, twenty publishers each under the per-connection rate limit
// sending 4 KB frames, a few honest peers publishing small frames (see bench/relay/swarm.js).
// Without fan-out budgets the flood asks for gigabytes per second: honest publishes arrive
// seconds late or never, and a new client waits seconds for its subscribe to be served.
describe('a swarm on one topic', () => {
	it('keeps honest delivery fast and serves a new client at once, with the default limits', async () => {
		const { relay, figures } = await swarmOnRelay();
		expectServed(figures);
		// It was the flood that was dropped.
		expect(await dropped(relay, 'topic_budget')).toBeGreaterThan(0);
	}, 120_000);

	it('bounds the flood of one address over several topics, each within its own budget', async () => {
		// Four topics of 250 subscribers: each topic's budget would let through twice what the
		// address's does.
		const { relay, figures } = await swarmOnRelay({ topics: 4, warmupMs: 1000, measureMs: 2000 });
		expectServed(figures);
		expect(await dropped(relay, 'address_budget')).toBeGreaterThan(0);
	}, 120_000);
});

import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { invalidReasons } from './protocol.js';

/**
 * Counters live in plain numbers that the hot path increments; prom-client reads them only when
 * /metrics is scraped. Updating prom-client objects per message would cost a label lookup each.
 */

/** Why a connection ended. */
export const closeReasons = /** @type {const} */ ([
	'client',
	'too_big',
	'rate_limit',
	'topic_limit',
	'slow_consumer',
	'ping_timeout',
	'protocol_error',
	'internal_error',
	'shutdown'
]);

/** Why a message was not delivered. */
export const dropReasons = /** @type {const} */ ([
	'slow_consumer',
	'not_open',
	'redis_unavailable',
	'topic_budget',
	'address_budget'
]);

/** Why an upgrade to WebSocket was refused. */
export const rejectReasons = /** @type {const} */ (['origin', 'token', 'shutting_down']);

/** @typedef {(typeof closeReasons)[number]} CloseReason */
/** @typedef {(typeof dropReasons)[number]} DropReason */
/** @typedef {(typeof rejectReasons)[number]} RejectReason */
/** @typedef {import('./protocol.js').InvalidReason} InvalidReason */
/** @typedef {'disabled' | 'connecting' | 'ready' | 'down'} BusStatus */

/**
 * @template {string} K
 * @param {readonly K[]} keys
 * @returns {Record<K, number>}
 */
const zeroes = (keys) =>
	/** @type {Record<K, number>} */ (Object.fromEntries(keys.map((k) => [k, 0])));

export function createStats() {
	return {
		connectionsOpened: 0,
		messagesIn: 0,
		messagesOut: 0,
		bytesIn: 0,
		bytesOut: 0,
		redisPublished: 0,
		redisReceived: 0,
		invalid: zeroes(invalidReasons),
		drops: zeroes(dropReasons),
		closes: zeroes(closeReasons),
		rejected: zeroes(rejectReasons)
	};
}

/** @typedef {ReturnType<typeof createStats>} Stats */

/** @type {readonly BusStatus[]} */
const busStatuses = ['disabled', 'connecting', 'ready', 'down'];

/**
 * @param {Stats} stats
 * @param {{ connections: () => number, topics: () => number, redis: () => BusStatus }} live
 */
export function createMetrics(stats, live) {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry });

	/**
	 * @param {string} name
	 * @param {string} help
	 * @param {() => number} read
	 */
	const counter = (name, help, read) =>
		new Counter({
			name,
			help,
			registers: [registry],
			collect() {
				this.reset();
				this.inc(read());
			}
		});

	/**
	 * @param {string} name
	 * @param {string} help
	 * @param {string} label
	 * @param {Record<string, number>} counts
	 */
	const counterByLabel = (name, help, label, counts) =>
		new Counter({
			name,
			help,
			labelNames: [label],
			registers: [registry],
			collect() {
				this.reset();
				for (const [value, count] of Object.entries(counts)) this.inc({ [label]: value }, count);
			}
		});

	/**
	 * @param {string} name
	 * @param {string} help
	 * @param {() => number} read
	 */
	const gauge = (name, help, read) =>
		new Gauge({
			name,
			help,
			registers: [registry],
			collect() {
				this.set(read());
			}
		});

	gauge('relay_connections', 'Open WebSocket connections', live.connections);
	gauge('relay_topics', 'Topics with at least one local subscriber', live.topics);
	counter(
		'relay_connections_opened_total',
		'WebSocket connections accepted',
		() => stats.connectionsOpened
	);
	counter('relay_messages_in_total', 'Frames received from clients', () => stats.messagesIn);
	counter('relay_messages_out_total', 'Frames sent to clients', () => stats.messagesOut);
	counter('relay_bytes_in_total', 'Bytes of frames received from clients', () => stats.bytesIn);
	counter('relay_bytes_out_total', 'Bytes of frames sent to clients', () => stats.bytesOut);
	counterByLabel(
		'relay_invalid_frames_total',
		'Frames ignored because they were not valid signaling messages',
		'reason',
		stats.invalid
	);
	counterByLabel('relay_dropped_messages_total', 'Messages not delivered', 'reason', stats.drops);
	counterByLabel('relay_closes_total', 'Connections ended', 'reason', stats.closes);
	counterByLabel(
		'relay_rejected_upgrades_total',
		'WebSocket upgrades refused',
		'reason',
		stats.rejected
	);
	counter(
		'relay_redis_published_total',
		'Publish messages sent to Redis',
		() => stats.redisPublished
	);
	counter(
		'relay_redis_received_total',
		'Publish messages received from other instances through Redis',
		() => stats.redisReceived
	);
	new Gauge({
		name: 'relay_redis_status',
		help: 'Redis connection status: 1 for the current one',
		labelNames: ['status'],
		registers: [registry],
		collect() {
			const current = live.redis();
			for (const status of busStatuses) this.set({ status }, status === current ? 1 : 0);
		}
	});

	return {
		contentType: registry.contentType,
		/** @returns {Promise<string>} */
		render: () => registry.metrics()
	};
}

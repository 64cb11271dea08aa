import { randomBytes } from 'node:crypto';
import { redactUrl } from './config.js';

/**
 * The bus carries publish messages between relay instances. The relay always delivers to its own
 * subscribers directly and hands every publish to the bus as well; with one instance the bus
 * does nothing, so a single relay runs the very same code path as a cluster of them.
 *
 * With Redis, each instance subscribes to one channel per topic that has local subscribers
 * (`<prefix><topic>`) and publishes each message there prefixed with its own instance id, so that
 * it can ignore its own messages when Redis echoes them back.
 */

/** @typedef {import('./metrics.js').BusStatus} BusStatus */
/** @typedef {ReturnType<typeof import('redis').createClient>} RedisClient */

/**
 * @typedef {object} Bus
 * @property {() => void} start Begins connecting; never throws, never waits.
 * @property {(topic: string) => void} join A topic gained its first local subscriber.
 * @property {(topic: string) => void} leave A topic lost its last local subscriber.
 * @property {(topic: string, body: string) => boolean} publish Hands a local publish to the other
 *   instances; false when it could not be sent (Redis unavailable).
 * @property {() => BusStatus} status
 * @property {() => Promise<void>} close
 */

/** @returns {Bus} */
export function createLocalBus() {
	return {
		start() {},
		join() {},
		leave() {},
		publish: () => true,
		status: () => 'disabled',
		close: () => Promise.resolve()
	};
}

/** Retry quickly at first, then every 2 s; the jitter keeps a fleet from reconnecting in step. */
const reconnectStrategy = (/** @type {number} */ retries) =>
	Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 100);

/**
 * Publishes waiting for Redis to answer. Beyond this many, publishing fails at once instead of
 * piling up in memory while Redis is slow.
 */
const maxPendingCommands = 10_000;

/**
 * @param {object} options
 * @param {string} options.url
 * @param {string} options.prefix
 * @param {import('pino').Logger} options.logger
 * @param {(topic: string, body: string) => void} options.onMessage A publish from another instance.
 * @returns {Bus}
 */
export function createRedisBus({ url, prefix, logger, onMessage }) {
	const instanceId = randomBytes(8).toString('hex');
	const log = logger.child({ component: 'redis', instance: instanceId });

	// A connection in subscriber mode cannot publish, hence two.
	/** @type {RedisClient | undefined} */
	let publisher;
	/** @type {RedisClient | undefined} */
	let subscriber;
	/** @type {Set<string>} Topics with local subscribers: what the subscriber should listen to. */
	const wanted = new Set();
	/** @type {Set<string>} Topics Redis confirmed a subscription to. */
	const listening = new Set();
	/** @type {BusStatus} */
	let status = 'connecting';
	let everReady = false;
	let closed = false;

	/**
	 * @param {string} message
	 * @param {string} channel
	 */
	const listener = (message, channel) => {
		if (message.startsWith(instanceId)) return;
		onMessage(channel.slice(prefix.length), message.slice(instanceId.length));
	};

	const updateStatus = () => {
		const ready = Boolean(publisher?.isReady && subscriber?.isReady);
		if (ready) everReady = true;
		/** @type {BusStatus} */
		const next = ready ? 'ready' : everReady ? 'down' : 'connecting';
		if (next === status || closed) return;
		status = next;
		if (next === 'ready') log.info({ topics: wanted.size }, 'redis ready');
		else log.warn('redis unavailable: serving local clients only until it returns');
	};

	/** @param {string[]} topics */
	const subscribe = (topics) => {
		if (topics.length === 0 || !subscriber?.isReady) return;
		subscriber
			.subscribe(
				topics.map((topic) => prefix + topic),
				listener
			)
			.then(
				() => {
					/** @type {string[]} */
					const stale = [];
					for (const topic of topics) {
						listening.add(topic);
						if (!wanted.has(topic)) stale.push(topic);
					}
					// Every local subscriber left while the subscription was on its way.
					unsubscribe(stale);
				},
				// Redis went away meanwhile; `reconcile` subscribes again when it is back.
				(/** @type {unknown} */ err) => log.debug({ err }, 'subscribe failed')
			);
	};

	/** @param {string[]} topics */
	const unsubscribe = (topics) => {
		if (topics.length === 0 || !subscriber?.isReady) return;
		subscriber
			.unsubscribe(
				topics.map((topic) => prefix + topic),
				listener
			)
			.then(
				() => {
					for (const topic of topics) if (!wanted.has(topic)) listening.delete(topic);
				},
				(/** @type {unknown} */ err) => log.debug({ err }, 'unsubscribe failed')
			);
	};

	/**
	 * After (re)connecting, make Redis's subscriptions match the local topics again: topics joined
	 * while Redis was away are subscribed now, topics left meanwhile are dropped. (The client
	 * itself renews only the subscriptions that had succeeded before the connection was lost.)
	 */
	const reconcile = () => {
		subscribe([...wanted]);
		unsubscribe([...listening].filter((topic) => !wanted.has(topic)));
	};

	/** @param {RedisClient} client */
	const watch = (client) => {
		client.on('error', (/** @type {unknown} */ err) => {
			log.debug({ err }, 'redis connection error');
			updateStatus();
		});
		client.on('end', updateStatus);
		client.on('reconnecting', updateStatus);
		client.on('ready', updateStatus);
		client.connect().catch((/** @type {unknown} */ err) => {
			if (!closed) log.error({ err }, 'redis connection given up');
		});
	};

	/**
	 * The Redis client is loaded only when Redis is configured, so that a single relay on a small
	 * machine does not pay the memory it takes.
	 */
	const connect = async () => {
		const { createClient } = await import('redis');
		if (closed) return;
		// While Redis is away, commands fail at once rather than queue: a relay that lost Redis
		// keeps serving its own clients, and signaling messages are worthless once late anyway.
		publisher = createClient({
			url,
			disableOfflineQueue: true,
			commandsQueueMaxLength: maxPendingCommands,
			socket: { reconnectStrategy, connectTimeout: 5000 }
		});
		subscriber = publisher.duplicate();
		subscriber.on('ready', reconcile);
		watch(publisher);
		watch(subscriber);
	};

	return {
		start() {
			log.info({ url: redactUrl(url) }, 'connecting to redis');
			connect().catch((/** @type {unknown} */ err) => log.error({ err }, 'cannot load redis'));
		},
		join(topic) {
			wanted.add(topic);
			subscribe([topic]);
		},
		leave(topic) {
			wanted.delete(topic);
			unsubscribe([topic]);
		},
		publish(topic, body) {
			if (!publisher?.isReady) return false;
			publisher.publish(prefix + topic, instanceId + body).catch(() => {
				// Lost with the connection; signaling clients retry on their own.
			});
			return true;
		},
		status: () => status,
		close() {
			closed = true;
			for (const client of [publisher, subscriber]) {
				if (client?.isOpen) client.destroy();
			}
			return Promise.resolve();
		}
	};
}

import { STATUS_CODES, createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { createAccessCheck } from './access.js';
import { addressKey } from './address.js';
import { Demand, FanoutBudget, deliveryOverhead } from './budget.js';
import { createMetrics, createStats } from './metrics.js';
import { delivery, parseFrame, pong } from './protocol.js';
import { Client } from './client.js';
import { TokenBucket } from './rate-limit.js';
import { createLocalBus, createRedisBus } from './redis-bus.js';
import { createRoutes } from './routes.js';
import { TopicRegistry } from './topics.js';
import { textFrame } from './wire.js';

/** @typedef {import('./config.js').RelayConfig} RelayConfig */
/** @typedef {import('./metrics.js').CloseReason} CloseReason */

/** WebSocket close codes (RFC 6455, section 7.4.1). */
const goingAway = 1001;
const policyViolation = 1008;
const internalError = 1011;

/** How long clients get to answer a shutdown's close frame before their sockets are cut. */
const shutdownGraceMs = 1500;

/** ws's error code for a frame over `maxPayload`; ws itself closes the connection with 1009. */
const tooBigError = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/**
 * Frames for one client are held back (corked) until the end of the event-loop turn and then
 * written with one system call, instead of one call per frame; beyond this many bytes they are
 * written at once, so that holding back never hides a slow consumer.
 */
const corkLimit = 64 * 1024;

const pongFrame = textFrame(pong);

/** @param {import('ws').RawData} data */
const toBuffer = (data) =>
	Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/**
 * @typedef {object} Relay
 * @property {() => Promise<{ port: number, host: string }>} listen
 * @property {() => Promise<void>} close Stops accepting, closes every client with 1001 and
 *   resolves once they are gone (or cut off after a short grace period).
 * @property {() => HealthReport} health
 */

/**
 * @typedef {object} HealthReport
 * @property {'ok' | 'degraded' | 'stopping'} status `degraded` while Redis is unavailable: local
 *   clients are still served.
 * @property {number} uptime Seconds.
 * @property {number} connections
 * @property {number} topics
 * @property {import('./metrics.js').BusStatus} redis
 * @property {{ rss: number, heapUsed: number, heapTotal: number, external: number,
 *   arrayBuffers: number }} memory Bytes.
 */

/**
 * @param {RelayConfig & { logger: import('pino').Logger }} options
 * @returns {Relay}
 */
export function createRelay(options) {
	const { logger } = options;
	const stats = createStats();
	/** @type {TopicRegistry<Client>} */
	const topics = new TopicRegistry();
	/** @type {Set<Client>} */
	const clients = new Set();
	const startedAt = performance.now();
	const checkAccess = createAccessCheck(options);
	const topicBudget = new FanoutBudget(options.topicBudget);
	const addressBudget = new FanoutBudget(options.addressBudget);
	/** Publishes from other instances count as one publisher: they carry no connection. */
	const remoteDemand = new Demand();

	const shared = options.redisUrl !== undefined;
	const bus = options.redisUrl
		? createRedisBus({
				url: options.redisUrl,
				prefix: options.redisChannelPrefix,
				logger,
				onMessage: deliverRemote
			})
		: createLocalBus();

	const metrics = createMetrics(stats, {
		connections: () => clients.size,
		topics: () => topics.size,
		redis: () => bus.status()
	});

	// The relay tracks its clients itself, so ws need not keep a second set of them. UTF-8 is
	// not validated by ws: frames are decoded once here, and whatever is forwarded is re-encoded,
	// so an invalid sequence becomes U+FFFD (and most likely invalid JSON) instead of a close.
	// Without compression the bytes of a frame are the same for every recipient, which is what
	// lets the relay encode each delivery once (see wire.js).
	const wss = new WebSocketServer({
		noServer: true,
		clientTracking: false,
		perMessageDeflate: false,
		maxPayload: options.maxMessageBytes,
		skipUTF8Validation: true
	});

	const server = createServer(createRoutes({ health, metrics, logger }));
	server.on('upgrade', handleUpgrade);

	/** @type {Client[]} Clients whose socket is corked until the end of this event-loop turn. */
	const corked = [];
	let flushScheduled = false;
	/** @type {NodeJS.Timeout | undefined} */
	let pingTimer;
	/** @type {Promise<void> | undefined} */
	let closing;
	/** @type {(() => void) | undefined} */
	let onAllClosed;

	/**
	 * @param {import('node:http').IncomingMessage} request
	 * @param {import('node:stream').Duplex} socket
	 * @param {Buffer} head
	 */
	function handleUpgrade(request, socket, head) {
		try {
			if (closing) return refuse(socket, 503, 'shutting_down');
			const refusal = checkAccess(request);
			if (refusal === 'origin') return refuse(socket, 403, refusal);
			if (refusal === 'token') return refuse(socket, 401, refusal);
			wss.handleUpgrade(request, socket, head, (ws) => accept(ws, socket, request));
		} catch (err) {
			// A fault here must cost one connection, never the relay.
			logger.error({ err }, 'upgrade failed');
			socket.destroy();
		}
	}

	/**
	 * @param {import('node:stream').Duplex} socket
	 * @param {number} code
	 * @param {import('./metrics.js').RejectReason} reason
	 */
	function refuse(socket, code, reason) {
		stats.rejected[reason]++;
		logger.debug({ reason, code }, 'upgrade refused');
		const body = `${STATUS_CODES[code]}\n`;
		socket.on('error', () => socket.destroy());
		socket.once('finish', () => socket.destroy());
		socket.end(
			`HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nConnection: close\r\n` +
				`Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
		);
	}

	/**
	 * @param {WebSocket} ws
	 * @param {import('node:stream').Duplex} socket
	 * @param {import('node:http').IncomingMessage} request
	 */
	function accept(ws, socket, request) {
		if (closing) {
			ws.close(goingAway, 'relay shutting down');
			return;
		}
		const bucket = new TokenBucket(options.rateLimit, options.rateLimitBurst, performance.now());
		const client = new Client(ws, socket, bucket, request.socket.remoteAddress);
		clients.add(client);
		stats.connectionsOpened++;
		ws.on('message', (data) => {
			try {
				receive(client, toBuffer(data));
			} catch (err) {
				// Parsing never throws; this is for a fault in the relay itself, which must cost
				// the one connection that ran into it, never the relay.
				logger.error({ err }, 'frame handling failed');
				drop(client, 'internal_error', internalError, 'internal error');
			}
		});
		ws.on('pong', () => {
			client.alive = true;
		});
		ws.on('error', (err) => failed(client, err));
		ws.on('close', () => closed(client));
	}

	/**
	 * @param {Client} client
	 * @param {Buffer} data
	 */
	function receive(client, data) {
		if (client.closed) return;
		stats.messagesIn++;
		stats.bytesIn += data.length;
		client.alive = true;
		if (!client.bucket.take(performance.now())) {
			return drop(client, 'rate_limit', policyViolation, 'rate limit exceeded');
		}
		const frame = parseFrame(data.toString());
		switch (frame.kind) {
			case 'publish':
				if (!withinBudget(client, frame.topic, data.length)) return;
				if (bus.publish(frame.topic, frame.body)) {
					if (shared) stats.redisPublished++;
				} else {
					stats.drops.redis_unavailable++;
				}
				return deliver(frame.topic, frame.body);
			case 'subscribe':
				return subscribe(client, frame.topics);
			case 'unsubscribe':
				return unsubscribe(client, frame.topics);
			case 'ping':
				return send(client, pongFrame);
			case 'invalid':
				stats.invalid[frame.reason]++;
		}
	}

	/**
	 * @param {Client} client
	 * @param {string[]} names
	 */
	function subscribe(client, names) {
		/** @type {Set<string>} */
		const fresh = new Set();
		for (const name of names) {
			if (name.length > options.maxTopicLength) {
				return drop(client, 'topic_limit', policyViolation, 'topic name too long');
			}
			if (!client.topics.has(name)) fresh.add(name);
		}
		if (client.topics.size + fresh.size > options.maxTopicsPerConnection) {
			return drop(client, 'topic_limit', policyViolation, 'too many topics');
		}
		for (const name of fresh) {
			client.topics.add(name);
			if (topics.add(name, client)) bus.join(name);
		}
	}

	/**
	 * @param {Client} client
	 * @param {Iterable<string>} names
	 */
	function unsubscribe(client, names) {
		for (const name of names) {
			if (client.topics.delete(name) && topics.remove(name, client)) bus.leave(name);
		}
	}

	/**
	 * Charges a publish to its topic's and its sender's address's (or IPv6 /64's) fan-out budgets, or counts it
	 * as dropped when either refuses it (see budget.js). A dropped publish goes nowhere, not even
	 * to other instances. Only the local fan-out is charged: other instances charge their own.
	 * @param {Client} client
	 * @param {string} topic
	 * @param {number} bytes Size of the publish frame.
	 */
	function withinBudget(client, topic, bytes) {
		const cost = (topics.subscribers(topic)?.size ?? 0) * (bytes + deliveryOverhead);
		if (cost === 0) return true;
		const now = performance.now();
		const demand = client.demand.add(cost, now);
		const address = addressKey(client.address);
		if (!topicBudget.allows(topic, demand, now)) {
			stats.drops.topic_budget++;
			return false;
		}
		if (!addressBudget.allows(address, demand, now)) {
			stats.drops.address_budget++;
			return false;
		}
		topicBudget.take(topic, cost, now);
		addressBudget.take(address, cost, now);
		return true;
	}

	/**
	 * Fans a publish out to the topic's local subscribers, the sender included (y-webrtc clients
	 * rely on that to count themselves). The frame is encoded once for all of them.
	 * @param {string} topic
	 * @param {string} body
	 */
	function deliver(topic, body) {
		const subscribers = topics.subscribers(topic);
		if (!subscribers) return;
		const frame = textFrame(delivery(body, subscribers.size));
		for (const subscriber of subscribers) send(subscriber, frame);
	}

	/**
	 * A publish from another instance. It comes from Redis, not from a client, but is parsed all
	 * the same: nothing reaches a client unless it is a well-formed publish for that topic.
	 * @param {string} topic
	 * @param {string} body
	 */
	function deliverRemote(topic, body) {
		const frame = parseFrame(`${body}}`);
		if (frame.kind !== 'publish' || frame.topic !== topic) {
			stats.invalid[frame.kind === 'invalid' ? frame.reason : 'bad_topic']++;
			return;
		}
		stats.redisReceived++;
		const cost = (topics.subscribers(topic)?.size ?? 0) * (body.length + deliveryOverhead);
		if (cost > 0) {
			const now = performance.now();
			if (!topicBudget.allows(topic, remoteDemand.add(cost, now), now)) {
				stats.drops.topic_budget++;
				return;
			}
			topicBudget.take(topic, cost, now);
		}
		deliver(topic, frame.body);
	}

	/**
	 * Sends without ever queueing more than `maxBufferedBytes` (plus one frame) for a client: a
	 * client that reads slower than it is written to is dropped, not buffered for.
	 * @param {Client} client
	 * @param {Buffer} frame A complete WebSocket frame.
	 */
	function send(client, frame) {
		const ws = client.ws;
		if (ws.readyState !== WebSocket.OPEN) {
			stats.drops.not_open++;
			return;
		}
		// What is held back by the cork is not the client's fault; the rest is what the kernel
		// would not take.
		if (ws.bufferedAmount - client.corkedBytes > options.maxBufferedBytes) {
			stats.drops.slow_consumer++;
			return drop(client, 'slow_consumer');
		}
		const socket = client.socket;
		if (!client.corked) {
			client.corked = true;
			socket.cork();
			corked.push(client);
			if (!flushScheduled) {
				flushScheduled = true;
				setImmediate(flush);
			}
		}
		socket.write(frame);
		client.corkedBytes += frame.length;
		if (client.corkedBytes >= corkLimit) {
			socket.uncork();
			socket.cork();
			client.corkedBytes = 0;
		}
		stats.messagesOut++;
		stats.bytesOut += frame.length;
	}

	/** Writes out everything held back during this event-loop turn. */
	function flush() {
		flushScheduled = false;
		for (const client of corked) {
			client.corked = false;
			client.corkedBytes = 0;
			client.socket.uncork();
		}
		corked.length = 0;
	}

	/**
	 * Stops serving a client at once: it leaves its topics now, even though its socket closes
	 * later. Without a close code the socket is cut (for clients that could not read one anyway).
	 * @param {Client} client
	 * @param {CloseReason} reason
	 * @param {number} [code]
	 * @param {string} [text]
	 */
	function drop(client, reason, code, text) {
		if (client.closed) return;
		client.closed = true;
		stats.closes[reason]++;
		leaveAll(client);
		// Vanished clients are routine (a phone going to sleep); the other reasons are worth seeing.
		const level = reason === 'shutdown' || reason === 'ping_timeout' ? 'debug' : 'info';
		logger[level]({ reason, code, address: client.address }, 'connection dropped');
		if (code === undefined) client.ws.terminate();
		else client.ws.close(code, text);
	}

	/**
	 * @param {Client} client
	 * @param {Error & { code?: string }} err
	 */
	function failed(client, err) {
		// ws has already answered with a close (1009 for a frame over the size limit, 1002 or
		// 1007 for protocol errors); here the relay only stops serving the client.
		if (client.closed) return;
		client.closed = true;
		const reason = err.code === tooBigError ? 'too_big' : 'protocol_error';
		stats.closes[reason]++;
		leaveAll(client);
		logger.info({ reason, address: client.address, error: err.code }, 'connection dropped');
	}

	/** @param {Client} client */
	function closed(client) {
		clients.delete(client);
		if (!client.closed) {
			client.closed = true;
			stats.closes.client++;
			leaveAll(client);
		}
		if (clients.size === 0) onAllClosed?.();
	}

	/** @param {Client} client */
	function leaveAll(client) {
		for (const name of client.topics) {
			if (topics.remove(name, client)) bus.leave(name);
		}
		client.topics.clear();
	}

	/**
	 * A WebSocket-level ping every interval; a client that has not answered the previous one
	 * (nor sent anything since) is gone without saying so (a half-open TCP connection) and is cut.
	 */
	function sweep() {
		const now = performance.now();
		topicBudget.sweep(now);
		addressBudget.sweep(now);
		for (const client of clients) {
			if (client.closed) continue;
			if (!client.alive) {
				drop(client, 'ping_timeout');
				continue;
			}
			client.alive = false;
			client.ws.ping();
		}
	}

	/** @returns {HealthReport} */
	function health() {
		const redis = bus.status();
		const memory = process.memoryUsage();
		return {
			status: closing ? 'stopping' : redis === 'down' ? 'degraded' : 'ok',
			uptime: Math.round(performance.now() - startedAt) / 1000,
			connections: clients.size,
			topics: topics.size,
			redis,
			memory: {
				rss: memory.rss,
				heapUsed: memory.heapUsed,
				heapTotal: memory.heapTotal,
				external: memory.external,
				arrayBuffers: memory.arrayBuffers
			}
		};
	}

	return {
		listen() {
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(options.port, options.host, () => {
					server.off('error', reject);
					bus.start();
					pingTimer = setInterval(sweep, options.pingIntervalMs);
					const address = /** @type {import('node:net').AddressInfo} */ (server.address());
					resolve({ port: address.port, host: address.address });
				});
			});
		},

		close() {
			closing ??= (async () => {
				clearInterval(pingTimer);
				const stopped = new Promise((resolve) => server.close(resolve));
				const allClosed = new Promise((resolve) => {
					onAllClosed = () => resolve(undefined);
					if (clients.size === 0) onAllClosed();
				});
				// 1001 tells y-webrtc clients to reconnect, possibly to another instance.
				for (const client of clients) drop(client, 'shutdown', goingAway, 'relay shutting down');
				const grace = new Promise((resolve) => setTimeout(resolve, shutdownGraceMs).unref());
				await Promise.race([allClosed, grace]);
				for (const client of clients) client.ws.terminate();
				server.closeAllConnections();
				await bus.close();
				await stopped;
			})();
			return closing;
		},

		health
	};
}

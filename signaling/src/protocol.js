/**
 * The y-webrtc signaling protocol, as its clients speak it:
 *
 *   client -> relay  {type:'subscribe', topics:[...]}   {type:'unsubscribe', topics:[...]}
 *                    {type:'publish', topic, ...}        {type:'ping'}
 *   relay -> client  the publish frame itself, to every subscriber of `topic` (the sender
 *                    included), with `clients` set to the number of subscribers; {type:'pong'}
 *
 * Parsing is guarded: it never throws, whatever bytes arrive, and says why a frame is unusable
 * so that the relay can count it and carry on.
 */

/**
 * @typedef {{ kind: 'subscribe' | 'unsubscribe', topics: string[] }
 *   | { kind: 'publish', topic: string, body: string }
 *   | { kind: 'ping' }
 *   | { kind: 'invalid', reason: InvalidReason }} Frame
 *
 * A publish frame keeps its `body`: the frame's JSON text without its closing brace and without
 * any `clients` member, so that the relay can append the count once per publish instead of
 * serialising the whole message again for every recipient.
 */

/** Every reason a frame can be refused, so that metrics can list them all from the start. */
export const invalidReasons = /** @type {const} */ ([
	'not_json',
	'not_object',
	'unknown_type',
	'bad_topics',
	'bad_topic'
]);

/** @typedef {(typeof invalidReasons)[number]} InvalidReason */

/** The answer to a ping. */
export const pong = JSON.stringify({ type: 'pong' });

/**
 * @param {Record<string, unknown>} message
 * @param {string} text The JSON text `message` was parsed from.
 */
function publishBody(message, text) {
	if (Object.hasOwn(message, 'clients')) {
		// The relay sets `clients`; a sender's own value is dropped rather than sent twice.
		delete message.clients;
		text = JSON.stringify(message);
	}
	return text.slice(0, text.lastIndexOf('}'));
}

/**
 * @param {unknown} topics
 * @returns {string[] | undefined} The string topics; other entries are skipped, as y-webrtc's own
 *   server does. A missing list is an empty one.
 */
function topicList(topics) {
	if (topics === undefined || topics === null) return [];
	if (!Array.isArray(topics)) return undefined;
	/** @type {string[]} */
	const names = [];
	for (const topic of topics) {
		if (typeof topic === 'string' && topic !== '') names.push(topic);
	}
	return names;
}

/**
 * @param {string} text One WebSocket frame, decoded as UTF-8.
 * @returns {Frame}
 */
export function parseFrame(text) {
	/** @type {unknown} */
	let message;
	try {
		message = JSON.parse(text);
	} catch {
		return { kind: 'invalid', reason: 'not_json' };
	}
	if (typeof message !== 'object' || message === null || Array.isArray(message)) {
		return { kind: 'invalid', reason: 'not_object' };
	}
	const fields = /** @type {Record<string, unknown>} */ (message);
	switch (fields.type) {
		case 'publish': {
			const topic = fields.topic;
			if (typeof topic !== 'string' || topic === '')
				return { kind: 'invalid', reason: 'bad_topic' };
			return { kind: 'publish', topic, body: publishBody(fields, text) };
		}
		case 'subscribe':
		case 'unsubscribe': {
			const topics = topicList(fields.topics);
			if (!topics) return { kind: 'invalid', reason: 'bad_topics' };
			return { kind: fields.type, topics };
		}
		case 'ping':
			return { kind: 'ping' };
		default:
			return { kind: 'invalid', reason: 'unknown_type' };
	}
}

/**
 * The message delivered to subscribers: the publish frame with the subscriber count appended.
 * @param {string} body A publish frame's `body`.
 * @param {number} clients
 */
export function delivery(body, clients) {
	return `${body},"clients":${clients}}`;
}

/**
 * Configuration: every setting comes from an environment variable or a command-line flag (the flag
 * wins), is validated once at start, and is described in one table so that `--help`, validation
 * and the start-up log line can never disagree.
 */

/**
 * @typedef {object} RelayConfig
 * @property {number} port TCP port; 0 picks a free one (the bound port is logged).
 * @property {string} host Address to bind.
 * @property {number} maxMessageBytes Largest frame accepted; larger ones close the connection (1009).
 * @property {number} rateLimit Frames per second a connection may send on average.
 * @property {number} rateLimitBurst Frames a connection may send at once before the average applies.
 * @property {number} maxTopicsPerConnection Topics one connection may subscribe to.
 * @property {number} maxTopicLength Longest topic name, in characters.
 * @property {number} maxBufferedBytes Unsent bytes a connection may have queued before it is dropped.
 * @property {number} pingIntervalMs How often connections are pinged; one missed pong evicts.
 * @property {number} topicBudget Delivered bytes per second publishes to one topic may cause; 0: no budget.
 * @property {number} addressBudget Delivered bytes per second the publishes of one remote address may
 *   cause; 0: no budget.
 * @property {string[]} allowedOrigins Origins allowed to connect; empty allows every origin.
 * @property {string | undefined} accessToken Shared token clients pass as `?token=`.
 * @property {string | undefined} redisUrl Redis server shared by several relay instances.
 * @property {string} redisChannelPrefix Prefix of the Redis channel of each topic.
 * @property {import('pino').LevelWithSilent} logLevel Log level.
 */

/** A configuration value that cannot be used; the message names the setting and the problem. */
export class ConfigError extends Error {
	/** @param {string} message */
	constructor(message) {
		super(message);
		this.name = 'ConfigError';
	}
}

/** @type {readonly import('pino').LevelWithSilent[]} */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * @typedef {object} Option
 * @property {keyof RelayConfig} key
 * @property {string} env
 * @property {string} flag
 * @property {string} arg What the value looks like, for `--help`.
 * @property {string} help
 * @property {string | undefined} fallback The default, as it would be written in the environment.
 * @property {(raw: string, name: string) => unknown} parse Throws ConfigError when `raw` is unusable.
 */

/**
 * @param {number} min
 * @param {number} max
 * @returns {(raw: string, name: string) => number}
 */
const integer = (min, max) => (raw, name) => {
	const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(value) || value < min || value > max) {
		throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
	}
	return value;
};

/** @type {(raw: string, name: string) => number} */
const positiveNumber = (raw, name) => {
	const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
	if (!(value > 0) || !Number.isFinite(value)) {
		throw new ConfigError(`${name} must be a number greater than 0, got "${raw}"`);
	}
	return value;
};

/** @type {(raw: string, name: string) => string} */
const nonEmpty = (raw, name) => {
	if (raw.trim() === '') throw new ConfigError(`${name} must not be empty`);
	return raw;
};

/**
 * Origins are compared with the browser's `Origin` header, which is always the bare
 * `scheme://host[:port]`; anything else in the list could never match, so it is refused.
 * @type {(raw: string, name: string) => string[]}
 */
const origins = (raw, name) =>
	raw
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '')
		.map((entry) => {
			/** @type {URL} */
			let url;
			try {
				url = new URL(entry);
			} catch {
				throw new ConfigError(`${name}: "${entry}" is not an origin like https://example.org`);
			}
			const bare = url.pathname === '/' && !url.search && !url.hash && !url.username;
			if (!['http:', 'https:'].includes(url.protocol) || !bare) {
				throw new ConfigError(`${name}: "${entry}" is not an origin like https://example.org`);
			}
			return url.origin;
		});

/** @type {(raw: string, name: string) => string} */
const redisUrl = (raw, name) => {
	/** @type {URL | undefined} */
	let url;
	try {
		url = new URL(raw);
	} catch {
		url = undefined;
	}
	if (!url || !['redis:', 'rediss:'].includes(url.protocol)) {
		throw new ConfigError(`${name} must be a redis:// or rediss:// URL`);
	}
	return raw;
};

/** @type {(raw: string, name: string) => string} */
const logLevel = (raw, name) => {
	const level = logLevels.find((candidate) => candidate === raw);
	if (!level) throw new ConfigError(`${name} must be one of ${logLevels.join(', ')}, got "${raw}"`);
	return level;
};

/** @type {readonly Option[]} */
export const options = [
	{
		key: 'port',
		env: 'PORT',
		flag: '--port',
		arg: '<n>',
		help: 'TCP port for HTTP and WebSocket; 0 picks a free port',
		fallback: '4444',
		parse: integer(0, 65535)
	},
	{
		key: 'host',
		env: 'HOST',
		flag: '--host',
		arg: '<address>',
		help: 'address to listen on',
		fallback: '0.0.0.0',
		parse: nonEmpty
	},
	{
		key: 'maxMessageBytes',
		env: 'MAX_MESSAGE_BYTES',
		flag: '--max-message-bytes',
		arg: '<bytes>',
		help: 'largest frame accepted; a larger one closes the connection with 1009',
		fallback: '65536',
		parse: integer(256, 16 * 1024 * 1024)
	},
	{
		key: 'rateLimit',
		env: 'RATE_LIMIT',
		flag: '--rate-limit',
		arg: '<frames/s>',
		help: 'frames per second a connection may send on average; beyond it closes with 1008',
		fallback: '100',
		parse: positiveNumber
	},
	{
		key: 'rateLimitBurst',
		env: 'RATE_LIMIT_BURST',
		flag: '--rate-limit-burst',
		arg: '<frames>',
		help: 'frames a connection may send in a burst above the average',
		fallback: '300',
		parse: integer(1, 1_000_000_000)
	},
	{
		key: 'maxTopicsPerConnection',
		env: 'MAX_TOPICS_PER_CONNECTION',
		flag: '--max-topics-per-connection',
		arg: '<n>',
		help: 'topics one connection may subscribe to; more closes it with 1008',
		fallback: '100',
		parse: integer(1, 1_000_000)
	},
	{
		key: 'maxTopicLength',
		env: 'MAX_TOPIC_LENGTH',
		flag: '--max-topic-length',
		arg: '<chars>',
		help: 'longest topic name a connection may subscribe to; longer closes it with 1008',
		fallback: '256',
		parse: integer(1, 1_000_000)
	},
	{
		key: 'maxBufferedBytes',
		env: 'MAX_BUFFERED_BYTES',
		flag: '--max-buffered-bytes',
		arg: '<bytes>',
		help: 'unsent bytes queued for one connection before it is dropped as too slow',
		fallback: '1048576',
		parse: integer(256, 1024 * 1024 * 1024)
	},
	{
		key: 'pingIntervalMs',
		env: 'PING_INTERVAL_MS',
		flag: '--ping-interval-ms',
		arg: '<ms>',
		help: 'WebSocket ping interval; a connection that misses one pong is evicted',
		fallback: '30000',
		parse: integer(50, 24 * 60 * 60 * 1000)
	},
	{
		key: 'topicBudget',
		env: 'TOPIC_BUDGET',
		flag: '--topic-budget',
		arg: '<bytes/s>',
		help: 'bytes per second publishes to one topic may make the relay deliver; 0: no budget',
		fallback: '32000000',
		parse: integer(0, 1_000_000_000_000)
	},
	{
		key: 'addressBudget',
		env: 'ADDRESS_BUDGET',
		flag: '--address-budget',
		arg: '<bytes/s>',
		help: 'the same for all publishes from one remote address; 0: no budget',
		fallback: '64000000',
		parse: integer(0, 1_000_000_000_000)
	},
	{
		key: 'allowedOrigins',
		env: 'ALLOWED_ORIGINS',
		flag: '--allowed-origins',
		arg: '<list>',
		help: 'comma-separated origins allowed to connect (others get 403); unset allows all',
		fallback: '',
		parse: origins
	},
	{
		key: 'accessToken',
		env: 'ACCESS_TOKEN',
		flag: '--access-token',
		arg: '<token>',
		help: 'shared token clients must pass as ?token= (others get 401); unset: no token',
		fallback: undefined,
		parse: nonEmpty
	},
	{
		key: 'redisUrl',
		env: 'REDIS_URL',
		flag: '--redis-url',
		arg: '<url>',
		help: 'Redis shared by several relay instances (redis://host:6379); unset: one instance',
		fallback: undefined,
		parse: redisUrl
	},
	{
		key: 'redisChannelPrefix',
		env: 'REDIS_CHANNEL_PREFIX',
		flag: '--redis-channel-prefix',
		arg: '<prefix>',
		help: 'prefix of the Redis channel of each topic',
		fallback: 'ours:signal:',
		parse: nonEmpty
	},
	{
		key: 'logLevel',
		env: 'LOG_LEVEL',
		flag: '--log-level',
		arg: '<level>',
		help: `${logLevels.join(', ')}`,
		fallback: 'info',
		parse: logLevel
	}
];

/**
 * Reads flags and the environment. Flags take `--name value` or `--name=value`. An empty
 * environment variable counts as unset, as service managers often write them that way.
 * @param {readonly string[]} argv Arguments after the script name.
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {{ help: true } | { help: false, config: RelayConfig }}
 * @throws {ConfigError}
 */
export function parseConfig(argv, env) {
	/** @type {Map<Option, string>} */
	const fromFlags = new Map();
	for (let i = 0; i < argv.length; i++) {
		const arg = /** @type {string} */ (argv[i]);
		if (arg === '--help' || arg === '-h') return { help: true };
		const eq = arg.indexOf('=');
		const name = eq === -1 ? arg : arg.slice(0, eq);
		const option = options.find((candidate) => candidate.flag === name);
		if (!option) throw new ConfigError(`unknown argument "${arg}" (see --help)`);
		const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
		if (value === undefined) throw new ConfigError(`${name} needs a value`);
		fromFlags.set(option, value);
	}

	/** @type {Record<string, unknown>} */
	const config = {};
	for (const option of options) {
		const flagValue = fromFlags.get(option);
		const envValue = env[option.env];
		const [raw, name] =
			flagValue !== undefined
				? [flagValue, option.flag]
				: envValue !== undefined && envValue !== ''
					? [envValue, option.env]
					: [option.fallback, option.env];
		config[option.key] = raw === undefined ? undefined : option.parse(raw, name);
	}
	const result = /** @type {RelayConfig} */ (config);

	// A single message must fit in a connection's send buffer, or every recipient would be
	// dropped as too slow the moment a large message arrives.
	if (result.maxBufferedBytes < result.maxMessageBytes) {
		throw new ConfigError('MAX_BUFFERED_BYTES must be at least MAX_MESSAGE_BYTES');
	}
	return { help: false, config: result };
}

/**
 * A URL as it may be logged: without its password.
 * @param {string} url
 */
export function redactUrl(url) {
	const parsed = new URL(url);
	if (parsed.password) parsed.password = 'redacted';
	return parsed.toString();
}

/**
 * The configuration as it may be logged: the access token and any Redis password are hidden.
 * @param {RelayConfig} config
 */
export function redactConfig(config) {
	return {
		...config,
		accessToken: config.accessToken === undefined ? undefined : 'redacted',
		redisUrl: config.redisUrl === undefined ? undefined : redactUrl(config.redisUrl)
	};
}

/** The `--help` text: each setting with its flag, variable, meaning and default. */
export function helpText() {
	const rows = options.flatMap((option) => {
		const fallback = option.fallback ? ` (default ${option.fallback})` : '';
		return [
			`  ${option.flag} ${option.arg}  |  ${option.env}=${option.arg}`,
			`      ${option.help}${fallback}`
		];
	});
	return [
		'Ours signaling relay: a WebSocket relay speaking the y-webrtc signaling protocol.',
		'',
		'Usage: node signaling/bin/relay.js [options]',
		'',
		'Every option can also be set by its environment variable; a flag wins over the variable.',
		'',
		...rows,
		'  --help, -h',
		'      print this and exit',
		''
	].join('\n');
}

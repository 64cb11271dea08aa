#!/usr/bin/env node
/**
 * The relay's command line: reads the configuration, starts the relay and stops it cleanly on
 * SIGTERM or SIGINT. Exit codes: 0 after a clean stop or --help, 1 on a failure, 2 on an
 * unusable configuration.
 */
import { ConfigError, helpText, parseConfig, redactConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createRelay } from '../src/server.js';

/** Longest a shutdown may take before the process exits anyway. */
const forceExitMs = 5000;

/** @type {ReturnType<typeof parseConfig>} */
let parsed;
try {
	parsed = parseConfig(process.argv.slice(2), process.env);
} catch (err) {
	if (!(err instanceof ConfigError)) throw err;
	console.error(`relay: ${err.message}`);
	process.exit(2);
}

if (parsed.help) {
	process.stdout.write(helpText());
	process.exit(0);
}

const { config } = parsed;
const logger = createLogger(config.logLevel);

process.on('uncaughtException', (err) => {
	logger.fatal({ err }, 'uncaught exception');
	process.exit(1);
});

logger.info({ config: redactConfig(config) }, 'starting');
const relay = createRelay({ ...config, logger });

try {
	const { port, host } = await relay.listen();
	logger.info({ port, host }, 'listening');
} catch (err) {
	logger.fatal({ err }, 'cannot listen');
	process.exit(1);
}

let stopping = false;

/** @param {NodeJS.Signals} signal */
function stop(signal) {
	if (stopping) {
		// A second signal means "now".
		process.exit(1);
	}
	stopping = true;
	logger.info({ signal }, 'shutting down');
	setTimeout(() => {
		logger.error('shutdown took too long; exiting anyway');
		process.exit(1);
	}, forceExitMs).unref();
	relay.close().then(
		() => {
			logger.info('stopped');
			process.exit(0);
		},
		(/** @type {unknown} */ err) => {
			logger.error({ err }, 'shutdown failed');
			process.exit(1);
		}
	);
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);

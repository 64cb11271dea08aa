import { queryOf } from './access.js';

/**
 * The relay's plain HTTP side: /health for load balancers and people, /metrics for Prometheus,
 * one line at / saying what this is, and 404 for everything else.
 */

/**
 * @param {object} options
 * @param {() => object} options.health
 * @param {{ contentType: string, render: () => Promise<string> }} options.metrics
 * @param {import('pino').Logger} options.logger
 * @returns {(request: import('node:http').IncomingMessage,
 *   response: import('node:http').ServerResponse) => void}
 */
export function createRoutes({ health, metrics, logger }) {
	return (request, response) => {
		const target = request.url ?? '/';
		const query = target.indexOf('?');
		const path = query === -1 ? target : target.slice(0, query);
		const readable = request.method === 'GET' || request.method === 'HEAD';

		/**
		 * @param {number} status
		 * @param {string} type
		 * @param {string} body
		 */
		const reply = (status, type, body) => {
			response.writeHead(status, {
				'Content-Type': type,
				'Content-Length': Buffer.byteLength(body),
				'Cache-Control': 'no-store'
			});
			response.end(request.method === 'HEAD' ? undefined : body);
		};

		/** @param {unknown} err */
		const failed = (err) => {
			logger.error({ err, path }, 'request failed');
			if (response.headersSent) response.destroy();
			else reply(500, 'text/plain; charset=utf-8', 'internal error\n');
		};

		try {
			if (readable && path === '/health') {
				// Only when node runs with --expose-gc: shows the memory actually held rather than
				// garbage not collected yet (the memory test relies on it).
				if (queryOf(target).has('gc') && typeof globalThis.gc === 'function') globalThis.gc();
				reply(200, 'application/json', JSON.stringify(health()));
			} else if (readable && path === '/metrics') {
				metrics.render().then((text) => reply(200, metrics.contentType, text), failed);
			} else if (readable && path === '/') {
				reply(
					200,
					'text/plain; charset=utf-8',
					'Ours signaling relay (y-webrtc protocol): connect with a WebSocket. ' +
						'See /health and /metrics.\n'
				);
			} else {
				reply(404, 'text/plain; charset=utf-8', 'not found\n');
			}
		} catch (err) {
			failed(err);
		}
	};
}

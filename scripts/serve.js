// Serves the built app (build/) as a static host would: files as they are, every other path gets
// the app's fallback page, and the service worker is never cached by HTTP so updates are seen.
// The build holds a brotli (.br) and a gzip (.gz) copy of each text file (adapter-static's
// `precompress`): a browser that accepts one gets it, with its Content-Encoding, the original's
// Content-Type and `Vary: Accept-Encoding`, so caches keep the copies apart.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import Negotiator from 'negotiator';
import sirv from 'sirv';

/** The encodings the build has copies in, best first; `identity` is the file as it is. */
const ENCODINGS = ['br', 'gzip', 'identity'];

/**
 * The encoding to send for a request's Accept-Encoding (RFC 9110: q-values, `*`, `identity;q=0`):
 * the one the client likes most, and on a tie the smallest (brotli before gzip).
 * @param {{ headers: import('node:http').IncomingHttpHeaders }} req
 * @returns {'br' | 'gzip' | 'identity'}
 */
export function chooseEncoding(req) {
	const negotiator = new Negotiator(req);
	// negotiator 1.x takes the server's preference for ties (its published types predate it).
	const encodings =
		/** @type {(available: string[], options: { preferred: string[] }) => string[]} */ (
			negotiator.encodings.bind(negotiator)
		);
	const [best] = encodings(ENCODINGS, { preferred: ENCODINGS });
	// A client that refuses every coding, even identity, still gets the file as it is.
	return best === 'br' || best === 'gzip' ? best : 'identity';
}

/**
 * @param {{ port: number, host?: string, dir?: string }} options
 * @returns {Promise<import('node:http').Server>}
 */
export function serveApp({ port, host = '127.0.0.1', dir = 'build' }) {
	if (!existsSync(`${dir}/200.html`)) {
		throw new Error(`No built app in ${dir}/: run \`npm run build\` first.`);
	}
	const files = sirv(dir, {
		single: '200.html',
		etag: true,
		brotli: true,
		gzip: true,
		setHeaders(res, pathname) {
			if (pathname.startsWith('/_app/immutable/')) {
				res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
			} else {
				res.setHeader('Cache-Control', 'no-cache');
			}
		}
	});
	const server = createServer((req, res) => {
		// sirv picks the .br or .gz copy by a plain substring test of Accept-Encoding; it is given
		// the one encoding negotiated here, so `br;q=0` or `gzip;q=0` is respected.
		const encoding = chooseEncoding(req);
		req.headers['accept-encoding'] = encoding === 'identity' ? '' : encoding;
		files(req, res);
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(server));
	});
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const port = Number(process.env.PORT ?? 4173);
	const host = process.env.HOST ?? '127.0.0.1';
	await serveApp({ port, host });
	console.log(`Ours app on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
}

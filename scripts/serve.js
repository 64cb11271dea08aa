// Serves the built app (build/) as a static host would: files as they are, every other path gets
// the app's fallback page, and the service worker is never cached by HTTP so updates are seen.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import sirv from 'sirv';

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
		setHeaders(res, pathname) {
			if (pathname.startsWith('/_app/immutable/')) {
				res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
			} else {
				res.setHeader('Cache-Control', 'no-cache');
			}
		}
	});
	const server = createServer((req, res) => files(req, res));
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

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, serveApp } from '../../../scripts/serve.js';

// A built app in miniature, as adapter-static's `precompress` leaves it: each text file with a
// brotli and a gzip copy beside it, an image without.
const SHELL = '<!doctype html><title>Ours</title>' + '<p>shell</p>'.repeat(200);
const SCRIPT = 'export const answer = 42;\n'.repeat(300);
const MANIFEST = JSON.stringify({ name: 'Ours', icons: Array(50).fill({ src: '/icon.png' }) });
const IMAGE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);

let dir: string;
let server: Server;
let port: number;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ours-serve-'));
	const texts: Array<[string, string]> = [
		['200.html', SHELL],
		['app.js', SCRIPT],
		['manifest.webmanifest', MANIFEST]
	];
	for (const [name, text] of texts) {
		await writeFile(join(dir, name), text);
		await writeFile(join(dir, `${name}.br`), brotliCompressSync(text));
		await writeFile(join(dir, `${name}.gz`), gzipSync(text));
	}
	await writeFile(join(dir, 'icon.png'), IMAGE);
	server = await serveApp({ port: 0, dir });
	port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
	await rm(dir, { recursive: true, force: true });
});

/** A GET with the given Accept-Encoding (none when undefined), the body as sent on the wire. */
function get(
	path: string,
	acceptEncoding?: string
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
		const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
			);
		});
		req.on('error', reject);
		req.end();
	});
}

/** The body as the client reads it once its Content-Encoding is undone. */
function decoded(response: { headers: IncomingHttpHeaders; body: Buffer }): string {
	const encoding = response.headers['content-encoding'];
	if (encoding === 'br') return brotliDecompressSync(response.body).toString();
	if (encoding === 'gzip') return gunzipSync(response.body).toString();
	expect(encoding).toBeUndefined();
	return response.body.toString();
}

describe('npm start serves the precompressed copies', () => {
	it('sends brotli to a browser that accepts it, with the type of the original file', async () => {
		const response = await get('/app.js', 'gzip, deflate, br, zstd');
		expect(response.status).toBe(200);
		expect(response.headers['content-encoding']).toBe('br');
		expect(response.headers['content-type']).toBe('text/javascript');
		expect(response.headers['vary']).toBe('Accept-Encoding');
		expect(Number(response.headers['content-length'])).toBe(response.body.length);
		expect(response.body.length).toBeLessThan(SCRIPT.length / 10);
		expect(decoded(response)).toBe(SCRIPT);
	});

	it('sends gzip to a client without brotli, and to one that refuses it with q=0', async () => {
		for (const accept of ['gzip, deflate', 'br;q=0, gzip', 'gzip;q=1, br;q=0.5']) {
			const response = await get('/app.js', accept);
			expect(response.headers['content-encoding'], accept).toBe('gzip');
			expect(response.headers['content-type']).toBe('text/javascript');
			expect(decoded(response)).toBe(SCRIPT);
		}
	});

	it('sends the file as it is without Accept-Encoding, or when every coding is refused', async () => {
		for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate', '*;q=0']) {
			const response = await get('/app.js', accept);
			expect(response.headers['content-encoding'], String(accept)).toBeUndefined();
			expect(response.headers['vary']).toBe('Accept-Encoding');
			expect(response.body.toString()).toBe(SCRIPT);
		}
	});

	it('takes `*` as any coding', async () => {
		const response = await get('/app.js', '*');
		expect(response.headers['content-encoding']).toBe('br');
		expect(decoded(response)).toBe(SCRIPT);
	});

	it('serves the fallback page compressed for any route, as HTML', async () => {
		const response = await get('/coop/abc/sync', 'br, gzip');
		expect(response.status).toBe(200);
		expect(response.headers['content-encoding']).toBe('br');
		expect(response.headers['content-type']).toBe('text/html;charset=utf-8');
		expect(response.headers['cache-control']).toBe('no-cache');
		expect(decoded(response)).toBe(SHELL);
	});

	it('keeps the web manifest its own type when compressed', async () => {
		const response = await get('/manifest.webmanifest', 'gzip');
		expect(response.headers['content-encoding']).toBe('gzip');
		expect(response.headers['content-type']).toBe('application/manifest+json');
		expect(JSON.parse(decoded(response))).toEqual(JSON.parse(MANIFEST));
	});

	it('sends a file that has no compressed copy as it is', async () => {
		const response = await get('/icon.png', 'br, gzip');
		expect(response.headers['content-encoding']).toBeUndefined();
		expect(response.headers['content-type']).toBe('image/png');
		expect(response.body.equals(IMAGE)).toBe(true);
	});

	it('gives each copy its own ETag, so a cached brotli body is never revalidated as gzip', async () => {
		const br = await get('/app.js', 'br');
		const gzip = await get('/app.js', 'gzip');
		expect(br.headers.etag).toBeTruthy();
		expect(br.headers.etag).not.toBe(gzip.headers.etag);
	});
});

describe('chooseEncoding', () => {
	const choose = (accept?: string) =>
		chooseEncoding({ headers: accept === undefined ? {} : { 'accept-encoding': accept } });

	it('follows the q-values, and prefers brotli on a tie', () => {
		expect(choose('gzip, br')).toBe('br');
		expect(choose('br;q=0.1, gzip;q=0.9')).toBe('gzip');
		expect(choose('BR')).toBe('br');
		expect(choose('identity;q=0, gzip')).toBe('gzip');
		expect(choose('identity;q=0')).toBe('identity');
		expect(choose('')).toBe('identity');
		expect(choose()).toBe('identity');
	});
});

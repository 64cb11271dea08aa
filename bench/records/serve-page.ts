import { createServer, type Server } from 'node:http';

/**
 * Serves a browser benchmark from a real local address on a free port: `script` as `/bench.js`,
 * each of `files` at its path, and a page titled `title` that runs the script at any other path.
 */
export function serveBenchPage(
	title: string,
	script: string,
	files: ReadonlyMap<string, Uint8Array>
): Promise<Server> {
	const page = `<!doctype html><title>${title}</title><script type="module" src="/bench.js"></script>`;
	const server = createServer((request, response) => {
		const file = files.get(request.url ?? '');
		if (file !== undefined) {
			response.writeHead(200, { 'content-type': 'application/octet-stream' });
			response.end(file);
		} else if (request.url === '/bench.js') {
			response.writeHead(200, { 'content-type': 'text/javascript' });
			response.end(script);
		} else {
			response.writeHead(200, { 'content-type': 'text/html' });
			response.end(page);
		}
	});
	return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

// Bundles one module of the project, with everything it imports, into a single ES module for a
// bare page that tests and benchmarks serve themselves (an attacker page, a benchmark page): the
// app's own code runs there without being part of the app or its server.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

/**
 * @param {string} entry path of the entry module (it may import `$lib/...` and packages)
 * @returns {Promise<string>} the bundle's code
 */
export async function bundleForBrowser(entry) {
	const dir = await mkdtemp(join(tmpdir(), 'ours-bundle-'));
	try {
		await build({
			configFile: false,
			logLevel: 'silent',
			root: dir,
			resolve: { alias: { $lib: resolve('src/lib') } },
			define: { 'process.env.NODE_ENV': '"production"' },
			build: {
				outDir: dir,
				lib: { entry: resolve(entry), formats: ['es'], fileName: () => 'bundle.js' },
				minify: false
			}
		});
		return await readFile(join(dir, 'bundle.js'), 'utf8');
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the command-line verifier (`src/cli/verify.ts`) into `.verify-build/verify.js` for
 * Node, as the peer is built: the app's credential code with its `$lib` paths resolved, npm
 * dependencies left for Node to load. `npm run verify -- <file>` builds it and runs it.
 */
export default defineConfig({
	publicDir: false,
	logLevel: 'error',
	resolve: { alias: { $lib: fileURLToPath(new URL('../src/lib', import.meta.url)) } },
	build: {
		ssr: 'src/cli/verify.ts',
		outDir: '.verify-build',
		emptyOutDir: true,
		target: 'node20',
		rollupOptions: { output: { entryFileNames: 'verify.js' } }
	}
});

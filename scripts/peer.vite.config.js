import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the always-on peer (`src/peer/`) into `.peer-build/main.js` for Node: the app's code
 * with its `$lib` paths resolved, and its npm dependencies left for Node to load.
 *
 * y-webrtc is bundled rather than loaded by Node so that its import of simple-peer's prebuilt
 * browser file can be pointed at simple-peer's Node entry, which takes `wrtc` from
 * node-datachannel. Bundling it keeps the patched `src/y-webrtc.js` (chunked messages) in use.
 */
export default defineConfig({
	publicDir: false,
	resolve: {
		alias: {
			$lib: fileURLToPath(new URL('../src/lib', import.meta.url)),
			'simple-peer/simplepeer.min.js': 'simple-peer'
		}
	},
	ssr: { noExternal: ['y-webrtc'] },
	build: {
		ssr: 'src/peer/main.ts',
		outDir: '.peer-build',
		emptyOutDir: true,
		target: 'node20',
		sourcemap: true,
		rollupOptions: { output: { entryFileNames: 'main.js' } }
	}
});

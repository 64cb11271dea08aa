import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Layer boundaries (see docs/architecture.md). Each entry forbids a layer from importing
 * what sits above it or what it must stay independent of.
 * @param {string[]} patterns
 * @param {string} message
 */
const forbid = (patterns, message) => ({
	'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }]
});

const browserOnly = ['svelte', 'svelte/*', 'yjs', 'y-*', 'lib0/*', '$app/*', '$lib/paraglide/*'];

/** The UI: Svelte, SvelteKit, the runes classes, components and pages. */
const uiOnly = [
	'svelte',
	'svelte/*',
	'$app/*',
	'$lib/state/*',
	'$lib/components/*',
	'**/routes/**'
];

/** The Node peer (`src/peer`) sits above the library: nothing in `src/lib` may reach it. */
const notPeer = ['**/peer/*'];

/** The browser's adapters: chosen by the state layer, never by the session. */
const concreteAdapters = [
	'$lib/storage/vault',
	'$lib/storage/doc-persistence',
	'$lib/storage/key-store',
	'$lib/storage/device-store',
	'$lib/sync/peer-sync'
];

/** Storage modules that are IndexedDB or localStorage: the peer keeps files instead. */
const browserStorage = [
	'$lib/storage/*',
	'!$lib/storage/record-vault',
	'!$lib/storage/persistence-adapter',
	'!$lib/storage/coop-entry'
];

/** Globals that reach outside the program: storage, network, the page. */
const browserIo = [
	'window',
	'document',
	'navigator',
	'localStorage',
	'sessionStorage',
	'indexedDB',
	'fetch',
	'XMLHttpRequest',
	'WebSocket',
	'BroadcastChannel',
	'RTCPeerConnection'
];

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'src/lib/paraglide/',
			'test-results/',
			'playwright-report/',
			'bench/results/',
			'.peer-build/',
			'.peer-data/',
			'.verify-build/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				projectService: { allowDefaultProject: ['*.js', '.ci/*.js'] },
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte']
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			'no-console': ['error', { allow: ['warn', 'error'] }]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { parser: ts.parser, svelteConfig }
		}
	},
	{
		// The service worker has its own globals and is type-checked by the build, not the app's tsconfig.
		files: ['src/service-worker.ts'],
		...ts.configs.disableTypeChecked
	},
	{
		files: ['src/lib/domain/**'],
		rules: forbid(
			[...browserOnly, '$lib/storage/*', '$lib/sync/*', '$lib/session/*', '$lib/state/*'],
			'The domain is pure: plain data in, plain data out (no Yjs, Svelte or I/O).'
		)
	},
	{
		files: ['src/lib/crypto/**'],
		rules: forbid(
			[...browserOnly, '$lib/domain/*', '$lib/storage/*', '$lib/sync/*', '$lib/session/*'],
			'Crypto depends on nothing but WebCrypto and its own helpers.'
		)
	},
	{
		files: ['src/lib/credentials/**'],
		rules: {
			...forbid(
				[
					...new Set([...browserOnly, ...uiOnly]),
					'$lib/storage/*',
					'$lib/sync/*',
					'$lib/session/*',
					'node:*',
					...notPeer
				],
				'Credentials are pure TypeScript for the browser and Node: crypto and the domain, no I/O.'
			),
			'no-restricted-globals': ['error', ...browserIo]
		}
	},
	{
		files: ['src/lib/util/**'],
		rules: {
			...forbid(
				[
					...uiOnly,
					'yjs',
					'y-*',
					'lib0/*',
					'idb',
					'node:*',
					'$lib/domain/*',
					'$lib/storage/*',
					'$lib/sync/*',
					'$lib/session/*',
					...notPeer
				],
				'Utilities are pure helpers: plain data in and out, nothing from the layers above, no I/O.'
			),
			'no-restricted-globals': ['error', ...browserIo]
		}
	},
	{
		files: ['src/lib/storage/**'],
		rules: forbid(
			[...uiOnly, '$lib/sync/*', '$lib/session/*', ...notPeer],
			'Storage knows nothing of the UI, of sync or of sessions.'
		)
	},
	{
		files: ['src/lib/sync/**'],
		rules: forbid(
			[...uiOnly, '$lib/session/*', ...notPeer],
			'Sync knows nothing of the UI or of sessions.'
		)
	},
	{
		files: ['src/lib/session/**'],
		rules: forbid(
			[...uiOnly, 'y-indexeddb', 'y-webrtc', 'idb', 'node:*', ...concreteAdapters, ...notPeer],
			'A session is plain TypeScript given its adapters (vault, document persistence, network): the state layer and the peer choose them.'
		)
	},
	{
		files: ['src/peer/**'],
		rules: forbid(
			[...uiOnly, '$lib/paraglide/*', 'idb', 'y-indexeddb', ...browserStorage],
			'The peer is a Node program: it opens co-ops through the session with its own adapters (files, node-datachannel), never the UI or IndexedDB.'
		)
	},
	{
		files: ['src/cli/**'],
		rules: forbid(
			[
				...uiOnly,
				'$lib/paraglide/*',
				'yjs',
				'y-*',
				'$lib/storage/*',
				'$lib/sync/*',
				'$lib/session/*',
				...notPeer
			],
			'The command-line verifier is a Node program over the credentials library: no co-op, no UI.'
		)
	},
	{
		files: ['src/lib/components/**', 'src/routes/**'],
		rules: forbid(
			['yjs', 'y-*', '$lib/storage/*', '$lib/sync/*', '$lib/session/*'],
			'The UI reaches a co-op only through the runes classes in $lib/state.'
		)
	},
	{
		files: ['signaling/**'],
		rules: forbid(
			['$lib', '$lib/*', '../../src/**', '../../../src/**', 'yjs', 'y-*', 'svelte', 'svelte/*'],
			'The relay is a standalone program: it imports no app code.'
		)
	},
	{
		files: ['scripts/**', 'signaling/**', 'bench/**', '.ci/**', 'src/cli/**'],
		rules: { 'no-console': 'off' }
	}
);

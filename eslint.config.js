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
			'.peer-data/'
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
		files: ['src/lib/storage/**', 'src/lib/sync/**'],
		rules: forbid(
			['svelte', 'svelte/*', '$app/*', '$lib/session/*', '$lib/state/*', '$lib/components/*'],
			'Storage and sync know nothing of the UI or of sessions.'
		)
	},
	{
		files: ['src/lib/session/**'],
		rules: forbid(
			['svelte', 'svelte/*', '$app/*', '$lib/state/*', '$lib/components/*'],
			'A session is plain TypeScript: the runes classes in state/ wrap it for the UI.'
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
		files: ['scripts/**', 'signaling/**', 'bench/**', '.ci/**'],
		rules: { 'no-console': 'off' }
	}
);

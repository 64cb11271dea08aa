import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '$lib/crypto/canonical-json';
import { didKeyOf } from '$lib/credentials/did-key';
import { generateSigningKey } from '$lib/crypto/keys';
import { coopCredential, coSign } from './coop-credential';

const run = promisify(execFile);
const ROOT = new URL('../../..', import.meta.url).pathname;
const VECTOR = join(ROOT, 'tests/fixtures/vc-di-eddsa/signedJCS.json');
let dir = '';

/** Runs the built verifier as `npm run verify` does, on `file`. */
async function verify(file: string): Promise<{ code: number; stdout: string }> {
	try {
		const { stdout } = await run('node', ['.verify-build/verify.js', file], { cwd: ROOT });
		return { code: 0, stdout };
	} catch (error) {
		const failed = error as { code: number; stdout: string };
		return { code: failed.code, stdout: failed.stdout };
	}
}

async function write(name: string, content: string | Uint8Array): Promise<string> {
	const path = join(dir, name);
	await writeFile(path, content);
	return path;
}

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ours-verify-'));
	// `npm run verify` itself: builds the verifier, then runs it on the W3C vector.
	const { stdout } = await run('npm', ['run', '--silent', 'verify', '--', VECTOR], { cwd: ROOT });
	expect(stdout).toContain('VERIFIED');
}, 120_000);

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('npm run verify', () => {
	it('accepts the W3C vector: exit 0, the proof and its signer', async () => {
		const { code, stdout } = await verify(VECTOR);
		expect(code).toBe(0);
		expect(stdout).toContain(
			'✓ proof: eddsa-jcs-2022 signature verified by did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2'
		);
	});

	it('accepts a co-op record, with each co-signer and the membership evidence', async () => {
		const { signed, people } = await coopCredential();
		const { code, stdout } = await verify(
			await write('record.json', JSON.stringify(signed, null, 2))
		);
		expect(code).toBe(0);
		expect(stdout).toContain(
			`✓ proof[0]: eddsa-jcs-2022 signature verified by ${didKeyOf(people[0]!.id)}`
		);
		expect(stdout).toContain(
			`✓ proof[1]: eddsa-jcs-2022 signature verified by ${didKeyOf(people[1]!.id)}`
		);
		expect(stdout).toContain('Membership evidence (co-op');
		expect(stdout).toContain(`✓ ${didKeyOf(people[0]!.id)} founded the co-op`);
		expect(stdout).toContain(
			`✓ ${didKeyOf(people[1]!.id)} joined with an invite from ${didKeyOf(people[0]!.id)}`
		);
		expect(stdout).toContain('VERIFIED: all 2 proof(s) verify.');
	});

	it('refuses a tampered copy: exit 1, with the proof that fails', async () => {
		const { signed } = await coopCredential();
		const text = JSON.stringify(signed).replace('"minutes":', '"minutes":1');
		const { code, stdout } = await verify(await write('tampered.json', text));
		expect(code).toBe(1);
		expect(stdout).toContain('✗ proof[0]');
		expect(stdout).toContain('changed after it was signed');
		expect(stdout).toContain('FAILED');
	});

	it('refuses signatures by non-members: exit 1, naming the key', async () => {
		const { unsigned, people } = await coopCredential();
		const stranger = await generateSigningKey();
		const signed = await coSign(unsigned, [people[0]!.key, stranger]);
		const { code, stdout } = await verify(await write('stranger.json', JSON.stringify(signed)));
		expect(code).toBe(1);
		expect(stdout).toContain(
			`✓ proof[1]: eddsa-jcs-2022 signature verified by ${didKeyOf(stranger.publicKey)}`
		);
		expect(stdout).toContain(
			`✗ ${didKeyOf(stranger.publicKey)}: the records do not show this key was a member's`
		);
		expect(stdout).toContain(
			'FAILED: the signatures verify, but the membership evidence does not hold.'
		);
	});

	it('is not a credential: exit 2 for junk, truncated, 50 MB, missing files', async () => {
		const vector = await readFile(VECTOR, 'utf8');
		const truncated = await verify(await write('truncated.json', vector.slice(0, 200)));
		expect(truncated).toMatchObject({ code: 2 });
		expect(truncated.stdout).toContain('truncated');
		expect((await verify(await write('other.json', '{"hello":"world"}'))).code).toBe(2);
		const big = await verify(await write('big.json', new Uint8Array(50 * 1024 * 1024).fill(0x20)));
		expect(big.code).toBe(2);
		expect(big.stdout).toContain('larger than any credential');
		expect((await verify(join(dir, 'absent.json'))).code).toBe(2);
	});

	it('exit 1 for an unknown context or cryptosuite', async () => {
		const vector = JSON.parse(await readFile(VECTOR, 'utf8')) as { [key: string]: JsonValue };
		const suite = {
			...vector,
			proof: { ...(vector['proof'] as object), cryptosuite: 'ecdsa-jcs-2019' }
		};
		const suiteRun = await verify(await write('suite.json', JSON.stringify(suite)));
		expect(suiteRun.code).toBe(1);
		expect(suiteRun.stdout).toContain('cryptosuite other than eddsa-jcs-2022');
		const context = {
			...vector,
			'@context': [...(vector['@context'] as string[]), 'https://example.org/mine']
		};
		const contextRun = await verify(await write('context.json', JSON.stringify(context)));
		expect(contextRun.code).toBe(1);
		expect(contextRun.stdout).toContain('https://example.org/mine');
	});
});

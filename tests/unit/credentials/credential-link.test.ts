import { describe, expect, it } from 'vitest';
import {
	credentialFragment,
	MAX_LINK_DATA,
	readCredentialFragment
} from '$lib/credentials/credential-link';
import { packText } from '$lib/credentials/qr-sequence';
import { verifyCredentialInput } from '$lib/credentials/verify';
import { coopCredential } from './coop-credential';

const NOW = Date.UTC(2026, 5, 1);

describe('credential links', () => {
	it('carry a co-signed credential in the fragment, which reads back and verifies', async () => {
		const text = JSON.stringify((await coopCredential({ jobs: 150 })).signed, null, 2);
		const fragment = (await credentialFragment(text))!;
		expect(fragment).toMatch(/^#vc=[A-Za-z0-9_-]+$/);
		const link = `https://app.example/verify${fragment}`;
		for (const input of [fragment, fragment.slice(1), link]) {
			const read = await readCredentialFragment(input);
			expect(read.ok).toBe(true);
			if (!read.ok) continue;
			expect(new TextDecoder().decode(read.bytes)).toBe(text);
			expect((await verifyCredentialInput(read.bytes, { now: NOW })).status).toBe('verified');
		}
	});

	it('an altered link unpacks to a credential that does not verify, or not at all', async () => {
		const text = JSON.stringify((await coopCredential({ jobs: 150 })).signed);
		const signed = JSON.parse(text) as { credentialSubject: { name: string } };
		signed.credentialSubject.name = 'Someone else';
		const altered = (await credentialFragment(JSON.stringify(signed)))!;
		const read = await readCredentialFragment(altered);
		expect(read.ok).toBe(true);
		if (read.ok) {
			const report = await verifyCredentialInput(read.bytes, { now: NOW });
			expect(report.status).toBe('failed');
			expect(report.proofs.every((proof) => proof.problem?.code === 'signature-mismatch')).toBe(
				true
			);
		}
		const fragment = (await credentialFragment(text))!;
		const cut = fragment.slice(0, Math.floor(fragment.length / 2));
		expect(await readCredentialFragment(cut)).toEqual({ ok: false, problem: 'data' });
	});

	it('refuses junk with the reason: empty, not ours, too long, not unpacking, a bomb', async () => {
		expect(await readCredentialFragment('')).toEqual({ ok: false, problem: 'empty' });
		expect(await readCredentialFragment('#')).toEqual({ ok: false, problem: 'empty' });
		expect(await readCredentialFragment('#join=abc')).toEqual({ ok: false, problem: 'format' });
		expect(await readCredentialFragment('#vc=a+b/c')).toEqual({ ok: false, problem: 'format' });
		expect(await readCredentialFragment('#vc=' + 'A'.repeat(MAX_LINK_DATA + 1))).toEqual({
			ok: false,
			problem: 'size'
		});
		expect(await readCredentialFragment('#vc=AAAA')).toEqual({ ok: false, problem: 'data' });
		// 3 MiB of spaces packs into a few KiB: unpacking stops at the largest credential.
		const bomb = await packText(' '.repeat(3 * 1024 * 1024));
		expect(bomb.length).toBeLessThan(MAX_LINK_DATA);
		expect(await readCredentialFragment(`#vc=${bomb}`)).toEqual({ ok: false, problem: 'data' });
	});

	it('refuses to make a link past the limit, leaving the file and the QR codes', async () => {
		const random = Array.from({ length: 40_000 }, (_, index) =>
			((index * 7919) % 65_521).toString(36)
		).join('');
		expect(await credentialFragment(JSON.stringify({ random }))).toBeUndefined();
	});
});

import { describe, expect, it } from 'vitest';
import { sha256, sha256Base64url } from '$lib/crypto/hash';

describe('SHA-256', () => {
	it('matches the FIPS 180-2 "abc" vector, as base64url', async () => {
		expect(await sha256Base64url('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
	});

	it('hashes the empty input', async () => {
		expect(await sha256Base64url(new Uint8Array(0))).toBe(
			'47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU'
		);
	});

	it('hashes text as UTF-8', async () => {
		expect(await sha256('é')).toEqual(await sha256(Uint8Array.from([0xc3, 0xa9])));
	});
});

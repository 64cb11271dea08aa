import { describe, expect, it } from 'vitest';
import {
	Base64urlError,
	decodeBase64url,
	encodeBase64url,
	isBase64urlOf,
	tryDecodeBase64url
} from '$lib/crypto/base64url';

function bytesOf(length: number, seed: number): Uint8Array<ArrayBuffer> {
	return Uint8Array.from({ length }, (_, index) => (index * 31 + seed * 17 + 7) & 0xff);
}

describe('base64url', () => {
	it('round-trips every length from 0 to 64 bytes and agrees with Node', () => {
		for (let length = 0; length <= 64; length++) {
			const bytes = bytesOf(length, length);
			const text = encodeBase64url(bytes);
			expect(text).toBe(Buffer.from(bytes).toString('base64url'));
			expect(decodeBase64url(text)).toEqual(bytes);
		}
	});

	it('round-trips all 256 byte values', () => {
		const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
		expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes);
	});

	it('encodes the RFC 4648 test vectors without padding', () => {
		const vectors: [string, string][] = [
			['', ''],
			['f', 'Zg'],
			['fo', 'Zm8'],
			['foo', 'Zm9v'],
			['foob', 'Zm9vYg'],
			['fooba', 'Zm9vYmE'],
			['foobar', 'Zm9vYmFy']
		];
		for (const [plain, encoded] of vectors) {
			expect(encodeBase64url(new TextEncoder().encode(plain))).toBe(encoded);
		}
	});

	it('uses - and _ where base64 uses + and /', () => {
		expect(encodeBase64url(Uint8Array.from([0xfb, 0xff]))).toBe('-_8');
	});

	it.each([
		['padding', 'Zg=='],
		['standard alphabet +', '+w'],
		['standard alphabet /', '/w'],
		['whitespace', 'Zm9v '],
		['impossible length', 'Zm9vY'],
		['non-zero trailing bits (1 byte)', 'Zh'],
		['non-zero trailing bits (2 bytes)', 'Zm9'.slice(0, 2) + 'Z'],
		['non-ASCII', 'Zmé'],
		['NUL', 'Zm\u0000v']
	])('rejects %s', (_name, text) => {
		expect(tryDecodeBase64url(text)).toBeUndefined();
		expect(() => decodeBase64url(text)).toThrow(Base64urlError);
	});

	it('gives each byte string exactly one accepted spelling', () => {
		// 'Zg' is 0x66; 'Zh'..'Zv' carry the same first byte with stray low bits.
		const spellings = 'ghijklmnopqrstuv'.split('').map((last) => `Z${last}`);
		const accepted = spellings.filter((text) => tryDecodeBase64url(text) !== undefined);
		expect(accepted).toEqual(['Zg']);
	});

	it('checks the decoded length with isBase64urlOf', () => {
		const key = encodeBase64url(bytesOf(32, 1));
		expect(isBase64urlOf(key, 32)).toBe(true);
		expect(isBase64urlOf(key, 16)).toBe(false);
		expect(isBase64urlOf(key.slice(0, 42) + 'B', 32)).toBe(false);
		expect(isBase64urlOf(42, 32)).toBe(false);
	});
});

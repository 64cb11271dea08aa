import { describe, expect, it } from 'vitest';
import { isBase64urlOf } from '$lib/crypto/base64url';
import { randomBytes, randomId, randomSecret, WeakRandomError } from '$lib/crypto/random';

describe('random ids and secrets', () => {
	it('makes 128-bit ids and 256-bit secrets in canonical base64url', () => {
		expect(isBase64urlOf(randomId(), 16)).toBe(true);
		expect(isBase64urlOf(randomSecret(), 32)).toBe(true);
	});

	it('does not repeat itself over 10,000 ids', () => {
		const ids = new Set(Array.from({ length: 10_000 }, randomId));
		expect(ids.size).toBe(10_000);
	});

	it('refuses to make fewer than 128 random bits', () => {
		expect(() => randomBytes(15)).toThrow(WeakRandomError);
		expect(() => randomBytes(16.5)).toThrow(WeakRandomError);
		expect(randomBytes(16)).toHaveLength(16);
	});
});

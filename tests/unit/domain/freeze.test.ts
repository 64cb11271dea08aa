import { describe, expect, it } from 'vitest';
import { deepFreeze } from '$lib/domain/kernel/freeze';

describe('deepFreeze', () => {
	it('freezes every object and list inside a value, however deep', () => {
		const value = { a: [{ b: { c: [1, [2]] } }], d: null, e: 'text' };
		deepFreeze(value);
		expect(Object.isFrozen(value)).toBe(true);
		expect(Object.isFrozen(value.a)).toBe(true);
		expect(Object.isFrozen(value.a[0])).toBe(true);
		expect(Object.isFrozen(value.a[0]!.b)).toBe(true);
		expect(Object.isFrozen(value.a[0]!.b.c)).toBe(true);
		expect(Object.isFrozen(value.a[0]!.b.c[1])).toBe(true);
	});

	it('stops at a part frozen already, and returns the value itself', () => {
		const shared = Object.freeze({ inner: { open: true } });
		const value = { shared, own: { open: true } };
		expect(deepFreeze(value)).toBe(value);
		expect(Object.isFrozen(value.own)).toBe(true);
		// A frozen part is taken as frozen all the way down (parts are frozen as they are made).
		expect(Object.isFrozen(shared.inner)).toBe(false);
	});

	it('leaves primitives as they are', () => {
		expect(deepFreeze(3)).toBe(3);
		expect(deepFreeze(null)).toBe(null);
		expect(deepFreeze('x')).toBe('x');
	});
});

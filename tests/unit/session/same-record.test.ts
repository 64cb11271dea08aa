import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { canonicalJson } from '$lib/crypto/canonical-json';
import { sameCanonical } from '$lib/session/same-record';

/** `canonicalJson(value) === canonicalJson(expected)`, with "no canonical form" as different. */
function sameBytes(value: unknown, expected: unknown): boolean {
	try {
		return canonicalJson(value) === canonicalJson(expected);
	} catch {
		return false;
	}
}

const record = {
	v: 1,
	type: 'coop.genesis',
	created: 0,
	name: 'Boulangerie',
	settings: { inviteDays: 30, locale: 'fr' },
	skills: ['baking', 'bikes']
};

const withHole = (): unknown[] => {
	const list: unknown[] = ['baking'];
	list.length = 2;
	return list;
};

const variants: ReadonlyArray<readonly [string, unknown]> = [
	['the same value', structuredClone(record)],
	['keys in another order', Object.fromEntries(Object.entries(record).reverse())],
	['-0 for 0', { ...record, created: -0 }],
	['a bigint for a number', { ...record, created: 0n }],
	['a string for a number', { ...record, created: '0' }],
	['an extra undefined key', { ...record, extra: undefined }],
	['a missing key', { ...record, name: undefined }],
	['a hole in an array', { ...record, skills: withHole() }],
	[
		'a shared type for an object',
		{ ...record, settings: new Y.Map(Object.entries(record.settings)) }
	],
	['a null-prototype object', Object.assign(Object.create(null) as object, record)],
	['a class instance', Object.assign(new (class Record {})(), record)],
	['a typed array for an array', { ...record, skills: new Uint8Array([1, 2]) }],
	[
		'a hidden property',
		Object.defineProperty({ ...record }, 'hidden', { value: 1, enumerable: false })
	],
	[
		'a getter',
		Object.defineProperty({ ...record }, 'name', { get: () => 'Boulangerie', enumerable: true })
	],
	['a symbol key', { ...record, [Symbol('x')]: 1 }],
	['a nested change', { ...record, settings: { inviteDays: 31, locale: 'fr' } }]
];

describe('comparing a map value with a verified record', () => {
	it.each(variants)('agrees with canonical bytes: %s', (_name, value) => {
		expect(sameCanonical(value, record)).toBe(sameBytes(value, record));
	});

	it('tells -0 from 0, which comparing by value did not', () => {
		expect(sameCanonical({ ...record, created: -0 }, record)).toBe(false);
		expect(sameCanonical(structuredClone(record), record)).toBe(true);
	});
});

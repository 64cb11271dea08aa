import { describe, expect, it } from 'vitest';
import { prng } from '../domain/fixtures';
import { encodeBase64url } from '$lib/crypto/base64url';
import {
	canonicalBytes,
	canonicalJson,
	canonicalJsonOmitting,
	CanonicalJsonError,
	isJsonValue,
	MAX_JSON_DEPTH
} from '$lib/crypto/canonical-json';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function float(hexBits: string): number {
	return Buffer.from(hexBits, 'hex').readDoubleBE(0);
}

describe('canonical JSON (RFC 8785)', () => {
	it('canonicalizes the example of RFC 8785 section 3.2.2', () => {
		const input = JSON.parse(
			'{"numbers": [333333333.3333333, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
				'"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
				'"literals": [null, true, false]}'
		) as unknown;
		expect(canonicalJson(input)).toBe(
			'{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
				'"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
		);
	});

	it('sorts keys by UTF-16 code units as in RFC 8785 section 3.2.3', () => {
		const input = JSON.parse(
			'{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh",' +
				'"1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control",' +
				'"\\u00f6":"Latin Small Letter O With Diaeresis"}'
		) as Record<string, string>;
		expect(canonicalJson(input)).toBe(
			'{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
				'"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
				'"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
		);
		// The keys' UTF-8 bytes in the order the RFC lists them.
		const keys = Object.keys(input).sort();
		expect(keys.map((key) => hex(new TextEncoder().encode(key)))).toEqual([
			'0d',
			'31',
			'c280',
			'c3b6',
			'e282ac',
			'f09f9880',
			'efacb3'
		]);
	});

	it.each([
		['0000000000000000', '0'],
		['0000000000000001', '5e-324'],
		['8000000000000001', '-5e-324'],
		['7fefffffffffffff', '1.7976931348623157e+308'],
		['ffefffffffffffff', '-1.7976931348623157e+308'],
		['4340000000000000', '9007199254740992'],
		['c340000000000000', '-9007199254740992'],
		['4430000000000000', '295147905179352830000'],
		['44b52d02c7e14af5', '9.999999999999997e+22'],
		['44b52d02c7e14af6', '1e+23'],
		['44b52d02c7e14af7', '1.0000000000000001e+23'],
		['444b1ae4d6e2ef4e', '999999999999999700000'],
		['444b1ae4d6e2ef4f', '999999999999999900000'],
		['444b1ae4d6e2ef50', '1e+21'],
		['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
		['3eb0c6f7a0b5ed8d', '0.000001'],
		['41b3de4355555553', '333333333.3333332'],
		['41b3de4355555554', '333333333.33333325'],
		['41b3de4355555555', '333333333.3333333'],
		['41b3de4355555556', '333333333.3333334'],
		['41b3de4355555557', '333333333.33333343'],
		['becbf647612f3696', '-0.0000033333333333333333'],
		['43143ff3c1cb0959', '1424953923781206.2']
	])('writes the IEEE 754 value %s as %s (RFC 8785 appendix B)', (bits, expected) => {
		expect(canonicalJson(float(bits))).toBe(expected);
	});

	it('escapes only what RFC 8785 escapes, with lowercase hex', () => {
		expect(canonicalJson('\u0000\u0008\t\n\u000b\f\r\u001f')).toBe(
			'"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f"'
		);
		expect(canonicalJson('\u007f\u2028\u2029é€😀')).toBe('"\u007f\u2028\u2029é€😀"');
		expect(canonicalJson('"\\/')).toBe('"\\"\\\\/"');
	});

	it('sorts nested objects and keeps array order', () => {
		expect(canonicalJson({ b: [3, { z: 1, a: 2 }], a: { d: null, c: true } })).toBe(
			'{"a":{"c":true,"d":null},"b":[3,{"a":2,"z":1}]}'
		);
	});

	it('returns the UTF-8 bytes of the canonical text', () => {
		expect(hex(canonicalBytes({ '€': 1 }))).toBe(hex(new TextEncoder().encode('{"€":1}')));
	});

	it('keeps an own __proto__ key (as JSON.parse makes it) as an ordinary key', () => {
		const parsed = JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown;
		expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"a":2}');
	});

	it('accepts objects without a prototype', () => {
		const bare = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
		expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
	});

	class Point {
		x = 1;
	}
	const cyclic: Record<string, unknown> = {};
	cyclic.self = cyclic;
	const sparse: unknown[] = [];
	sparse[0] = 1;
	sparse[2] = 3;
	let deep: unknown = 0;
	for (let level = 0; level <= MAX_JSON_DEPTH; level++) deep = [deep];

	it.each([
		['undefined', undefined],
		['undefined inside an object', { a: undefined }],
		['undefined inside an array', [undefined]],
		['a function', () => 1],
		['a symbol', Symbol('s')],
		['a bigint', 1n],
		['NaN', NaN],
		['Infinity', Infinity],
		['-Infinity', -Infinity],
		['negative zero', -0],
		['negative zero inside an array', [1, -0]],
		['a Date', new Date(0)],
		['a Map', new Map()],
		['a class instance', new Point()],
		['a lone surrogate', '\ud800'],
		['a lone surrogate in a key', { '\udc00': 1 }],
		['a sparse array', sparse],
		['a symbol key', { [Symbol('k')]: 1 }],
		['a getter', Object.defineProperty({}, 'a', { get: () => 1, enumerable: true })],
		['a cycle', cyclic],
		['nesting deeper than the limit', deep]
	])('refuses %s', (_name, value) => {
		expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
		expect(isJsonValue(value)).toBe(false);
	});

	it('accepts nesting up to the limit', () => {
		let value: unknown = 0;
		for (let level = 0; level < MAX_JSON_DEPTH; level++) value = [value];
		expect(isJsonValue(value)).toBe(true);
	});
});

/** Keys that sort just before, after and around `sig` by UTF-16 code units, and others. */
const KEYS = [
	'sig',
	'si',
	'sif',
	'sih',
	'sig0',
	'sigz',
	'Sig',
	's',
	'sj',
	'a',
	'zz',
	'',
	'é',
	'\ud83d\ude00',
	'\ufb33',
	'"',
	'\\',
	'\n',
	'at',
	'author',
	'bio',
	'coop',
	'skills',
	'type',
	'v',
	'1'
];
/** Characters that need escaping, or sort oddly, or take several UTF-8 bytes. */
const CHARS = [
	'a',
	'Z',
	'0',
	' ',
	'"',
	'\\',
	'/',
	'\n',
	'\t',
	'\u0000',
	'\u001f',
	'\u007f',
	'é',
	'€',
	'\u2028',
	'\ud83d\ude00',
	',"sig":"',
	'}',
	'{',
	':'
];

function randomText(random: () => number, max: number): string {
	let text = '';
	const length = Math.floor(random() * max);
	for (let index = 0; index < length; index++) {
		text += CHARS[Math.floor(random() * CHARS.length)]!;
	}
	return text;
}

function randomValue(random: () => number, depth: number): unknown {
	const kind = Math.floor(random() * (depth > 2 ? 5 : 7));
	switch (kind) {
		case 0:
			return null;
		case 1:
			return random() < 0.5;
		case 2: {
			const numbers = [0, 1, -1, 0.5, 1e21, 1e-7, 333333333.3333333, Number.MAX_SAFE_INTEGER];
			return random() < 0.5 ? numbers[Math.floor(random() * numbers.length)] : random() * 1e6;
		}
		case 3:
		case 4:
			return randomText(random, 12);
		case 5:
			return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
		default:
			return randomObject(random, depth + 1);
	}
}

function randomObject(random: () => number, depth: number): Record<string, unknown> {
	const object: Record<string, unknown> = {};
	const count = Math.floor(random() * 8);
	for (let index = 0; index < count; index++) {
		const key = random() < 0.8 ? KEYS[Math.floor(random() * KEYS.length)]! : randomText(random, 5);
		object[key] = randomValue(random, depth);
	}
	return object;
}

function without(object: Record<string, unknown>, omit: string): Record<string, unknown> {
	return Object.fromEntries(Object.entries(object).filter(([key]) => key !== omit));
}

describe('canonical JSON of an object with and without one member', () => {
	it('equals canonicalJson of the object, and of the object without the member', () => {
		const random = prng(8785);
		let withSig = 0;
		for (let round = 0; round < 3000; round++) {
			const object = randomObject(random, 0);
			if (random() < 0.7) object.sig = randomValue(random, 1);
			if ('sig' in object) withSig++;
			const { whole, omitted } = canonicalJsonOmitting(object, 'sig');
			expect(whole).toBe(canonicalJson(object));
			expect(omitted).toBe(canonicalJson(without(object, 'sig')));
		}
		expect(withSig).toBeGreaterThan(1500);
	});

	it('is the canonical text with `,"sig":"…"` cut out, for a base64url signature', () => {
		// What the records layer relies on, stated as the plain text operation: JCS writes a
		// base64url string without escapes, and `sig` is never the first key of a record.
		const random = prng(25519);
		for (let round = 0; round < 2000; round++) {
			const object = { ...randomObject(random, 0), at: randomText(random, 6) };
			const bytes = Uint8Array.from({ length: 64 }, () => Math.floor(random() * 256));
			const sig = encodeBase64url(bytes);
			const record = { ...object, sig };
			const { whole, omitted } = canonicalJsonOmitting(record, 'sig');
			const member = `,"sig":"${sig}"`;
			expect(whole.split(member)).toHaveLength(2);
			expect(omitted).toBe(whole.replace(member, ''));
		}
	});

	it('leaves an object without the member as it is', () => {
		const object = { b: [1, { c: 'x' }], a: 'é' };
		expect(canonicalJsonOmitting(object, 'sig')).toEqual({
			whole: '{"a":"é","b":[1,{"c":"x"}]}',
			omitted: '{"a":"é","b":[1,{"c":"x"}]}'
		});
	});

	it('refuses what canonicalJson refuses, and anything but an object', () => {
		expect(() => canonicalJsonOmitting({ sig: 'x', bad: undefined }, 'sig')).toThrow(
			CanonicalJsonError
		);
		expect(() => canonicalJsonOmitting({ sig: -0 }, 'sig')).toThrow(CanonicalJsonError);
		expect(() => canonicalJsonOmitting(['sig'], 'sig')).toThrow(CanonicalJsonError);
		expect(() => canonicalJsonOmitting(new Date(0), 'sig')).toThrow(CanonicalJsonError);
	});
});

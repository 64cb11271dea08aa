/**
 * Whether a value of the record map is byte for byte the canonical record `expected` (a verified
 * record, plain JSON): `canonicalJson(value) === canonicalJson(expected)`, decided in place.
 *
 * Writing out both texts for every entry would cost 100,000 records about half a second on every
 * open; comparing by JavaScript value (`===`, as before) let through values equal to the record
 * that have a different canonical form or none: `-0` for `0` (JCS refuses it), a hole in an array,
 * a hidden or accessor property, an object of another class. Every device that did not already
 * hold the record then rejected it. So each node must be what JCS would write the same way:
 * primitives are the same by `Object.is`, arrays are plain and without holes, objects are plain,
 * with exactly the same own keys (symbols, hidden and accessor properties included), each an
 * enumerable data property. Key order does not matter: JCS sorts keys.
 */
export function sameCanonical(value: unknown, expected: unknown): boolean {
	if (typeof expected !== 'object' || expected === null) return Object.is(value, expected);
	if (typeof value !== 'object' || value === null) return false;
	if (Array.isArray(expected)) {
		if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
		if (value.length !== expected.length) return false;
		for (let index = 0; index < expected.length; index++) {
			if (!(index in value) || !sameCanonical(value[index], expected[index])) return false;
		}
		return true;
	}
	if (Array.isArray(value)) return false;
	const proto: unknown = Object.getPrototypeOf(value);
	if (proto !== Object.prototype && proto !== null) return false;
	const keys = Object.keys(expected);
	if (Reflect.ownKeys(value).length !== keys.length) return false;
	for (const key of keys) {
		const descriptor = Object.getOwnPropertyDescriptor(value, key);
		if (descriptor === undefined || !('value' in descriptor) || !descriptor.enumerable)
			return false;
		if (!sameCanonical(descriptor.value, (expected as Record<string, unknown>)[key])) return false;
	}
	return true;
}

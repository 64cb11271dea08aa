import { lineProblem } from './names';
import { codePoints } from './text';

export { codePoints };

/**
 * Small, composable checks for fields of records. Each check looks at one untrusted value and
 * names what is wrong with it, or returns `null`. They never throw and never trust prototypes.
 */

export const PROBLEMS = [
	'missing',
	'unexpected',
	'forbidden-key',
	'wrong-type',
	'empty',
	'too-long',
	'too-many',
	'out-of-range',
	'bad-format',
	'not-trimmed',
	'control-character',
	'invisible-character',
	'not-normalised',
	'duplicate',
	'mismatch'
] as const;

/** What is wrong with a field. */
export type Problem = (typeof PROBLEMS)[number];

/** A check of one value. */
export type Check = (value: unknown) => Problem | null;

/** Field name -> check. */
export type Schema = Readonly<Record<string, Check>>;

/** The first problem found in an object, with the dotted path of the field. */
export interface FieldProblem {
	readonly field: string;
	readonly problem: Problem;
}

/** Keys that could reach an object's prototype if some later code copied the object naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Control characters, line and paragraph separators, and bidirectional overrides. */
const SINGLE_LINE_FORBIDDEN = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** As above, but a newline is allowed. */
const MULTI_LINE_FORBIDDEN = /[^\P{Cc}\n]|[\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** True for objects built by JSON parsing or an object literal, nothing more exotic. */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const proto: unknown = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

/** A string of `min` to `max` code points, trimmed, without control or bidi-override characters. */
export function text(options: { max: number; min?: number; multiline?: boolean }): Check {
	const { max, min = 0, multiline = false } = options;
	const forbidden = multiline ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN;
	return (value) => {
		if (typeof value !== 'string') return 'wrong-type';
		// A code point is at most two UTF-16 units: longer strings are refused before any scan.
		if (value.length > max * 2) return 'too-long';
		if (!value.isWellFormed()) return 'bad-format';
		if (forbidden.test(value)) return 'control-character';
		// One-line texts are names and titles people tell apart: see names.ts.
		const line = multiline ? null : lineProblem(value);
		if (line !== null) return line;
		if (value !== value.trim()) return 'not-trimmed';
		const length = codePoints(value);
		if (length < min) return 'empty';
		if (length > max) return 'too-long';
		return null;
	};
}

/** A safe integer in [min, max]. */
export function integer(min: number, max: number): Check {
	return (value) => {
		if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'wrong-type';
		if (Object.is(value, -0)) return 'bad-format';
		return value < min || value > max ? 'out-of-range' : null;
	};
}

/** Exactly `expected`. */
export function literal(expected: string | number): Check {
	return (value) => {
		if (typeof value !== typeof expected) return 'wrong-type';
		return value === expected ? null : 'out-of-range';
	};
}

/** One of `allowed`. */
export function oneOf(allowed: readonly string[]): Check {
	const set = new Set(allowed);
	return (value) => {
		if (typeof value !== 'string') return 'wrong-type';
		return set.has(value) ? null : 'out-of-range';
	};
}

/** A string accepted by `predicate` (an encoding check, such as a key or a stamp). */
export function format(predicate: (value: string) => boolean, maxLength: number): Check {
	return (value) => {
		if (typeof value !== 'string') return 'wrong-type';
		if (value.length > maxLength) return 'too-long';
		return predicate(value) ? null : 'bad-format';
	};
}

/** An array of at most `maxItems` distinct single-line tags of 1 to `maxLength` code points. */
export function tagList(maxItems: number, maxLength: number): Check {
	const tag = text({ min: 1, max: maxLength });
	return (value) => {
		if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) {
			return 'wrong-type';
		}
		const items: readonly unknown[] = value;
		if (items.length > maxItems) return 'too-many';
		const seen = new Set<string>();
		for (let index = 0; index < items.length; index++) {
			if (!Object.hasOwn(items, index)) return 'wrong-type';
			const item = items[index];
			const problem = tag(item);
			if (problem !== null) return problem;
			if (seen.has(item as string)) return 'duplicate';
			seen.add(item as string);
		}
		return null;
	};
}

/** A boolean. */
export const boolean: Check = (value) => (typeof value === 'boolean' ? null : 'wrong-type');

/**
 * An array of at most `maxItems` items, each passing `item`; with `ascending`, items (strings) must
 * be in strictly ascending order, so also distinct, which gives a list one canonical form.
 */
export function list(item: Check, maxItems: number, { ascending = false } = {}): Check {
	return (value) => {
		if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) {
			return 'wrong-type';
		}
		const items: readonly unknown[] = value;
		if (items.length > maxItems) return 'too-many';
		for (let index = 0; index < items.length; index++) {
			if (!Object.hasOwn(items, index)) return 'wrong-type';
			const problem = item(items[index]);
			if (problem !== null) return problem;
			if (ascending && index > 0 && !((items[index - 1] as string) < (items[index] as string))) {
				return 'duplicate';
			}
		}
		return null;
	};
}

/** Checks of fields a record may leave out: fields added after records without them were signed. */
const optionalChecks = new WeakSet<Check>();

/**
 * A field records written before it existed leave out: absent passes, present must pass `check`.
 * The fold reads an absent field as what those records meant.
 */
export function optional(check: Check): Check {
	const wrapped: Check = (value) => check(value);
	optionalChecks.add(wrapped);
	return wrapped;
}

/** Schemas of nested-object checks, so `checkObject` can report the inner field's path. */
const nestedSchemas = new WeakMap<Check, Schema>();

/** A nested plain object matching `schema`. */
export function object(schema: Schema): Check {
	const check: Check = (value) => checkObject(value, schema)?.problem ?? null;
	nestedSchemas.set(check, schema);
	return check;
}

/**
 * The first problem of `value` against `schema`: it must be a plain object with exactly the
 * schema's keys, each an own data property passing its check. `prefix` names nested fields.
 */
export function checkObject(value: unknown, schema: Schema, prefix = ''): FieldProblem | null {
	const self = prefix === '' ? '$' : prefix.slice(0, -1);
	if (!isPlainObject(value)) return { field: self, problem: 'wrong-type' };
	for (const key of Reflect.ownKeys(value)) {
		if (typeof key === 'symbol') return { field: self, problem: 'forbidden-key' };
		if (FORBIDDEN_KEYS.has(key)) return { field: prefix + key, problem: 'forbidden-key' };
		if (!Object.hasOwn(schema, key)) return { field: prefix + key, problem: 'unexpected' };
	}
	for (const [key, check] of Object.entries(schema)) {
		const descriptor = Object.getOwnPropertyDescriptor(value, key);
		if (descriptor === undefined) {
			if (optionalChecks.has(check)) continue;
			return { field: prefix + key, problem: 'missing' };
		}
		if (!('value' in descriptor) || descriptor.enumerable !== true) {
			return { field: prefix + key, problem: 'wrong-type' };
		}
		const inner = nestedSchemas.get(check);
		const problem =
			inner === undefined
				? check(descriptor.value)
				: checkObject(descriptor.value, inner, `${prefix}${key}.`);
		if (problem === null) continue;
		return typeof problem === 'string' ? { field: prefix + key, problem } : problem;
	}
	return null;
}

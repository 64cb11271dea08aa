import { isBase64urlOf } from '$lib/crypto/base64url';
import { isPublicKey } from '$lib/crypto/keys';
import { isSignature } from '$lib/crypto/sign';
import { RECORD_VERSION, type Envelope } from './envelope';
import {
	checkObject,
	format,
	isPlainObject,
	literal,
	oneOf,
	type Check,
	type FieldProblem,
	type Schema
} from './field-checks';
import { isStamp } from './hlc';
import type { RecordKind } from './module';

/**
 * The doors from untrusted JSON to typed records: a record is checked against the envelope's
 * schema and its kind's body schema (one line per field), then its kind's cross-field rules.
 * Areas build their body schemas from `field-checks` and the field formats below.
 */

/** An Ed25519 public key (a device, a member id, an invite id). */
export const publicKey = format(isPublicKey, 43);
/** An Ed25519 signature. */
export const signature = format(isSignature, 86);
/** 128 random bits, base64url (a co-op id, a salt). */
export const id128 = format((value) => isBase64urlOf(value, 16), 22);
/** A record id: base64url SHA-256. */
export const recordIdCheck = format((value) => isBase64urlOf(value, 32), 43);
/** A member id, or empty. */
export const publicKeyOrEmpty: Check = (value) => (value === '' ? null : publicKey(value));

/** Outcome of a shape check. */
export type ShapeResult<T> =
	{ readonly ok: true; readonly value: T } | ({ readonly ok: false } & FieldProblem);

/** The schemas of a set of record kinds, signed and unsigned. */
export class Shapes {
	readonly #kinds: ReadonlyMap<string, RecordKind>;
	readonly #drafts = new Map<string, Schema>();
	readonly #signed = new Map<string, Schema>();

	constructor(kinds: ReadonlyMap<string, RecordKind>) {
		this.#kinds = kinds;
		const envelope: Schema = {
			v: literal(RECORD_VERSION),
			type: oneOf([...kinds.keys()]),
			coop: id128,
			author: publicKey,
			at: format(isStamp, 18)
		};
		for (const [type, kind] of kinds) {
			this.#drafts.set(type, { ...envelope, ...kind.body });
			this.#signed.set(type, { ...envelope, ...kind.body, sig: signature });
		}
	}

	/** Checks an untrusted value against the schema of a signed record of its type. */
	signed(value: unknown): ShapeResult<Envelope & { readonly sig: string }> {
		return this.#check(value, this.#signed) as ShapeResult<Envelope & { readonly sig: string }>;
	}

	/** Checks a value against the schema of an unsigned record (a draft) of its type. */
	draft(value: unknown): ShapeResult<Envelope> {
		return this.#check(value, this.#drafts);
	}

	#check(value: unknown, schemas: ReadonlyMap<string, Schema>): ShapeResult<Envelope> {
		if (!isPlainObject(value)) return { ok: false, field: '$', problem: 'wrong-type' };
		// The type chooses the schema, so it is read first (as an own data property only).
		const type: unknown = Object.getOwnPropertyDescriptor(value, 'type')?.value;
		const schema = typeof type === 'string' ? schemas.get(type) : undefined;
		if (schema === undefined) {
			return { ok: false, field: 'type', problem: type === undefined ? 'missing' : 'out-of-range' };
		}
		const problem = checkObject(value, schema);
		if (problem !== null) return { ok: false, ...problem };
		// The table has checked every field, so the value has the type's shape.
		const draft = value as unknown as Envelope;
		const cross = this.#kinds.get(type as string)!.cross?.(draft) ?? null;
		return cross === null ? { ok: true, value: draft } : { ok: false, ...cross };
	}
}

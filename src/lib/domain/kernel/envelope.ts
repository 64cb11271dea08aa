import type { Stamp } from './hlc';

/**
 * The envelope every record shares, whatever its area: plain JSON
 * `{ v: 1, type, coop, author, at, ...body, sig }`. Each area declares its bodies (a map from
 * record type to body); the types below turn such a map into record types. See docs/records.md.
 */

export const RECORD_VERSION = 1;

export interface Envelope<T extends string = string> {
	readonly v: typeof RECORD_VERSION;
	readonly type: T;
	/** The co-op id (22 base64url characters). */
	readonly coop: string;
	/** The signing device's Ed25519 public key (43 base64url characters). */
	readonly author: string;
	/** Hybrid logical clock stamp. */
	readonly at: Stamp;
}

/** An unsigned record of type `T`, from the body map `B`. */
export type DraftIn<B, T extends keyof B & string> = Envelope<T> & B[T];

/** A signed record of type `T`, from the body map `B`. */
export type SignedIn<B, T extends keyof B & string> = DraftIn<B, T> & { readonly sig: string };

/** Any unsigned record of the types `T` of `B`, as a union that narrows on `type`. */
export type DraftUnion<B, T extends keyof B & string = keyof B & string> = {
	[K in T]: DraftIn<B, K>;
}[T];

/** Any signed record of the types `T` of `B`, as a union that narrows on `type`. */
export type SignedUnion<B, T extends keyof B & string = keyof B & string> = {
	[K in T]: SignedIn<B, K>;
}[T];

/** A signed record of some type: what the kernel knows of every record. */
export type SignedEnvelope = Envelope & { readonly sig: string };

declare const verified: unique symbol;

/**
 * A record whose shape, id, signature, proofs and co-op have been checked (see `verifyRecord`).
 * Only verification makes these, so a projection that takes them cannot be fed unchecked data.
 * `record` is a deep-frozen copy, independent of the object that was verified.
 */
export interface Verified<R extends SignedEnvelope = SignedEnvelope> {
	readonly id: string;
	readonly record: R;
	readonly [verified]: true;
}

/** Order of records for every projection: by stamp, then by id. */
export function compareRecords(
	a: { readonly id: string; readonly record: { readonly at: string } },
	b: { readonly id: string; readonly record: { readonly at: string } }
): number {
	if (a.record.at !== b.record.at) return a.record.at < b.record.at ? -1 : 1;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}

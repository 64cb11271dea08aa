import type { FieldProblem, Schema } from './field-checks';
import type { SignedEnvelope, SignedIn, Verified } from './envelope';
import type { PendingReason, RuleReason, VerifyReason } from './reasons';

/**
 * What an area (membership, governance, settings...) gives the kernel: its record types, and a
 * fold that judges them. The kernel knows no area's rules; it orders records, resolves authors,
 * keeps the waits and the accounts, and routes effects. See docs/architecture.md.
 */

/** One record type, as its area declares it. `R` is the signed record. */
export interface RecordKind<R extends SignedEnvelope = SignedEnvelope> {
	/** The body's fields (the envelope's are the kernel's). */
	readonly body: Schema;
	/** Largest canonical JSON of a whole signed record, in UTF-8 bytes; `LIMITS.recordBytes` if unset. */
	readonly maxBytes?: number;
	/**
	 * `member`: the kernel resolves the author to an active member before the fold sees the
	 * record (or makes it wait, or rejects it). `any`: the fold is given the record whoever wrote
	 * it, and resolves the author itself if it needs to (`FoldContext.activeAuthor`).
	 */
	readonly author: 'member' | 'any';
	/** Rules that tie fields of one record together, checked with the schema. */
	cross?(draft: Omit<R, 'sig'>): FieldProblem | null;
	/** Proofs carried inside the record, beyond the author's signature (checked once, cached). */
	proof?(record: R, coopId: string): Promise<VerifyReason | null>;
}

/** The record kinds of an area, from its body map `B`. */
export type RecordKinds<B> = { readonly [K in keyof B & string]: RecordKind<SignedIn<B, K>> };

/**
 * Something one area decided that another area carries out (a decision admits a member, changes
 * a setting): applied at once, at the deciding record's place in the order.
 */
export interface Effect {
	readonly type: string;
}

/** What an area's fold made of one record. */
export type Outcome =
	| { readonly kind: 'accepted' }
	| { readonly kind: 'rejected'; readonly reason: RuleReason; readonly detail: string | null }
	/** What it depends on is not in the state: `on` names what, `key` which one. */
	| { readonly kind: 'waiting'; readonly on: string; readonly key: string };

export const ACCEPTED: Outcome = Object.freeze({ kind: 'accepted' });

export function rejected(reason: RuleReason, detail: string | null = null): Outcome {
	return { kind: 'rejected', reason, detail };
}

export function waiting(on: string, key: string): Outcome {
	return { kind: 'waiting', on, key };
}

/** An area was handed back a wait of a kind it never makes. */
export class UnexpectedWaitError extends Error {
	override name = 'UnexpectedWaitError';
}

/** An area was handed an effect of a type it never declared. */
export class UnexpectedEffectError extends Error {
	override name = 'UnexpectedEffectError';
}

/** A record that waited, as the kernel hands it back to its area at the end. */
export interface Wait {
	readonly entry: Verified;
	readonly on: string;
	readonly key: string;
}

/**
 * How a wait ends, judged on the final state: what it waited for came later in the order (the
 * record is rejected), or never came (the record is pending, judged again when records arrive).
 */
export type Settled =
	| { readonly kind: 'rejected'; readonly reason: RuleReason; readonly detail: string | null }
	| { readonly kind: 'pending'; readonly reason: PendingReason; readonly detail: string | null };

/** Who a device writes for, as the kernel asks it (membership answers). */
export type Authorship =
	| { readonly active: true; readonly member: string }
	| { readonly active: false; readonly detail: string };

/** The query the kernel resolves authors with; exactly one area provides it. */
export interface Authors {
	/** The member a device belongs to, or `undefined` for a device no record has added. */
	authorship(device: string): Authorship | undefined;
	/** True once the co-op's genesis has been applied. */
	readonly founded: boolean;
}

/**
 * A typed name for a query an area publishes (as membership publishes "is this member active").
 * The phantom parameter is contravariant, so only a fold that implements `Q` can provide it.
 */
export interface QueryKey<Q> {
	readonly name: string;
	readonly _accepts?: (query: Q) => void;
}

export function queryKey<Q>(name: string): QueryKey<Q> {
	return Object.freeze({ name });
}

/** The key of the `Authors` query the kernel uses. */
export const AUTHORS = queryKey<Authors>('authors');

/** Gives a fold the queries of the areas registered before it. */
export type Use = <Q>(key: QueryKey<Q>) => Q;

/** What the kernel offers a fold while it applies a record. */
export interface FoldContext {
	/** The author's member id if the author is an active member; otherwise the outcome to return. */
	activeAuthor(entry: Verified): string | Outcome;
	/**
	 * `null` if the record with this id came before in the order; otherwise a wait for it (the
	 * kernel settles it: `back-dated` if it came later, pending `missing-record` if never).
	 */
	after(id: string): Outcome | null;
	/** Hands an effect to the area that applies it; true if it took effect. */
	emit<E extends Effect>(effect: E): boolean;
}

/**
 * The state of one area, folded record by record in (at, id) order. Each record is judged against
 * the state left by the records before it, and nothing else.
 */
export interface AreaFold {
	/**
	 * Judges one record of the area's types. `author` is the author's member id for kinds whose
	 * author the kernel resolves, `null` for the others.
	 */
	apply(entry: Verified, author: string | null, context: FoldContext): Outcome;
	/** How a wait of this area ends (see `Settled`); `founded` is handled by the kernel. */
	settle(wait: Wait): Settled;
	/** Applies an effect of a type the area declared; true if it changed the state. */
	effect(effect: Effect): boolean;
	/** An independent copy (for checkpoints), using the copies of the areas before it. */
	clone(use: Use): AreaFold;
	/** Goes up whenever the state changes: a view built at one version is valid until it moves. */
	readonly version: number;
}

/** An area, as registered; `F` is its fold. */
export interface AreaModule<F extends AreaFold = AreaFold> {
	readonly name: string;
	readonly records: Readonly<Record<string, RecordKind>>;
	/** Effect types this area applies. */
	readonly effects: readonly string[];
	/** Queries its fold publishes to the areas registered after it (and the kernel). */
	readonly provides: readonly QueryKey<never>[];
	create(use: Use): F;
}

/**
 * Declares an area, checking at compile time that its kinds cover its body map `B` and that its
 * fold implements the queries it provides.
 */
export function defineArea<B, F extends AreaFold>(area: {
	readonly name: string;
	readonly records: RecordKinds<B>;
	readonly effects: readonly string[];
	readonly provides: readonly QueryKey<F>[];
	create(use: Use): F;
}): AreaModule<F> {
	return area;
}

import { canonicalJsonOmitting, CanonicalJsonError } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import { verifySignature } from '$lib/crypto/sign';
import { encodeUtf8 } from '$lib/crypto/utf8';
import type { SignedEnvelope, Verified } from './envelope';
import { freezeParsedJson } from './freeze';
import { rejectionOf, type Rejection } from './reasons';
import type { Registry } from './registry';

/**
 * Checking one stored entry `(key, value)` of a co-op's record map, in order of cost:
 * 1. shape: every field of the envelope and of the type's body (`invalid-shape`);
 * 2. co-op: the record belongs to the co-op being opened (`wrong-coop`);
 * 3. size of the canonical JSON (`too-large`);
 * 4. the key is the SHA-256 of the canonical record (`hash-mismatch`);
 * 5. the author's signature (`bad-signature`), then the proofs its kind declares: a genesis's
 *    co-op id (`wrong-coop`), a join's invite proof (`bad-proof`), a link's consent (`bad-consent`).
 * Schemas, size limits and proofs come from the registered areas (see `Registry`).
 * Step 5 is skipped when `knownValid(id)` says this device verified that id before: the id is a
 * hash of the whole record, so the id proven in step 4 vouches for exactly this value.
 *
 * The verdict depends on the entry and the co-op only (no clock, no other records), so it can be
 * cached by id forever. Whether a valid record *counts* is the projection's business.
 */

export interface VerifyOptions {
	/** True for ids this device has verified before (a cache kept by the storage layer). */
	readonly knownValid?: (id: string) => boolean;
}

export type VerifyResult =
	| { readonly ok: true; readonly verified: Verified }
	| { readonly ok: false; readonly rejection: Rejection };

async function verifyUnguarded(
	registry: Registry,
	key: string,
	value: unknown,
	coopId: string,
	options: VerifyOptions
): Promise<VerifyResult> {
	const fail = (reason: Rejection['reason'], detail: string | null = null): VerifyResult => ({
		ok: false,
		rejection: rejectionOf(key, value, reason, detail)
	});
	const shape = registry.shapes.signed(value);
	if (!shape.ok) return fail('invalid-shape', `${shape.field}: ${shape.problem}`);
	if (shape.value.coop !== coopId) return fail('wrong-coop');
	// From here on only the canonical texts are used: later changes to `value` cannot matter.
	// The signed text is the canonical text without `sig`, from the same pass (see
	// `canonicalJsonOmitting`): one check and one serialization per record, not two.
	const canonical = canonicalJsonOmitting(shape.value, 'sig');
	const bytes = encodeUtf8(canonical.whole);
	if (bytes.length > registry.maxBytes(shape.value.type)) return fail('too-large');
	const id = await sha256Base64url(bytes);
	if (id !== key) return fail('hash-mismatch');
	const record = freezeParsedJson(JSON.parse(canonical.whole) as SignedEnvelope);
	if (options.knownValid?.(id) !== true) {
		if (!(await verifySignature(record.author, record.sig, encodeUtf8(canonical.omitted)))) {
			return fail('bad-signature');
		}
		const proofFailure = (await registry.slot(record.type)!.kind.proof?.(record, coopId)) ?? null;
		if (proofFailure !== null) return fail(proofFailure);
	}
	// With `trustVaultRecord`, the only place a VerifiedRecord is made.
	return { ok: true, verified: Object.freeze({ id, record }) as Verified };
}

/**
 * Verifies one entry of a co-op's record map. Never throws: anything unexpected in `value`
 * is an `invalid-shape` rejection. Values from peers arrive as plain JSON; the catch-all only
 * matters for values no parser produces (a throwing proxy, a getter), which are just as invalid.
 */
export async function verifyRecord(
	registry: Registry,
	key: string,
	value: unknown,
	coopId: string,
	options: VerifyOptions = {}
): Promise<VerifyResult> {
	try {
		return await verifyUnguarded(registry, key, value, coopId, options);
	} catch (error) {
		const detail = error instanceof CanonicalJsonError ? error.message : 'unreadable value';
		return { ok: false, rejection: rejectionOf(key, value, 'invalid-shape', detail) };
	}
}

/**
 * A record this device verified before, as its own storage kept it: the value parsed from the
 * JSON text of a record that passed `verifyRecord` under `id`, deep-frozen without checking
 * anything again. Re-checking would prove nothing new (the storage only ever received verified
 * records, under their ids) and costs a SHA-256 per record, seconds for a large co-op. `value` must
 * be fresh from `JSON.parse` (nothing else holds it), and never come from a peer: that goes through
 * `verifyRecord`.
 */
export function trustVaultRecord(id: string, value: unknown): Verified {
	const record = freezeParsedJson(value as SignedEnvelope);
	return Object.freeze({ id, record }) as Verified;
}

/**
 * How many verifications are in flight at once in `verifyAll`. A verification is a few steps of
 * synchronous work (shape, canonical text) between WebCrypto calls; where WebCrypto runs on other
 * threads (Node, Firefox), a window keeps them busy while this thread prepares the next records.
 * Chromium signs and verifies on the calling thread, so there it only bounds what is pending.
 */
const VERIFY_WINDOW = 256;

/** Verifies many entries; results keep the input order within each list. */
export async function verifyAll(
	registry: Registry,
	entries: Iterable<readonly [string, unknown]>,
	coopId: string,
	options: VerifyOptions = {}
): Promise<{ verified: Verified[]; rejections: Rejection[] }> {
	const all = [...entries];
	const results = new Array<VerifyResult>(all.length);
	let next = 0;
	// Each lane takes the next entry as soon as its last one is done: no lane waits for a batch.
	const lane = async (): Promise<void> => {
		while (next < all.length) {
			const index = next++;
			const [key, value] = all[index]!;
			results[index] = await verifyRecord(registry, key, value, coopId, options);
		}
	};
	await Promise.all(Array.from({ length: Math.min(VERIFY_WINDOW, all.length) }, lane));
	const verified: Verified[] = [];
	const rejections: Rejection[] = [];
	for (const result of results) {
		if (result.ok) verified.push(result.verified);
		else rejections.push(result.rejection);
	}
	return { verified, rejections };
}

import { encodeBase64url } from '$lib/crypto/base64url';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { sha256 } from '$lib/crypto/hash';
import { randomId } from '$lib/crypto/random';

/**
 * The co-op id every record's envelope carries: the first 128 bits of SHA-256 over (founder,
 * salt). Because the id commits to the founder's key, nobody else can write a genesis record for
 * the same co-op. See docs/records.md.
 */

const PURPOSE = 'ours/coop-id/v1';

/** The co-op id of a founder's key and salt. */
export async function deriveCoopId(founder: string, salt: string): Promise<string> {
	const digest = await sha256(canonicalBytes({ purpose: PURPOSE, founder, salt }));
	return encodeBase64url(digest.subarray(0, 16));
}

/** A fresh co-op id for a founder, with the salt that the genesis record must carry. */
export async function newCoopId(founder: string): Promise<{ coop: string; salt: string }> {
	const salt = randomId();
	return { coop: await deriveCoopId(founder, salt), salt };
}

import type { JsonValue } from '$lib/crypto/canonical-json';
import type { SigningKey } from '$lib/crypto/keys';
import {
	checkPresented,
	MAX_PRESENTATION_CHARS,
	presentCredential,
	subjectKeyOf
} from '$lib/credentials/presentation';

type JsonObject = { readonly [key: string]: JsonValue };

/** Finds, among this device's keys (one per co-op), the one with this public key. */
export type HolderKeys = (publicKey: string) => Promise<SigningKey | undefined>;

export type Presenting =
	| { readonly ok: true; readonly presentation: string }
	| { readonly ok: false; readonly messageKey: string };

/**
 * The presentation of a checked credential to `member` of `coop`, signed on this device with the
 * key the credential names (the member's key in the co-op that issued it). Refused when this
 * device does not hold that key, or when the result would not verify or fit in a record.
 */
export async function presentationFor(
	credential: JsonObject,
	keys: HolderKeys,
	binding: { readonly coop: string; readonly member: string; readonly now: number }
): Promise<Presenting> {
	const subject = subjectKeyOf(credential);
	if (subject === undefined) return { ok: false, messageKey: 'cred_present_no_subject' };
	const key = await keys(subject);
	if (key === undefined) return { ok: false, messageKey: 'cred_present_no_key' };
	const presentation = JSON.stringify(await presentCredential(credential, key, binding));
	if (presentation.length > MAX_PRESENTATION_CHARS) {
		return { ok: false, messageKey: 'cred_present_too_large' };
	}
	// What the co-op's members will check: refused here, it is not attached.
	const check = await checkPresented(presentation, binding);
	if (check.status === 'refused') return { ok: false, messageKey: 'cred_present_refused' };
	return { ok: true, presentation };
}

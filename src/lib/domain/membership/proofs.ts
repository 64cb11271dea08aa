import { isBase64urlOf } from '$lib/crypto/base64url';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { sha256 } from '$lib/crypto/hash';
import { signingKeyFromSeed, type SigningKey } from '$lib/crypto/keys';
import { randomSecret } from '$lib/crypto/random';
import { signBytes, verifySignature } from '$lib/crypto/sign';

/**
 * Proofs carried inside records, beyond the author's own signature. Each signed statement names
 * its purpose and the co-op, so a signature made for one purpose or one co-op proves nothing
 * anywhere else. See docs/records.md, "Invites and joins" and "Device links". (The co-op id,
 * which every record carries, is derived in `kernel/coop-id.ts`.)
 */

const PURPOSE = {
	inviteKey: 'ours/invite-key/v1',
	join: 'ours/join/v1',
	deviceLink: 'ours/device-link/v1'
} as const;

/** Thrown when an invite secret is not 32 bytes of canonical base64url. */
export class InviteSecretError extends Error {
	override name = 'InviteSecretError';
}

/** True if `value` has the form of an invite secret (as carried in an invite link). */
export function isInviteSecret(value: unknown): value is string {
	return isBase64urlOf(value, 32);
}

/**
 * The invite's key pair, derived from its secret. Its public key is the invite id, published in
 * the invite record; its private key exists only where the secret is (the invite link).
 */
export async function inviteKeyFromSecret(secret: string): Promise<SigningKey> {
	if (!isInviteSecret(secret)) throw new InviteSecretError('Not an invite secret');
	return signingKeyFromSeed(await sha256(canonicalBytes({ purpose: PURPOSE.inviteKey, secret })));
}

/** A fresh invite secret and the invite id it derives. */
export async function newInviteSecret(): Promise<{ secret: string; inviteId: string }> {
	const secret = randomSecret();
	return { secret, inviteId: (await inviteKeyFromSecret(secret)).publicKey };
}

function joinStatement(coop: string, inviteId: string, member: string): Uint8Array<ArrayBuffer> {
	return canonicalBytes({ purpose: PURPOSE.join, coop, inviteId, member });
}

/**
 * Proof that the joining device holds the invite secret: the invite key's signature over the
 * co-op, the invite and the joining device's key. It cannot be moved to another co-op or device.
 */
export async function proveInvite(
	secret: string,
	coop: string,
	member: string
): Promise<{ inviteId: string; proof: string }> {
	const inviteKey = await inviteKeyFromSecret(secret);
	const proof = await signBytes(
		inviteKey.privateKey,
		joinStatement(coop, inviteKey.publicKey, member)
	);
	return { inviteId: inviteKey.publicKey, proof };
}

/** True if a join record's proof was made with its invite's secret, for this co-op and author. */
export async function verifyJoinProof(record: {
	readonly coop: string;
	readonly inviteId: string;
	readonly author: string;
	readonly proof: string;
}): Promise<boolean> {
	const statement = joinStatement(record.coop, record.inviteId, record.author);
	return verifySignature(record.inviteId, record.proof, statement);
}

function linkStatement(coop: string, member: string, device: string): Uint8Array<ArrayBuffer> {
	return canonicalBytes({ purpose: PURPOSE.deviceLink, coop, member, device });
}

/** The new device's consent to become a device of `member` in `coop`. */
export async function consentToLink(
	device: SigningKey,
	coop: string,
	member: string
): Promise<string> {
	return signBytes(device.privateKey, linkStatement(coop, member, device.publicKey));
}

/** True if a device-link record carries the new device's consent for this co-op and member. */
export async function verifyLinkConsent(record: {
	readonly coop: string;
	readonly member: string;
	readonly device: string;
	readonly consent: string;
}): Promise<boolean> {
	const statement = linkStatement(record.coop, record.member, record.device);
	return verifySignature(record.device, record.consent, statement);
}

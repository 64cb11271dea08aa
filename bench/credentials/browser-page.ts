import { verifyMembershipEvidence } from '$lib/credentials/membership-evidence';
import { verifyCredentialInput } from '$lib/credentials/verify';

/** The page side of the Chromium run: verifies a credential's text, timed with `performance.now()`. */
export interface CredentialsBench {
	verify(text: string, now: number): Promise<{ ms: number; status: string; members: boolean }>;
}

const bench: CredentialsBench = {
	async verify(text, now) {
		const started = performance.now();
		const report = await verifyCredentialInput(text, { now });
		const signers = report.proofs.map((proof) => proof.signer ?? '');
		const membership = await verifyMembershipEvidence(report.credential!, signers);
		return {
			ms: performance.now() - started,
			status: report.status,
			members: membership?.ok === true
		};
	}
};

(globalThis as unknown as { credentialsBench: CredentialsBench }).credentialsBench = bench;

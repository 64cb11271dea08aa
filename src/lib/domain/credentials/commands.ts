import { draftBuilder, line, paragraph, type DraftContext } from '../kernel/draft';
import { CREDENTIALS_RECORDS, type CredentialsBodies } from './records';

/** Draft builders of the credentials area, from what a member chose or typed. */

const draft = draftBuilder(CREDENTIALS_RECORDS);

export function credentialRequestDraft(
	context: DraftContext,
	input: {
		signers: readonly string[];
		digest: string;
		cutoff: number;
		coopName: string;
		memberName: string;
		reputation: boolean;
	}
) {
	return draft('credential.request', context, {
		...input,
		signers: [...new Set(input.signers)].sort(),
		coopName: line(input.coopName),
		memberName: line(input.memberName)
	} satisfies CredentialsBodies['credential.request']);
}

export function credentialSignDraft(
	context: DraftContext,
	input: CredentialsBodies['credential.sign']
) {
	return draft('credential.sign', context, input);
}

export function credentialDeclineDraft(
	context: DraftContext,
	input: { request: string; reason: string }
) {
	return draft('credential.decline', context, {
		request: input.request,
		reason: paragraph(input.reason)
	});
}

export function credentialPresentDraft(context: DraftContext, input: { presentation: string }) {
	return draft('credential.present', context, { presentation: input.presentation });
}

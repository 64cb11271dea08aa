import type { AreaHost } from './area-host';
import type { JsonValue } from '$lib/crypto/canonical-json';
import type { SigningKey } from '$lib/crypto/keys';
import {
	assembleCredential,
	coSign,
	credentialDigest,
	paramsOf,
	unsignedCredential
} from '$lib/credentials/co-signing';
import { EVIDENCE_TYPES, type RecordEntry } from '$lib/credentials/membership-evidence';
import {
	credentialDeclineDraft,
	credentialRequestDraft,
	credentialSignDraft
} from '$lib/domain/credentials/commands';
import type { CredentialRequestView } from '$lib/domain/credentials/view';
import type { InputResult } from '$lib/domain/kernel/input-result';

export type { CredentialRequestView };

/** What the credentials need from the open co-op. */
export interface CredentialsHost extends AreaHost {
	/** The valid records of these types this device holds. */
	records(types: ReadonlySet<string>): readonly RecordEntry[];
	/** This device's key in the co-op (non-extractable). */
	readonly key: SigningKey;
	nameOf(member: string): string;
}

/** The credential a request stands for, rebuilt on this device, and whether it is the one asked. */
export interface RebuiltCredential {
	readonly unsigned: { [key: string]: JsonValue };
	/** True when this device builds the very credential the request's digest names. */
	readonly matches: boolean;
}

const refused = (messageKey: string): InputResult => ({ ok: false, field: '', messageKey });

/** A member's requests for co-signed records of their work, and the answers. */
export class Credentials {
	readonly #host: CredentialsHost;

	constructor(host: CredentialsHost) {
		this.#host = host;
	}

	/** Newest first. */
	get requests(): readonly CredentialRequestView[] {
		return this.#host.roster().credentials.requests;
	}

	/** Requests about this member. */
	get mine(): readonly CredentialRequestView[] {
		const me = this.#host.me()?.id;
		return this.requests.filter((request) => request.member === me);
	}

	/** Requests this member was asked to co-sign and has not answered. */
	get asked(): readonly CredentialRequestView[] {
		const me = this.#host.me()?.id;
		return me === undefined
			? []
			: this.requests.filter((request) => request.waitingFor.includes(me));
	}

	/** Asks `signers` (member ids) to co-sign a record of this member's work up to now. */
	async request(signers: readonly string[]): Promise<InputResult> {
		const me = this.#host.me();
		const state = this.#host.roster();
		if (me === null || state.coop === null) return refused('cred_not_member');
		if (signers.length === 0) return refused('cred_pick_signers');
		const params = {
			member: me.id,
			signers: [...signers].sort(),
			cutoff: Date.now(),
			coopName: state.coop.name,
			memberName: this.#host.nameOf(me.id)
		};
		const unsigned = unsignedCredential(state, this.#host.records(EVIDENCE_TYPES), params);
		if (unsigned === undefined) return refused('cred_not_member');
		const digest = await credentialDigest(unsigned);
		const result = await this.#host.write((context) =>
			credentialRequestDraft(context, {
				signers: params.signers,
				digest,
				cutoff: params.cutoff,
				coopName: params.coopName,
				memberName: params.memberName
			})
		);
		return result.ok ? { ok: true } : result;
	}

	/** The request's credential as this device builds it. */
	async rebuild(request: CredentialRequestView): Promise<RebuiltCredential | undefined> {
		const unsigned = unsignedCredential(
			this.#host.roster(),
			this.#host.records(EVIDENCE_TYPES),
			paramsOf(request)
		);
		if (unsigned === undefined) return undefined;
		return { unsigned, matches: (await credentialDigest(unsigned)) === request.digest };
	}

	/** Co-signs a request with this device's key, if this device builds the same credential. */
	async sign(request: CredentialRequestView): Promise<InputResult> {
		const rebuilt = await this.rebuild(request);
		if (rebuilt === undefined || !rebuilt.matches) return refused('cred_differs');
		const signature = await coSign(rebuilt.unsigned, this.#host.key, Date.now());
		const result = await this.#host.write((context) =>
			credentialSignDraft(context, { request: request.id, digest: request.digest, ...signature })
		);
		return result.ok ? { ok: true } : result;
	}

	async decline(request: CredentialRequestView, reason: string): Promise<InputResult> {
		const result = await this.#host.write((context) =>
			credentialDeclineDraft(context, { request: request.id, reason })
		);
		return result.ok ? { ok: true } : result;
	}

	/** The signed credential as JSON text, with the signatures received so far. */
	async assemble(request: CredentialRequestView): Promise<string | undefined> {
		const rebuilt = await this.rebuild(request);
		if (rebuilt === undefined || !rebuilt.matches) return undefined;
		return JSON.stringify(assembleCredential(rebuilt.unsigned, request), null, 2);
	}
}

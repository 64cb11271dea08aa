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
import type { RecordEntry } from '$lib/credentials/membership-evidence';
import {
	credentialDeclineDraft,
	credentialRequestDraft,
	credentialSignDraft
} from '$lib/domain/credentials/commands';
import type { CredentialRequestView } from '$lib/domain/credentials/view';
import type { InputResult } from '$lib/domain/kernel/input-result';
import { RECORD_TYPES } from '$lib/domain/registry';
import { coSignersNeeded } from '$lib/domain/settings/values';

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

/**
 * Every record type: the credential's evidence takes the membership records, and its skills and
 * feedback come from the co-op as every record before the cutoff made it.
 */
const ALL_TYPES: ReadonlySet<string> = new Set(RECORD_TYPES);

/** What a member chooses when asking for their record. */
export interface RequestChoice {
	/** Member ids asked to co-sign. */
	readonly signers: readonly string[];
	/** Whether to add the skills with their endorsements and the feedback summary (default yes). */
	readonly reputation?: boolean;
}

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

	/**
	 * Co-signers the co-op requires on a work record: its setting, never more than the other
	 * active members.
	 */
	get required(): number {
		const state = this.#host.roster();
		const active = state.members.filter((member) => member.status === 'active').length;
		return coSignersNeeded(state.governance.settings, active);
	}

	/** Whether a request has the signatures the co-op requires, so it can be exported. */
	complete(request: CredentialRequestView): boolean {
		return request.signed >= this.required;
	}

	/** The credential this member would ask for now, unsigned: what they see before asking. */
	preview(reputation: boolean, now = Date.now()): { [key: string]: JsonValue } | undefined {
		const me = this.#host.me();
		const state = this.#host.roster();
		if (me === null || state.coop === null) return undefined;
		return unsignedCredential(state, this.#host.records(ALL_TYPES), {
			member: me.id,
			signers: [],
			cutoff: now,
			coopName: state.coop.name,
			memberName: this.#host.nameOf(me.id),
			reputation
		});
	}

	/** Asks members to co-sign a record of this member's work up to now. */
	async request(choice: RequestChoice): Promise<InputResult> {
		const me = this.#host.me();
		const state = this.#host.roster();
		if (me === null || state.coop === null) return refused('cred_not_member');
		if (choice.signers.length === 0) return refused('cred_pick_signers');
		if (choice.signers.length < this.required) return refused('rep_pick_more_signers');
		const params = {
			member: me.id,
			signers: [...choice.signers].sort(),
			cutoff: Date.now(),
			coopName: state.coop.name,
			memberName: this.#host.nameOf(me.id),
			reputation: choice.reputation ?? true
		};
		const unsigned = unsignedCredential(state, this.#host.records(ALL_TYPES), params);
		if (unsigned === undefined) return refused('cred_not_member');
		const digest = await credentialDigest(unsigned);
		const result = await this.#host.write((context) =>
			credentialRequestDraft(context, {
				signers: params.signers,
				digest,
				cutoff: params.cutoff,
				coopName: params.coopName,
				memberName: params.memberName,
				reputation: params.reputation
			})
		);
		return result.ok ? { ok: true } : result;
	}

	/** The request's credential as this device builds it. */
	async rebuild(request: CredentialRequestView): Promise<RebuiltCredential | undefined> {
		const unsigned = unsignedCredential(
			this.#host.roster(),
			this.#host.records(ALL_TYPES),
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

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
import {
	devicesShown,
	EVIDENCE_TYPES,
	type RecordEntry
} from '$lib/credentials/membership-evidence';
import { checkPresented, type PresentedCheck } from '$lib/credentials/presentation';
import { stateAt } from '$lib/credentials/reputation-claims';
import type { CoopState } from '$lib/domain/coop-state';
import { wallOf } from '$lib/domain/kernel/hlc';
import {
	credentialDeclineDraft,
	credentialPresentDraft,
	credentialRequestDraft,
	credentialSignDraft
} from '$lib/domain/credentials/commands';
import type { CredentialRequestView, PresentedView } from '$lib/domain/credentials/view';
import { presentationFor, type HolderKeys } from './presenting';
import type { InputResult } from '$lib/domain/kernel/input-result';
import { RECORD_TYPES } from '$lib/domain/registry';
import { coSignersNeeded } from '$lib/domain/settings/values';

export type { CredentialRequestView, PresentedView };
export type { PresentedCheck };

/** What the credentials need from the open co-op. */
export interface CredentialsHost extends AreaHost {
	/** The valid records of these types this device holds. */
	records(types: ReadonlySet<string>): readonly RecordEntry[];
	/** This device's key in the co-op (non-extractable). */
	readonly key: SigningKey;
	nameOf(member: string): string;
	/** The co-op's id: presentations are bound to it. */
	readonly coopId: string;
	/** This device's keys of other co-ops, by public key. */
	readonly holderKeys: HolderKeys;
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
	/** Checks of presented credentials, by record id: each is verified once per opening. */
	readonly #checks = new Map<string, Promise<PresentedCheck>>();
	/**
	 * The co-op as of a request's cutoff, by cutoff, with the number of records before it:
	 * records are only ever added, so the same number is the same records, and the page does not
	 * project the co-op again for each request at every change that came after them.
	 */
	readonly #atCutoff = new Map<number, { count: number; state: CoopState }>();
	/** `notShown` for the state of the co-op it was worked out for. */
	#notShown: { roster: CoopState; members: ReadonlySet<string> } | undefined;
	readonly #stateAt: typeof stateAt = (coop, records, cutoff) => {
		const count = records.reduce((n, entry) => (wallOf(entry.record.at) < cutoff ? n + 1 : n), 0);
		const known = this.#atCutoff.get(cutoff);
		if (known?.count === count) return known.state;
		const state = stateAt(coop, records, cutoff);
		this.#atCutoff.set(cutoff, { count, state });
		return state;
	};

	constructor(host: CredentialsHost) {
		this.#host = host;
	}

	/**
	 * Members whose membership a stranger could not check if they co-signed: none of their devices
	 * is shown by the evidence (they were admitted by a decision).
	 */
	get notShown(): ReadonlySet<string> {
		// Read by `required` for each request listed: worked out once per state of the co-op.
		const roster = this.#host.roster();
		if (this.#notShown?.roster === roster) return this.#notShown.members;
		const shown = devicesShown(
			this.#host.records(EVIDENCE_TYPES),
			roster.members.flatMap((member) => member.devices)
		);
		const members = new Set(
			roster.members
				.filter((member) => !member.devices.some((device) => shown.has(device)))
				.map((member) => member.id)
		);
		this.#notShown = { roster, members };
		return members;
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
	 * active members who can co-sign.
	 */
	get required(): number {
		const state = this.#host.roster();
		const me = this.#host.me()?.id;
		const notShown = this.notShown;
		const active = state.members.filter(
			(member) => member.status === 'active' && (member.id === me || !notShown.has(member.id))
		).length;
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
		const notShown = this.notShown;
		if (choice.signers.some((id) => notShown.has(id))) return refused('cred_signer_not_shown');
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
			paramsOf(request),
			this.#stateAt
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

	/** Credentials from elsewhere presented by members, newest first (untrusted until checked). */
	get presented(): readonly PresentedView[] {
		return this.#host.roster().credentials.presented;
	}

	presentedBy(member: string): readonly PresentedView[] {
		return this.presented.filter((entry) => entry.member === member);
	}

	/**
	 * This device's verdict on a presented credential: bound to this co-op and to the member whose
	 * record carries it, signed by its subject, its co-signers' proofs and membership. Never throws.
	 */
	check(entry: PresentedView): Promise<PresentedCheck> {
		let check = this.#checks.get(entry.id);
		if (check === undefined) {
			check = checkPresented(entry.presentation, {
				coop: this.#host.coopId,
				member: entry.member,
				now: Date.now()
			});
			this.#checks.set(entry.id, check);
		}
		return check;
	}

	/**
	 * Presents a credential from another co-op (checked on this device first) to this co-op: signs
	 * a presentation with the key the credential names, bound to this co-op and member, and writes it.
	 */
	async present(credential: { readonly [key: string]: JsonValue }): Promise<InputResult> {
		const me = this.#host.me();
		if (me === null) return refused('cred_not_member');
		const made = await presentationFor(credential, this.#host.holderKeys, {
			coop: this.#host.coopId,
			member: me.id,
			now: Date.now()
		});
		if (!made.ok) return refused(made.messageKey);
		const result = await this.#host.write((context) =>
			credentialPresentDraft(context, { presentation: made.presentation })
		);
		return result.ok ? { ok: true } : result;
	}

	/**
	 * For an applicant (not a member yet): the presentation of a credential bound to this co-op and
	 * to this device's key, which becomes their member id once a decision admits them. It is given
	 * to the members by hand (they check it on the admission's proposal); nothing is written.
	 */
	async applicantPresentation(credential: {
		readonly [key: string]: JsonValue;
	}): Promise<{ ok: true; presentation: string } | { ok: false; messageKey: string }> {
		return presentationFor(credential, this.#host.holderKeys, {
			coop: this.#host.coopId,
			member: this.#host.key.publicKey,
			now: Date.now()
		});
	}

	/** Checks a presentation given by hand as `member`'s (an applicant's key) in this co-op. */
	checkGiven(text: string | Uint8Array, member: string): Promise<PresentedCheck> {
		return checkPresented(text, { coop: this.#host.coopId, member, now: Date.now() });
	}

	/** The signed credential as JSON text, with the signatures received so far. */
	async assemble(request: CredentialRequestView): Promise<string | undefined> {
		const rebuilt = await this.rebuild(request);
		if (rebuilt === undefined || !rebuilt.matches) return undefined;
		return JSON.stringify(assembleCredential(rebuilt.unsigned, request), null, 2);
	}
}

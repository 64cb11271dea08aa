import type { Verified } from '../kernel/envelope';
import type { Stamp } from '../kernel/hlc';
import {
	ACCEPTED,
	rejected,
	UnexpectedEffectError,
	UnexpectedWaitError,
	type AreaFold,
	type Effect,
	type FoldContext,
	type Outcome,
	type Settled,
	type Wait
} from '../kernel/module';
import type { CredentialRequestBody, CredentialsRecord } from './records';

/**
 * The credentials rules: a request by a member names who it asks; each of them answers once,
 * signing the request's digest or declining. A requester cannot ask themself; an answer by a
 * member not asked, a second answer, or a signature over another digest is rejected.
 */

export type Answer =
	| {
			readonly kind: 'signed';
			readonly member: string;
			/** The device that signed: its key is the proof's verification method. */
			readonly device: string;
			readonly created: string;
			readonly proofValue: string;
			readonly at: Stamp;
	  }
	| {
			readonly kind: 'declined';
			readonly member: string;
			readonly reason: string;
			readonly at: Stamp;
	  };

export interface RequestState extends CredentialRequestBody {
	readonly id: string;
	/** The member the credential is about. */
	readonly member: string;
	readonly device: string;
	readonly at: Stamp;
	/** By member id, in the order they arrived. */
	readonly answers: Map<string, Answer>;
}

/** A credential from elsewhere, presented by a member (verified by each device, not here). */
export interface PresentedState {
	readonly id: string;
	/** The presenting member: the presentation must be bound to them. */
	readonly member: string;
	readonly device: string;
	readonly at: Stamp;
	readonly presentation: string;
}

export class CredentialsFold implements AreaFold {
	readonly requests: Map<string, RequestState>;
	/** By record id, in the order they were accepted. */
	readonly presented: Map<string, PresentedState>;
	version = 0;

	constructor(from?: CredentialsFold) {
		this.presented = new Map(from?.presented ?? []);
		this.requests = new Map(
			[...(from?.requests ?? [])].map(([id, request]) => [
				id,
				{ ...request, answers: new Map(request.answers) }
			])
		);
		this.version = from?.version ?? 0;
	}

	clone(): CredentialsFold {
		return new CredentialsFold(this);
	}

	apply(entry: Verified, author: string | null, context: FoldContext): Outcome {
		const record = entry.record as CredentialsRecord;
		const member = author!;
		switch (record.type) {
			case 'credential.request': {
				if (record.signers.includes(member))
					return rejected('bad-choice', 'a member cannot co-sign their own credential');
				this.requests.set(entry.id, {
					id: entry.id,
					member,
					device: record.author,
					at: record.at,
					signers: record.signers,
					digest: record.digest,
					cutoff: record.cutoff,
					coopName: record.coopName,
					memberName: record.memberName,
					reputation: record.reputation ?? false,
					answers: new Map()
				});
				break;
			}
			case 'credential.sign':
			case 'credential.decline': {
				const wait = context.after(record.request);
				if (wait !== null) return wait;
				const request = this.requests.get(record.request);
				if (request === undefined) return rejected('unknown-item', 'not a credential request');
				if (!request.signers.includes(member)) return rejected('not-asked');
				if (request.answers.has(member)) return rejected('duplicate', 'already answered');
				if (record.type === 'credential.sign') {
					if (record.digest !== request.digest) return rejected('digest-mismatch');
					request.answers.set(member, {
						kind: 'signed',
						member,
						device: record.author,
						created: record.created,
						proofValue: record.proofValue,
						at: record.at
					});
				} else {
					request.answers.set(member, {
						kind: 'declined',
						member,
						reason: record.reason,
						at: record.at
					});
				}
				break;
			}
			case 'credential.present':
				this.presented.set(entry.id, {
					id: entry.id,
					member,
					device: record.author,
					at: record.at,
					presentation: record.presentation
				});
				break;
			default:
				return record satisfies never;
		}
		this.version++;
		return ACCEPTED;
	}

	settle(wait: Wait): Settled {
		throw new UnexpectedWaitError(`credentials never waits on ${wait.on}`);
	}

	effect(effect: Effect): boolean {
		throw new UnexpectedEffectError(`credentials applies no effect ${effect.type}`);
	}
}

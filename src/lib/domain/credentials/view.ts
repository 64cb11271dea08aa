import type { Stamp } from '../kernel/hlc';
import { MAX_WALL } from '../kernel/hlc';
import type { CompletedWork, WorkQueries } from '../work/queries';
import type { Answer, CredentialsFold } from './fold';

export type { Answer } from './fold';

/** A request for a co-signed credential, as the pages show it. */
export interface CredentialRequestView {
	readonly id: string;
	readonly member: string;
	readonly device: string;
	readonly at: Stamp;
	readonly signers: readonly string[];
	readonly digest: string;
	readonly cutoff: number;
	readonly coopName: string;
	readonly memberName: string;
	/** Whether the credential carries the skills and the feedback summary. */
	readonly reputation: boolean;
	/** In the order they arrived. */
	readonly answers: readonly Answer[];
	/** Members asked who have not answered yet. */
	readonly waitingFor: readonly string[];
	readonly signed: number;
}

/** A credential from elsewhere a member presented; each device verifies it before showing it. */
export interface PresentedView {
	readonly id: string;
	readonly member: string;
	readonly device: string;
	readonly at: Stamp;
	/** The presentation's JSON text, untrusted. */
	readonly presentation: string;
}

export interface CredentialsView {
	/** Newest first. */
	readonly requests: readonly CredentialRequestView[];
	/** Credentials from elsewhere presented by members, newest first. */
	readonly presented: readonly PresentedView[];
	/** All completed work, from the work area's query, in the order it was completed. */
	readonly completedWork: readonly CompletedWork[];
}

const completed = new WeakMap<
	object,
	{ version: number; upTo: number; rows: readonly CompletedWork[] }
>();

/**
 * The work area's completed rows, as frozen copies. Rows are only ever added (at a time the
 * query can reach), so a new version of the work fold copies only the rows it added: a new job
 * costs nothing here, a completion one row, not a copy of every row of the co-op.
 */
function completedWorkOf(
	work: WorkQueries & { readonly version: number }
): readonly CompletedWork[] {
	const cached = completed.get(work);
	if (cached?.version === work.version) return cached.rows;
	const all = work.completedWork(0, MAX_WALL + 1);
	let rows: readonly CompletedWork[];
	if (cached !== undefined && all.length === cached.upTo) rows = cached.rows;
	else {
		const start = cached !== undefined && all.length > cached.upTo ? cached.upTo : 0;
		// Copies: the state is frozen, and the work area keeps its own rows.
		const fresh = all.slice(start).map((row) => Object.freeze({ ...row }));
		rows = Object.freeze(start === 0 ? fresh : cached!.rows.concat(fresh));
	}
	completed.set(work, { version: work.version, upTo: all.length, rows });
	return rows;
}

const views = new WeakMap<CredentialsFold, { version: number; view: CredentialsView }>();

/** The credentials area's read model; built once per version of the fold. */
export function credentialsView(
	fold: CredentialsFold,
	work: WorkQueries & { readonly version: number }
): CredentialsView {
	const completedWork = completedWorkOf(work);
	const cached = views.get(fold);
	if (cached?.version === fold.version && cached.view.completedWork === completedWork) {
		return cached.view;
	}
	const requests = [...fold.requests.values()]
		.map((request): CredentialRequestView => {
			const answers = [...request.answers.values()];
			return {
				id: request.id,
				member: request.member,
				device: request.device,
				at: request.at,
				signers: request.signers,
				digest: request.digest,
				cutoff: request.cutoff,
				coopName: request.coopName,
				memberName: request.memberName,
				reputation: request.reputation ?? false,
				answers,
				waitingFor: request.signers.filter((signer) => !request.answers.has(signer)),
				signed: answers.filter((answer) => answer.kind === 'signed').length
			};
		})
		.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
	const presented = [...fold.presented.values()]
		.map((entry): PresentedView => ({ ...entry }))
		.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
	const view: CredentialsView = { requests, presented, completedWork };
	views.set(fold, { version: fold.version, view });
	return view;
}

import type { DraftIn, SignedUnion } from '../kernel/envelope';
import {
	boolean,
	integer,
	list,
	oneOf,
	tagList,
	text,
	type FieldProblem
} from '../kernel/field-checks';
import { MAX_WALL, wallOf } from '../kernel/hlc';
import { LIMITS } from '../kernel/limits';
import type { RecordKinds } from '../kernel/module';
import { publicKey, publicKeyOrEmpty, recordIdCheck } from '../kernel/shape';
import { isSettingKey, MAX_CHARTER, settingPatch } from '../settings/values';
import {
	hasOptions,
	MAX_OPTIONS,
	PROPOSAL_ACTIONS,
	PROPOSAL_KINDS,
	THRESHOLDS,
	THRESHOLDS_BY_KIND,
	type ProposalAction,
	type ProposalKind,
	type Threshold
} from './vocabulary';

/**
 * The records of the governance area: delegations, proposals, votes, comments, closes and
 * their confirmations.
 * See docs/records.md and docs/governance.md.
 */

/**
 * A member hands their vote to another member, on every proposal (`tag` empty) or on proposals
 * with one tag, until a later record replaces it; `to` empty revokes.
 */
export interface DelegateBody {
	readonly to: string;
	readonly tag: string;
}

/** A proposal, open from its stamp until `closesAt`. See docs/governance.md. */
export interface ProposalBody {
	readonly title: string;
	readonly text: string;
	readonly kind: ProposalKind;
	/** Option labels; empty for a consent proposal. */
	readonly options: readonly string[];
	/** ms since the epoch. */
	readonly closesAt: number;
	/** Percent of the members eligible at opening who must take part. */
	readonly quorum: number;
	readonly threshold: Threshold;
	/** True if the tally is shown only once the proposal is closed. */
	readonly hidden: boolean;
	/** A topic for delegations by tag; empty for none. */
	readonly tag: string;
	/** What a passed consent proposal changes in the co-op; `none` for a plain decision. */
	readonly action: ProposalAction;
	/** Admit: the applicant's device key. Remove: the member id. Setting: its key. Else empty. */
	readonly subject: string;
	/** Admit: the applicant's name. Setting: the new value. Charter: the new text. Else empty. */
	readonly value: string;
	/**
	 * Id of the newest record (in (at, id) order) the writing device held: the proposal must come
	 * after it in the order, so it cannot be back-dated before what its author had seen (its
	 * electorate is the roster at its place). See docs/governance.md.
	 */
	readonly after: string;
}

export interface VoteBody {
	/** Id of the `proposal.open` record. */
	readonly proposal: string;
	/** See `Choice` in vocabulary.ts. */
	readonly choice: readonly number[];
	readonly reason: string;
}

export interface CommentBody {
	readonly proposal: string;
	readonly text: string;
}

/**
 * Counts a proposal: the ids of the votes and delegations in force when it was written, each
 * ascending. The electorate is not listed: it is the roster at the proposal's place. A close
 * decides only once another member confirms it (`proposal.confirm`), unless the electorate is
 * its writer alone; `after` as in `ProposalBody`. See docs/governance.md.
 */
export interface CloseBody {
	readonly proposal: string;
	readonly votes: readonly string[];
	readonly delegations: readonly string[];
	readonly after: string;
}

/** A member other than its writer agrees with a close: its device lists the same. */
export interface ConfirmBody {
	/** Id of the `proposal.close` record. */
	readonly close: string;
}

export interface GovernanceBodies {
	'member.delegate': DelegateBody;
	'proposal.open': ProposalBody;
	'proposal.vote': VoteBody;
	'proposal.comment': CommentBody;
	'proposal.close': CloseBody;
	'proposal.confirm': ConfirmBody;
}

export type GovernanceType = keyof GovernanceBodies;
export type GovernanceRecord<T extends GovernanceType = GovernanceType> = SignedUnion<
	GovernanceBodies,
	T
>;

/** The rules that tie a proposal's kind, options, dates, threshold and action together. */
function proposalProblem(draft: DraftIn<GovernanceBodies, 'proposal.open'>): FieldProblem | null {
	const lifetime = draft.closesAt - wallOf(draft.at);
	if (lifetime <= 0 || lifetime > LIMITS.proposalLifetimeMs) {
		return { field: 'closesAt', problem: 'out-of-range' };
	}
	const options = draft.options.length;
	if (hasOptions(draft.kind) ? options < 2 : options > 0) {
		return { field: 'options', problem: options === 0 ? 'empty' : 'out-of-range' };
	}
	if (!THRESHOLDS_BY_KIND[draft.kind].includes(draft.threshold)) {
		return { field: 'threshold', problem: 'out-of-range' };
	}
	if (draft.action !== 'none' && draft.kind !== 'consent') {
		return { field: 'action', problem: 'mismatch' };
	}
	const subjectOk = (() => {
		switch (draft.action) {
			case 'admit':
			case 'remove':
				return publicKey(draft.subject) === null;
			case 'setting':
				return isSettingKey(draft.subject);
			default:
				return draft.subject === '';
		}
	})();
	if (!subjectOk) return { field: 'subject', problem: 'bad-format' };
	const valueOk = (() => {
		switch (draft.action) {
			case 'admit':
				return text({ min: 1, max: LIMITS.displayName })(draft.value) === null;
			case 'setting':
				return (
					isSettingKey(draft.subject) && settingPatch(draft.subject, draft.value) !== undefined
				);
			case 'charter':
				return draft.value !== '';
			default:
				return draft.value === '';
		}
	})();
	return valueOk ? null : { field: 'value', problem: 'out-of-range' };
}

export const GOVERNANCE_RECORDS: RecordKinds<GovernanceBodies> = {
	'member.delegate': {
		body: { to: publicKeyOrEmpty, tag: text({ max: LIMITS.tag }) },
		author: 'member'
	},
	'proposal.open': {
		body: {
			title: text({ min: 1, max: LIMITS.proposalTitle }),
			text: text({ max: LIMITS.proposalText, multiline: true }),
			kind: oneOf(PROPOSAL_KINDS),
			options: tagList(MAX_OPTIONS, LIMITS.option),
			closesAt: integer(0, MAX_WALL),
			quorum: integer(0, 100),
			threshold: oneOf(THRESHOLDS),
			hidden: boolean,
			tag: text({ max: LIMITS.tag }),
			action: oneOf(PROPOSAL_ACTIONS),
			subject: text({ max: 43 }),
			value: text({ max: MAX_CHARTER, multiline: true }),
			after: recordIdCheck
		},
		// A proposal may carry a whole charter.
		maxBytes: LIMITS.proposalBytes,
		author: 'member',
		cross: proposalProblem
	},
	'proposal.vote': {
		body: {
			proposal: recordIdCheck,
			choice: list(integer(0, MAX_OPTIONS), MAX_OPTIONS),
			reason: text({ max: LIMITS.reason, multiline: true })
		},
		author: 'member'
	},
	'proposal.comment': {
		body: {
			proposal: recordIdCheck,
			text: text({ min: 1, max: LIMITS.comment, multiline: true })
		},
		author: 'member'
	},
	'proposal.close': {
		body: {
			proposal: recordIdCheck,
			votes: list(recordIdCheck, LIMITS.closeIds, { ascending: true }),
			delegations: list(recordIdCheck, LIMITS.closeIds, { ascending: true }),
			after: recordIdCheck
		},
		// A close lists the ids of every vote and delegation that counts.
		maxBytes: LIMITS.closeBytes,
		author: 'member'
	},
	'proposal.confirm': {
		body: { close: recordIdCheck },
		author: 'member'
	}
};

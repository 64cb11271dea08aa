import type { IntegrityReport } from './kernel/accounting';
import { deepFreeze } from './kernel/freeze';
import type { KernelFold } from './kernel/fold';
import { Projector, type ProjectorOptions } from './kernel/projector';
import type { Rejection } from './kernel/reasons';
import { governanceArea } from './governance/module';
import { governanceView, type GovernanceView } from './governance/view';
import { ledgerArea } from './ledger/module';
import { ledgerView, prepareLedgerView, type LedgerView } from './ledger/view';
import { membershipArea } from './membership/module';
import { membershipView, type InviteView, type Member } from './membership/view';
import { REGISTRY, type VerifiedRecord } from './registry';
import { feedbackArea, skillsArea } from './reputation/module';
import { feedbackView, skillsView, type FeedbackView, type SkillsView } from './reputation/view';
import { settingsArea } from './settings/module';
import {
	settingsView,
	type CharterVersion,
	type CoopInfo,
	type SettingChange
} from './settings/view';
import type { GovernedSettings } from './settings/values';
import { credentialsArea } from './credentials/module';
import { credentialsView, type CredentialsView } from './credentials/view';
import { workArea } from './work/module';
import { prepareWorkView, workView, type WorkView } from './work/view';

/**
 * The one state the app reads: each area's read model, composed. Each area's view is built once
 * per version of its fold (see the areas' `view.ts`), so a record that leaves an area unchanged
 * leaves its part of the state the same object.
 */

/** Proposals and delegations, with the charter and the settings the decisions made. */
export interface GovernanceState extends GovernanceView {
	/** Adopted versions, oldest first; the last is in force. */
	readonly charter: readonly CharterVersion[];
	readonly settings: GovernedSettings;
	/** Oldest first. */
	readonly settingChanges: readonly SettingChange[];
}

/** The projection of a co-op: plain, frozen data. */
export interface CoopState {
	readonly coop: CoopInfo | null;
	/** In the order they joined. */
	readonly members: readonly Member[];
	/** In the order they were issued. */
	readonly invites: readonly InviteView[];
	readonly integrity: IntegrityReport;
	/** Proposals, delegations, charter and decided settings. */
	readonly governance: GovernanceState;
	/** The books: transactions, balances, assertions, patronage allocations. */
	readonly ledger: LedgerView;
	/** Jobs, shifts, sign-ups, availability and the fairness figure. */
	readonly work: WorkView;
	readonly credentials: CredentialsView;
	/** Skills, endorsements, mentoring; feedback on work and feedback rounds. */
	readonly reputation: ReputationState;
}

export interface ReputationState {
	readonly skills: SkillsView;
	readonly feedback: FeedbackView;
}

const reputations = new WeakMap<SkillsView, WeakMap<FeedbackView, ReputationState>>();

/** The reputation state, the same object as long as both parts are. */
function reputationState(skills: SkillsView, feedback: FeedbackView): ReputationState {
	let byFeedback = reputations.get(skills);
	if (byFeedback === undefined) reputations.set(skills, (byFeedback = new WeakMap()));
	let state = byFeedback.get(feedback);
	if (state === undefined) byFeedback.set(feedback, (state = { skills, feedback }));
	return state;
}

const composed = new WeakMap<object, WeakMap<object, GovernanceState>>();

/** The governance state, the same object as long as both parts are. */
function governanceState(
	governance: GovernanceView,
	settings: ReturnType<typeof settingsView>
): GovernanceState {
	let bySettings = composed.get(governance);
	if (bySettings === undefined) composed.set(governance, (bySettings = new WeakMap()));
	let state = bySettings.get(settings);
	if (state === undefined) {
		state = {
			...governance,
			charter: settings.charter,
			settings: settings.settings,
			settingChanges: settings.changes
		};
		bySettings.set(settings, state);
	}
	return state;
}

/** Composes the areas' views of a fold into the co-op's state. */
export function composeState(fold: KernelFold, integrity: IntegrityReport): CoopState {
	const settings = settingsView(fold.of(settingsArea));
	const membership = membershipView(fold.of(membershipArea));
	const governance = governanceView(fold.of(governanceArea));
	return deepFreeze({
		coop: settings.coop,
		members: membership.members,
		invites: membership.invites,
		integrity,
		governance: governanceState(governance, settings),
		ledger: ledgerView(fold.of(ledgerArea)),
		work: workView(fold.of(workArea)),
		credentials: credentialsView(fold.of(credentialsArea), fold.of(workArea)),
		reputation: reputationState(
			skillsView(fold.of(skillsArea)),
			feedbackView(fold.of(feedbackArea))
		)
	});
}

/** The co-op's projection, kept up to date as records arrive (see `Projector`). */
export class CoopProjector extends Projector<CoopState> {
	constructor(coopId: string, options?: ProjectorOptions) {
		super(REGISTRY, coopId, composeState, options);
	}

	/**
	 * Makes, for about `ms` milliseconds, the largest areas' views ready for the next `snapshot`,
	 * and says whether any is left: after `addInSteps`, the first snapshot of a large co-op (the
	 * books and the jobs) is then made over several tasks rather than in one.
	 */
	prepareSnapshot(ms: number): boolean {
		const until = performance.now() + ms;
		const fold = this.fold;
		return !(
			prepareLedgerView(fold.of(ledgerArea), until) && prepareWorkView(fold.of(workArea), until)
		);
	}
}

/**
 * The state of a set of verified records (and the rejections of entries that failed) at the
 * device time `now`.
 */
export function projectCoop(
	coopId: string,
	records: readonly VerifiedRecord[],
	rejections: readonly Rejection[] = [],
	now: number = Date.now()
): CoopState {
	const projector = new CoopProjector(coopId, { now: () => now });
	projector.add(records);
	projector.reject(rejections);
	return projector.snapshot();
}

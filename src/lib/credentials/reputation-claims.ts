import type { JsonValue } from '$lib/crypto/canonical-json';
import { projectCoop, type CoopState } from '$lib/domain/coop-state';
import { compareRecords } from '$lib/domain/kernel/envelope';
import { wallOf } from '$lib/domain/kernel/hlc';
import type { VerifiedRecord } from '$lib/domain/registry';
import { CRITERIA, MAX_FEEDBACK_SCORE } from '$lib/domain/reputation/records';
import { memberRecord } from '$lib/domain/reputation/view';
import { dateTimeOf } from './data-integrity';
import { didKeyOf } from './did-key';
import type { RecordEntry } from './membership-evidence';

/**
 * The reputation part of a work record: the member's skills with their level and every standing
 * endorsement (endorser, date, sentence), and the summary of all the feedback they received
 * (counts per criterion and score: nothing chosen or left out). Added under `credentialSubject`
 * as `skills` and `feedback` through the work credential's extension hook.
 *
 * Co-signers' devices must build the same bytes long after the request, while members keep
 * endorsing, withdrawing and leaving feedback: so the claims are computed from the co-op as it
 * stood at the request's cutoff, by projecting only the records stamped before it, with the
 * same rules every device folds with. See docs/reputation.md.
 */

type JsonObject = { [key: string]: JsonValue };

export const SKILLS_CLAIM_TYPE = 'OursSkills';
export const FEEDBACK_CLAIM_TYPE = 'OursFeedbackSummary';

/** The co-op as it stood just before `cutoff`, from the records this device holds. */
export function stateAt(coop: string, records: readonly RecordEntry[], cutoff: number): CoopState {
	const before = records
		.filter((entry) => wallOf(entry.record.at) < cutoff)
		.sort(compareRecords) as unknown as VerifiedRecord[];
	return projectCoop(coop, before, [], cutoff);
}

/** The `skills` and `feedback` claims about `member`, from the co-op's state at the cutoff. */
export function reputationClaims(state: CoopState, member: string): JsonObject {
	const record = memberRecord(state.reputation.skills, state.reputation.feedback, member);
	const nameOf = (id: string) => state.members.find((entry) => entry.id === id)?.displayName ?? '';
	const endorser = (id: string): JsonObject => {
		const name = nameOf(id);
		return { id: didKeyOf(id), ...(name === '' ? {} : { name }) };
	};
	const skills: JsonObject = {
		type: SKILLS_CLAIM_TYPE,
		endorsementsToQualify: state.reputation.skills.threshold,
		items: record.skills.map((skill) => ({
			name: skill.name,
			level: skill.level,
			qualified: skill.qualified,
			// Shaped as Open Badges 3.0 endorsement subjects: who, when, and their sentence.
			endorsements: skill.endorsements.map((endorsement) => ({
				type: ['EndorsementSubject'],
				endorser: endorser(endorsement.by),
				date: dateTimeOf(wallOf(endorsement.at)),
				...(endorsement.note === '' ? {} : { endorsementComment: endorsement.note })
			}))
		}))
	};
	const feedback: JsonObject = {
		type: FEEDBACK_CLAIM_TYPE,
		scale: { min: 1, max: MAX_FEEDBACK_SCORE },
		count: record.feedback.count,
		jobs: record.feedback.jobs,
		criteria: CRITERIA.map((criterion) => ({
			criterion,
			counts: [...record.feedback.criteria[criterion]]
		}))
	};
	return { skills, feedback };
}

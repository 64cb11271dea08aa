import { isQualified, type SkillsView } from '../reputation/view';
import type { RotationContext } from './view';

/**
 * What the work rules need of the rest of the co-op, read from its state, in one place: the
 * roster, the weekly hours decided, and who is qualified for a skill as the skills area says it
 * (a skill listed at "can do" or better with the endorsements the co-op asks for; the profile's
 * skills while it asks for none). The fold checks claims, sign-ups and the rotation's pick with
 * the same answer, so a page's "in turn", "why this member?" and "you cannot take this" agree
 * with what every device will accept.
 */
export function rotationContext(state: {
	readonly members: RotationContext['members'];
	readonly governance: { readonly settings: { readonly maxWeeklyHours: number } };
	readonly reputation: { readonly skills: SkillsView };
}): RotationContext {
	const skills = state.reputation.skills;
	return {
		members: state.members,
		maxWeeklyHours: state.governance.settings.maxWeeklyHours,
		isQualified: (member, skill) => isQualified(skills, member, skill)
	};
}

import type { Stamp } from '../kernel/hlc';

/**
 * What other areas ask of the membership area: the genesis founds the first member; a passed
 * decision admits an applicant or removes a member. Applied at the deciding record's place in
 * the order; see `MembershipFold.effect`.
 */
export type MembershipEffect =
	| { readonly type: 'member.found'; readonly member: string; readonly at: Stamp }
	| {
			readonly type: 'member.admit';
			/** The applicant's device key: their member id. */
			readonly member: string;
			readonly at: Stamp;
			/** The member who proposed the admission. */
			readonly invitedBy: string;
			readonly displayName: string;
	  }
	| { readonly type: 'member.remove'; readonly member: string; readonly at: Stamp };

export const MEMBERSHIP_EFFECTS = [
	'member.found',
	'member.admit',
	'member.remove'
] as const satisfies readonly MembershipEffect['type'][];

import { queryKey, type Authors } from '../kernel/module';

/** What the membership area tells other areas (and the kernel, as `Authors`). */
export interface MembershipQueries extends Authors {
	/** True if `member` is a member id whose member is active. */
	isActive(member: string): boolean;
	/** True if `device` belongs to a member, active or not. */
	owns(device: string): boolean;
	/** Ids of the active members, in the order they joined. */
	activeMembers(): string[];
	/** The skills of a member's profile (empty for an unknown member or one without a profile). */
	skillsOf(member: string): readonly string[];
}

export const MEMBERSHIP = queryKey<MembershipQueries>('membership');

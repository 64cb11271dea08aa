import { queryKey, type Authors } from '../kernel/module';

/** What the membership area tells other areas (and the kernel, as `Authors`). */
export interface MembershipQueries extends Authors {
	/** True if `member` is a member id whose member is active. */
	isActive(member: string): boolean;
	/** True if `device` belongs to a member, active or not. */
	owns(device: string): boolean;
	/** Ids of the active members, in the order they joined. */
	activeMembers(): string[];
}

export const MEMBERSHIP = queryKey<MembershipQueries>('membership');

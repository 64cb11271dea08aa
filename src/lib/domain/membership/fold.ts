import type { Verified } from '../kernel/envelope';
import { wallOf, type Stamp } from '../kernel/hlc';
import {
	ACCEPTED,
	rejected,
	UnexpectedWaitError,
	waiting,
	type AreaFold,
	type Authorship,
	type FoldContext,
	type Outcome,
	type Settled,
	type Wait
} from '../kernel/module';
import type { MembershipEffect } from './effects';
import type { MembershipQueries } from './queries';
import type { MembershipRecord } from './records';

/**
 * The membership rules, applied to verified records one at a time in (at, id) order: invites,
 * joins, devices, profiles, leaving, and the admissions and removals that decisions bring (as
 * effects). It answers, for the kernel and other areas, who a device writes for.
 */

/** `removed`: by a decision of the co-op (a passed remove proposal). */
export type MemberStatus = 'active' | 'left' | 'removed';

export interface MemberDraft {
	readonly id: string;
	displayName: string;
	bio: string;
	skills: readonly string[];
	contact: string;
	readonly joinedAt: Stamp;
	readonly invitedBy: string | null;
	readonly inviteId: string | null;
	readonly devices: string[];
	status: MemberStatus;
	leftAt: Stamp | null;
	profileAt: Stamp | null;
}

export interface InviteDraft {
	readonly inviteId: string;
	readonly issuer: string;
	readonly issuedBy: string;
	readonly at: Stamp;
	readonly expiresAt: number;
	readonly maxUses: number;
	readonly usedBy: string[];
	revokedAt: Stamp | null;
}

export class MembershipFold implements AreaFold, MembershipQueries {
	version = 0;
	founded = false;
	readonly members: Map<string, MemberDraft>;
	/** Device key -> member id, for every device ever added (left members' devices included). */
	readonly owners: Map<string, string>;
	readonly invites: Map<string, InviteDraft>;
	/** Invite ids of every invite record applied, counted or not. */
	readonly #inviteIdsSeen: Set<string>;

	constructor(from?: MembershipFold) {
		this.version = from?.version ?? 0;
		this.founded = from?.founded ?? false;
		this.members = new Map(
			[...(from?.members.values() ?? [])].map((member) => [
				member.id,
				{ ...member, devices: [...member.devices] }
			])
		);
		this.owners = new Map(from?.owners);
		this.invites = new Map(
			[...(from?.invites.values() ?? [])].map((invite) => [
				invite.inviteId,
				{ ...invite, usedBy: [...invite.usedBy] }
			])
		);
		this.#inviteIdsSeen = new Set(from === undefined ? [] : from.#inviteIdsSeen);
	}

	clone(): MembershipFold {
		return new MembershipFold(this);
	}

	authorship(device: string): Authorship | undefined {
		const owner = this.owners.get(device);
		const member = owner === undefined ? undefined : this.members.get(owner);
		if (member === undefined) return undefined;
		if (member.status === 'active') return { active: true, member: member.id };
		const detail =
			member.status === 'left'
				? 'stamped after its member left'
				: 'stamped after its member was removed';
		return { active: false, detail };
	}

	isActive(member: string): boolean {
		return this.members.get(member)?.status === 'active';
	}

	owns(device: string): boolean {
		return this.owners.has(device);
	}

	activeMembers(): string[] {
		return [...this.members.values()]
			.filter((member) => member.status === 'active')
			.map((member) => member.id);
	}

	skillsOf(member: string): readonly string[] {
		return this.members.get(member)?.skills ?? [];
	}

	apply(entry: Verified<MembershipRecord>, author: string | null, context: FoldContext): Outcome {
		const outcome = this.#judge(entry, author, context);
		if (outcome.kind === 'accepted') this.version++;
		return outcome;
	}

	settle(wait: Wait): Settled {
		if (wait.on !== 'invite') throw new UnexpectedWaitError(`membership never waits on ${wait.on}`);
		if (this.invites.has(wait.key)) {
			return { kind: 'rejected', reason: 'out-of-order', detail: 'stamped before its invite' };
		}
		const detail = this.#inviteIdsSeen.has(wait.key) ? 'its invite does not count' : null;
		return { kind: 'pending', reason: 'missing-invite', detail };
	}

	effect(effect: MembershipEffect): boolean {
		switch (effect.type) {
			case 'member.found':
				this.founded = true;
				this.#addMember(effect.member, effect.at, null, null);
				break;
			case 'member.admit': {
				if (this.owners.has(effect.member)) return false;
				this.#addMember(effect.member, effect.at, effect.invitedBy, null);
				this.members.get(effect.member)!.displayName = effect.displayName;
				break;
			}
			case 'member.remove': {
				const member = this.members.get(effect.member);
				if (member?.status !== 'active') return false;
				member.status = 'removed';
				member.leftAt = effect.at;
				break;
			}
			default:
				return effect satisfies never;
		}
		this.version++;
		return true;
	}

	#judge(entry: Verified<MembershipRecord>, author: string | null, context: FoldContext): Outcome {
		const { record } = entry;
		switch (record.type) {
			case 'member.invite':
				return this.#invite(entry, record, context);
			case 'member.invite-revoked':
				return this.#revoke(record);
			case 'member.join':
				return this.#join(record);
			case 'member.device-link':
				return this.#link(record, author!);
			case 'member.profile':
				return this.#profile(record, author!);
			case 'member.leave':
				return this.#leave(record, author!);
			default:
				return record satisfies never;
		}
	}

	#addMember(id: string, at: Stamp, invitedBy: string | null, inviteId: string | null): void {
		this.members.set(id, {
			id,
			displayName: '',
			bio: '',
			skills: [],
			contact: '',
			joinedAt: at,
			invitedBy,
			inviteId,
			devices: [id],
			status: 'active',
			leftAt: null,
			profileAt: null
		});
		this.owners.set(id, id);
	}

	#invite(
		entry: Verified,
		record: MembershipRecord<'member.invite'>,
		context: FoldContext
	): Outcome {
		this.#inviteIdsSeen.add(record.inviteId);
		const issuer = context.activeAuthor(entry);
		if (typeof issuer !== 'string') return issuer;
		if (this.invites.has(record.inviteId)) return rejected('duplicate', 'invite id already issued');
		this.invites.set(record.inviteId, {
			inviteId: record.inviteId,
			issuer,
			issuedBy: record.author,
			at: record.at,
			expiresAt: record.expiresAt,
			maxUses: record.maxUses,
			usedBy: [],
			revokedAt: null
		});
		return ACCEPTED;
	}

	#revoke(record: MembershipRecord<'member.invite-revoked'>): Outcome {
		const invite = this.invites.get(record.inviteId);
		if (invite === undefined) return waiting('invite', record.inviteId);
		if (invite.revokedAt !== null) return rejected('duplicate', 'already revoked');
		invite.revokedAt = record.at;
		return ACCEPTED;
	}

	#join(record: MembershipRecord<'member.join'>): Outcome {
		if (this.owners.has(record.author)) {
			return rejected('already-member', 'device already belongs to a member');
		}
		const invite = this.invites.get(record.inviteId);
		if (invite === undefined) return waiting('invite', record.inviteId);
		if (invite.revokedAt !== null) return rejected('invite-revoked');
		if (this.members.get(invite.issuer)?.status !== 'active') {
			return rejected('invite-revoked', 'its issuer has left');
		}
		if (wallOf(record.at) >= invite.expiresAt) return rejected('invite-expired');
		if (invite.usedBy.length >= invite.maxUses) return rejected('invite-used-up');
		invite.usedBy.push(record.author);
		this.#addMember(record.author, record.at, invite.issuer, invite.inviteId);
		return ACCEPTED;
	}

	#link(record: MembershipRecord<'member.device-link'>, author: string): Outcome {
		if (author !== record.member) {
			return rejected('not-a-member', 'author is not a device of that member');
		}
		if (this.owners.has(record.device)) {
			return rejected('already-member', 'device already belongs to a member');
		}
		this.owners.set(record.device, author);
		this.members.get(author)!.devices.push(record.device);
		return ACCEPTED;
	}

	#profile(record: MembershipRecord<'member.profile'>, author: string): Outcome {
		const member = this.members.get(author)!;
		// Later records in (at, id) order win: the fold order is the same everywhere.
		member.displayName = record.displayName;
		member.bio = record.bio;
		member.skills = record.skills;
		member.contact = record.contact;
		member.profileAt = record.at;
		return ACCEPTED;
	}

	#leave(record: MembershipRecord<'member.leave'>, author: string): Outcome {
		const member = this.members.get(author)!;
		member.status = 'left';
		member.leftAt = record.at;
		return ACCEPTED;
	}
}

import { GovernanceFold, type ProposalDraft } from './governance-fold';
import { parseSetting, type GovernedSettings, type SettingKey } from './governance-types';
import { wallOf, type Stamp } from './hlc';
import type { ReasonCode, Rejection } from './reasons';
import type { SignedOf, VerifiedRecord } from './record-types';
import type { CoopInfo, MemberStatus } from './roster-types';

/**
 * The roster rules, applied to verified records one at a time in (at, id) order. Each record is
 * judged against the state left by the records before it, and nothing else, so the outcome is a
 * function of the set of records, whatever order they arrived in.
 *
 * A record can be accepted (it changes the state), rejected (a rule forbids it at its position),
 * or it waits: what it depends on (its author's membership, its invite) is not in the state.
 * Whether a waiting record is pending or rejected is settled by `settle`, which looks at the final
 * state: if the dependency showed up later in the order, the record came before it and is rejected;
 * if it never showed up, the record is pending, to be judged again when new records arrive.
 */

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

type Wait =
	| { readonly entry: VerifiedRecord; readonly on: 'author' }
	| { readonly entry: VerifiedRecord; readonly on: 'invite'; readonly inviteId: string }
	| { readonly entry: VerifiedRecord; readonly on: 'proposal'; readonly proposalId: string };

/** A version of the charter, adopted by a decision. */
export interface CharterVersion {
	readonly text: string;
	readonly at: Stamp;
	/** The proposal that adopted it. */
	readonly proposal: string;
}

/** A setting changed by a decision. */
export interface SettingChange {
	readonly key: SettingKey;
	readonly value: GovernedSettings[SettingKey];
	readonly at: Stamp;
	readonly proposal: string;
}

function rejection(entry: VerifiedRecord, reason: ReasonCode, detail: string | null): Rejection {
	const { record } = entry;
	return { id: entry.id, reason, type: record.type, author: record.author, at: record.at, detail };
}

export class RosterFold {
	coop: CoopInfo | null = null;
	readonly members = new Map<string, MemberDraft>();
	/** Device key -> member id, for every device ever added (left members' devices included). */
	readonly owners = new Map<string, string>();
	readonly invites = new Map<string, InviteDraft>();
	accepted = 0;
	readonly rejections: Rejection[] = [];
	readonly #waits: Wait[] = [];
	/** Invite ids of every invite record applied, counted or not. */
	readonly #inviteIdsSeen = new Set<string>();
	readonly governance = new GovernanceFold();
	readonly charter: CharterVersion[] = [];
	readonly settingChanges: SettingChange[] = [];
	/** Proposals whose action took effect. */
	readonly applied = new Set<string>();

	constructor(readonly coopId: string) {}

	apply(entry: VerifiedRecord): void {
		const { record } = entry;
		// Verification already pins records to a co-op; this guards against mixing two co-ops' records.
		if (record.coop !== this.coopId) return this.#reject(entry, 'wrong-coop', null);
		switch (record.type) {
			case 'coop.genesis':
				return this.#genesis(entry, record);
			case 'member.invite':
				return this.#invite(entry, record);
			case 'member.invite-revoked':
				return this.#revoke(entry, record);
			case 'member.join':
				return this.#join(entry, record);
			case 'member.device-link':
				return this.#link(entry, record);
			case 'member.profile':
				return this.#profile(entry, record);
			case 'member.leave':
				return this.#leave(entry);
			case 'member.delegate': {
				const member = this.#activeMember(entry);
				if (member === undefined) return;
				this.governance.delegate(entry as VerifiedRecord<'member.delegate'>, member.id);
				return this.#accept();
			}
			case 'proposal.open':
				return this.#open(entry as VerifiedRecord<'proposal.open'>);
			case 'proposal.vote':
			case 'proposal.comment':
			case 'proposal.close':
				return this.#onProposal(
					entry as VerifiedRecord<'proposal.vote' | 'proposal.comment' | 'proposal.close'>
				);
		}
	}

	/** Rejections and pending records among those that waited, judged against the final state. */
	settle(): { rejected: Rejection[]; pending: Rejection[] } {
		const rejected: Rejection[] = [];
		const pending: Rejection[] = [];
		for (const wait of this.#waits) {
			const { entry } = wait;
			if (wait.on === 'proposal') {
				if (this.governance.proposals.has(wait.proposalId)) {
					rejected.push(rejection(entry, 'out-of-order', 'stamped before its proposal'));
				} else {
					pending.push(rejection(entry, this.coop ? 'missing-proposal' : 'missing-genesis', null));
				}
			} else if (wait.on === 'author') {
				if (this.owners.has(entry.record.author)) {
					rejected.push(rejection(entry, 'not-a-member', 'stamped before its author joined'));
				} else {
					pending.push(rejection(entry, this.coop ? 'unknown-author' : 'missing-genesis', null));
				}
			} else if (this.invites.has(wait.inviteId)) {
				rejected.push(rejection(entry, 'out-of-order', 'stamped before its invite'));
			} else {
				const detail = this.#inviteIdsSeen.has(wait.inviteId) ? 'its invite does not count' : null;
				pending.push(rejection(entry, this.coop ? 'missing-invite' : 'missing-genesis', detail));
			}
		}
		return { rejected, pending };
	}

	#accept(): void {
		this.accepted++;
	}

	#reject(entry: VerifiedRecord, reason: ReasonCode, detail: string | null): void {
		this.rejections.push(rejection(entry, reason, detail));
	}

	/** The author's member if the author is an active device; otherwise records why not. */
	#activeMember(entry: VerifiedRecord): MemberDraft | undefined {
		const owner = this.owners.get(entry.record.author);
		const member = owner === undefined ? undefined : this.members.get(owner);
		if (member === undefined) {
			this.#waits.push({ entry, on: 'author' });
			return undefined;
		}
		if (member.status !== 'active') {
			const detail =
				member.status === 'left'
					? 'stamped after its member left'
					: 'stamped after its member was removed';
			this.#reject(entry, 'not-a-member', detail);
			return undefined;
		}
		return member;
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

	#genesis(entry: VerifiedRecord, record: SignedOf<'coop.genesis'>): void {
		if (this.coop !== null) return this.#reject(entry, 'duplicate', 'the co-op is already founded');
		this.coop = {
			id: record.coop,
			name: record.name,
			created: record.created,
			founder: record.founder,
			settings: record.settings,
			at: record.at,
			genesisId: entry.id
		};
		this.#addMember(record.author, record.at, null, null);
		this.#accept();
	}

	#invite(entry: VerifiedRecord, record: SignedOf<'member.invite'>): void {
		this.#inviteIdsSeen.add(record.inviteId);
		const member = this.#activeMember(entry);
		if (member === undefined) return;
		if (this.invites.has(record.inviteId)) {
			return this.#reject(entry, 'duplicate', 'invite id already issued');
		}
		this.invites.set(record.inviteId, {
			inviteId: record.inviteId,
			issuer: member.id,
			issuedBy: record.author,
			at: record.at,
			expiresAt: record.expiresAt,
			maxUses: record.maxUses,
			usedBy: [],
			revokedAt: null
		});
		this.#accept();
	}

	#revoke(entry: VerifiedRecord, record: SignedOf<'member.invite-revoked'>): void {
		if (this.#activeMember(entry) === undefined) return;
		const invite = this.invites.get(record.inviteId);
		if (invite === undefined) {
			this.#waits.push({ entry, on: 'invite', inviteId: record.inviteId });
			return;
		}
		if (invite.revokedAt !== null) return this.#reject(entry, 'duplicate', 'already revoked');
		invite.revokedAt = record.at;
		this.#accept();
	}

	#join(entry: VerifiedRecord, record: SignedOf<'member.join'>): void {
		if (this.owners.has(record.author)) {
			return this.#reject(entry, 'already-member', 'device already belongs to a member');
		}
		const invite = this.invites.get(record.inviteId);
		if (invite === undefined) {
			this.#waits.push({ entry, on: 'invite', inviteId: record.inviteId });
			return;
		}
		if (invite.revokedAt !== null) return this.#reject(entry, 'invite-revoked', null);
		if (this.members.get(invite.issuer)?.status !== 'active') {
			return this.#reject(entry, 'invite-revoked', 'its issuer has left');
		}
		if (wallOf(record.at) >= invite.expiresAt) return this.#reject(entry, 'invite-expired', null);
		if (invite.usedBy.length >= invite.maxUses) return this.#reject(entry, 'invite-used-up', null);
		invite.usedBy.push(record.author);
		this.#addMember(record.author, record.at, invite.issuer, invite.inviteId);
		this.#accept();
	}

	#link(entry: VerifiedRecord, record: SignedOf<'member.device-link'>): void {
		const member = this.#activeMember(entry);
		if (member === undefined) return;
		if (member.id !== record.member) {
			return this.#reject(entry, 'not-a-member', 'author is not a device of that member');
		}
		if (this.owners.has(record.device)) {
			return this.#reject(entry, 'already-member', 'device already belongs to a member');
		}
		this.owners.set(record.device, member.id);
		member.devices.push(record.device);
		this.#accept();
	}

	#profile(entry: VerifiedRecord, record: SignedOf<'member.profile'>): void {
		const member = this.#activeMember(entry);
		if (member === undefined) return;
		// Later records in (at, id) order win: the fold order is the same everywhere.
		member.displayName = record.displayName;
		member.bio = record.bio;
		member.skills = record.skills;
		member.contact = record.contact;
		member.profileAt = record.at;
		this.#accept();
	}

	#leave(entry: VerifiedRecord): void {
		const member = this.#activeMember(entry);
		if (member === undefined) return;
		member.status = 'left';
		member.leftAt = entry.record.at;
		this.#accept();
	}

	#open(entry: VerifiedRecord<'proposal.open'>): void {
		const member = this.#activeMember(entry);
		if (member === undefined) return;
		const { record } = entry;
		const target = this.members.get(record.subject);
		if (record.action === 'remove' && target?.status !== 'active') {
			return this.#reject(entry, 'bad-action', 'removes someone who is not an active member');
		}
		if (record.action === 'admit' && this.owners.has(record.subject)) {
			return this.#reject(entry, 'bad-action', 'admits a device that belongs to a member');
		}
		const eligible = [...this.members.values()]
			.filter((candidate) => candidate.status === 'active')
			.map((candidate) => candidate.id);
		this.governance.open(entry, member.id, eligible);
		this.#accept();
	}

	#onProposal(
		entry: VerifiedRecord<'proposal.vote' | 'proposal.comment' | 'proposal.close'>
	): void {
		const member = this.#activeMember(entry);
		if (member === undefined) return;
		const proposalId = entry.record.proposal;
		const proposal = this.governance.proposals.get(proposalId);
		if (proposal === undefined) {
			this.#waits.push({ entry, on: 'proposal', proposalId });
			return;
		}
		switch (entry.record.type) {
			case 'proposal.vote':
				if (!this.governance.vote(proposal, entry as VerifiedRecord<'proposal.vote'>, member.id)) {
					return this.#reject(entry, 'bad-choice', null);
				}
				break;
			case 'proposal.comment':
				this.governance.comment(proposal, entry as VerifiedRecord<'proposal.comment'>, member.id);
				break;
			case 'proposal.close': {
				if (proposal.close !== null) return this.#reject(entry, 'duplicate', 'already closed');
				const early = wallOf(entry.record.at) < proposal.record.closesAt;
				if (early && member.id !== proposal.member) {
					return this.#reject(entry, 'too-early', 'only its author closes it before time');
				}
				this.governance.close(proposal, entry as VerifiedRecord<'proposal.close'>, member.id);
				this.#act(proposal);
				break;
			}
		}
		this.#accept();
	}

	/** Carries out what a passed proposal decided, at its close's place in the order. */
	#act(proposal: ProposalDraft): void {
		const close = proposal.close;
		if (close === null || close.missing > 0 || close.result.outcome !== 'passed') return;
		const { action, subject, value } = proposal.record;
		switch (action) {
			case 'none':
				return;
			case 'remove': {
				const member = this.members.get(subject);
				if (member?.status !== 'active') return;
				member.status = 'removed';
				member.leftAt = close.at;
				break;
			}
			case 'admit': {
				if (this.owners.has(subject)) return;
				this.#addMember(subject, close.at, proposal.member, null);
				this.members.get(subject)!.displayName = value;
				break;
			}
			case 'setting': {
				const key = subject as SettingKey;
				const parsed = parseSetting(key, value);
				if (parsed === undefined || this.coop === null) return;
				this.settingChanges.push({ key, value: parsed, at: close.at, proposal: proposal.id });
				if (key === 'name') this.coop = { ...this.coop, name: value };
				if (key === 'inviteDays' || key === 'inviteMaxUses') {
					this.coop = { ...this.coop, settings: { ...this.coop.settings, [key]: parsed } };
				}
				break;
			}
			case 'charter':
				this.charter.push({ text: value, at: close.at, proposal: proposal.id });
				break;
		}
		this.applied.add(proposal.id);
	}
}

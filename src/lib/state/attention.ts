import type { Member } from '$lib/domain/membership/view';
import type { ProposalView } from '$lib/domain/governance/view';
import type { Stamp } from '$lib/domain/kernel/hlc';
import { schedule, type ScheduleItem, type WorkView } from '$lib/domain/work/view';

/**
 * What waits for a member and what is new to them, worked out from the co-op's state and this
 * device's own markers (see seen.ts). Pure: the same state and markers give the same lists.
 * See docs/architecture.md, "Attention and notifications".
 */

/** An open proposal the member may still vote on and has not. */
export interface VoteDue {
	readonly proposal: ProposalView;
	/** True for a vote on admitting an applicant. */
	readonly applicant: boolean;
}

/** A close another member wrote that this device agrees with but saw late: the member decides. */
export interface CosignDue {
	readonly proposal: ProposalView;
	readonly close: string;
}

/** A new device that asked to be linked to a member (see session/link-requests.ts). */
export interface LinkAsk {
	readonly device: string;
	readonly member: string;
}

/** What the attention lists are worked out from. */
export interface AttentionInput {
	/** The member's id; null when this device is not an active member (nothing waits for it). */
	readonly me: string | null;
	readonly proposals: readonly ProposalView[];
	readonly members: readonly Member[];
	/** Closes of other members this device agrees with but saw late, by proposal id. */
	readonly lateCloses: (proposal: ProposalView) => readonly string[];
	/** The device-link requests the shared document holds (none when not watched). */
	readonly linkAsks?: readonly LinkAsk[];
	readonly now: number;
}

/** Votes the member has not cast, the soonest deadline first. */
export function votesDue(input: AttentionInput): VoteDue[] {
	const { me, now } = input;
	if (me === null) return [];
	return input.proposals
		.filter(
			(proposal) =>
				proposal.close === null &&
				proposal.closesAt > now &&
				proposal.eligible.includes(me) &&
				!proposal.votes.some((vote) => vote.member === me)
		)
		.map((proposal) => ({ proposal, applicant: proposal.action === 'admit' }))
		.sort((a, b) => a.proposal.closesAt - b.proposal.closesAt);
}

/** Closes waiting for the member's confirmation (co-signing). */
export function cosignsDue(input: AttentionInput): CosignDue[] {
	if (input.me === null) return [];
	return input.proposals
		.filter((proposal) => proposal.close === null)
		.flatMap((proposal) => input.lateCloses(proposal).map((close) => ({ proposal, close })));
}

/**
 * Devices that asked to be linked to the member and are nobody's device yet: their request
 * arrived while no device of the member was showing the one-time link that matches it, so only a
 * new link finishes it. Requests carry no authority and anyone holding the room key can write
 * one, so they are never approved from here: the member opens "Link a device" again.
 */
export function linkAsksDue(input: AttentionInput): LinkAsk[] {
	const me = input.me;
	if (me === null) return [];
	const linked = new Set(input.members.flatMap((member) => member.devices));
	return (input.linkAsks ?? []).filter((ask) => ask.member === me && !linked.has(ask.device));
}

/** What is new since a marker (a stamp this device keeps), leaving out the member's own doing. */
export interface NewSince {
	readonly proposals: readonly ProposalView[];
	readonly decisions: readonly ProposalView[];
	readonly members: readonly Member[];
}

/** Items stamped after `since` (null: everything), not written by the member, newest first. */
export function newSince(input: AttentionInput, since: Stamp | null): NewSince {
	const after = (stamp: Stamp) => since === null || stamp > since;
	const me = input.me;
	return {
		proposals: input.proposals.filter((proposal) => proposal.author !== me && after(proposal.at)),
		decisions: input.proposals.filter(
			(proposal) =>
				proposal.close !== null && proposal.close.member !== me && after(proposal.close.decidedAt)
		),
		members: input.members
			.filter((member) => member.id !== me && member.status === 'active' && after(member.joinedAt))
			.reverse()
	};
}

/** The newest stamp among the items the lists are made of: what a marker moves to once seen. */
export function newestStamp(input: AttentionInput): Stamp | null {
	let newest: Stamp | null = null;
	const consider = (stamp: Stamp) => {
		if (newest === null || stamp > newest) newest = stamp;
	};
	for (const proposal of input.proposals) {
		consider(proposal.at);
		if (proposal.close !== null) consider(proposal.close.decidedAt);
	}
	for (const member of input.members) consider(member.joinedAt);
	return newest;
}

/** How many new things the Decisions area holds: proposals by others and decisions taken. */
export function decisionsUnread(input: AttentionInput, since: Stamp | null): number {
	const fresh = newSince(input, since);
	return fresh.proposals.length + fresh.decisions.length;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A job or shift of the member's that needs them: coming soon, under way, or to complete. */
export interface WorkDue {
	readonly item: ScheduleItem;
	/** `to-complete`: its time is over and the member has not said how long they worked. */
	readonly state: 'coming' | 'under-way' | 'to-complete';
}

/**
 * The member's jobs and shifts that need them, soonest first: those starting within `days`
 * days, those under way, and those that ended in the past `days` days and wait for their hours.
 */
export function workDue(work: WorkView, me: string | null, now: number, days = 7): WorkDue[] {
	if (me === null) return [];
	return schedule(work, me, now - days * DAY_MS, now + days * DAY_MS)
		.filter(({ item }) => !item.done)
		.map(({ item }) => ({
			item,
			state: item.endsAt <= now ? 'to-complete' : item.startsAt <= now ? 'under-way' : 'coming'
		}));
}

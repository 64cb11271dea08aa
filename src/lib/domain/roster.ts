import { deepFreeze } from './freeze';
import { governanceOf } from './governance-view';
import type { Rejection } from './reasons';
import type { VerifiedRecord } from './record-types';
import { compareRecords } from './records';
import { RosterFold, type InviteDraft, type MemberDraft } from './roster-fold';
import type { InviteView, Member, RosterState } from './roster-types';

/**
 * The roster projection, kept up to date as records arrive.
 *
 * Records are folded in (at, id) order. A batch whose records all sort after the last one applied
 * (the common case: new records are stamped by clocks that have seen the old ones) is applied on
 * top of the current state. A batch with a record that sorts before the last one applied (a peer
 * back from a long time offline) makes the projector refold from the start: merge into the sorted
 * list, then apply everything again. Membership records are few (a handful per member) and a refold
 * is linear, so this stays cheap; bench/records measures it.
 *
 * Verification is separate and async (`verifyRecord`); the projector is synchronous and only takes
 * `VerifiedRecord`s. Entries that failed verification are passed to `reject` so that the integrity
 * report covers everything stored under the co-op's record map.
 */
export class RosterProjector {
	readonly #coopId: string;
	#entries: VerifiedRecord[] = [];
	readonly #ids = new Set<string>();
	#fold: RosterFold;
	readonly #verifyRejections = new Map<string, Rejection>();
	#snapshot: RosterState | null = null;
	#refolds = 0;

	constructor(coopId: string) {
		this.#coopId = coopId;
		this.#fold = new RosterFold(coopId);
	}

	/** Number of distinct verified records applied. */
	get size(): number {
		return this.#entries.length;
	}

	/** How many times `add` had to refold from the start (for tests and benchmarks). */
	get refolds(): number {
		return this.#refolds;
	}

	/** True if a verified record with this id has been added. */
	has(id: string): boolean {
		return this.#ids.has(id);
	}

	/** Applies verified records; records already added are ignored. Reports whether it refolded. */
	add(records: readonly VerifiedRecord[]): { added: number; refolded: boolean } {
		const fresh: VerifiedRecord[] = [];
		for (const entry of records) {
			if (this.#ids.has(entry.id)) continue;
			this.#ids.add(entry.id);
			// A valid record under a key outweighs any junk once seen under the same key.
			this.#verifyRejections.delete(entry.id);
			fresh.push(entry);
		}
		if (fresh.length === 0) return { added: 0, refolded: false };
		fresh.sort(compareRecords);
		this.#snapshot = null;
		const last = this.#entries.at(-1);
		if (last === undefined || compareRecords(fresh[0]!, last) > 0) {
			for (const entry of fresh) {
				this.#entries.push(entry);
				this.#fold.apply(entry);
			}
			return { added: fresh.length, refolded: false };
		}
		this.#entries = mergeSorted(this.#entries, fresh);
		this.#fold = new RosterFold(this.#coopId);
		for (const entry of this.#entries) this.#fold.apply(entry);
		this.#refolds++;
		return { added: fresh.length, refolded: true };
	}

	/** Records entries that failed verification, for the integrity report. */
	reject(rejections: readonly Rejection[]): void {
		for (const rejection of rejections) {
			if (this.#ids.has(rejection.id)) continue;
			this.#verifyRejections.set(rejection.id, rejection);
			this.#snapshot = null;
		}
	}

	/** The current roster as plain frozen data; the same object until something changes. */
	snapshot(): RosterState {
		this.#snapshot ??= buildSnapshot(this.#fold, [...this.#verifyRejections.values()]);
		return this.#snapshot;
	}
}

/** The roster of a set of verified records (and the rejections of entries that failed). */
export function projectRoster(
	coopId: string,
	records: readonly VerifiedRecord[],
	rejections: readonly Rejection[] = []
): RosterState {
	const projector = new RosterProjector(coopId);
	projector.add(records);
	projector.reject(rejections);
	return projector.snapshot();
}

/** True if an invite can still admit someone at time `now` (ms since the epoch). */
export function inviteIsOpen(invite: InviteView, now: number): boolean {
	return !invite.revoked && invite.usesLeft > 0 && now < invite.expiresAt;
}

/** The member a device key belongs to, active or not. */
export function memberOfDevice(state: RosterState, device: string): Member | undefined {
	return state.members.find((member) => member.devices.includes(device));
}

function mergeSorted(a: readonly VerifiedRecord[], b: readonly VerifiedRecord[]): VerifiedRecord[] {
	const merged: VerifiedRecord[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		merged.push(compareRecords(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
	}
	while (i < a.length) merged.push(a[i++]!);
	while (j < b.length) merged.push(b[j++]!);
	return merged;
}

const byId = (a: Rejection, b: Rejection): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function memberView(member: MemberDraft): Member {
	return { ...member, skills: [...member.skills], devices: [...member.devices] };
}

function inviteView(invite: InviteDraft, members: ReadonlyMap<string, MemberDraft>): InviteView {
	const issuerLeftAt = members.get(invite.issuer)?.leftAt ?? null;
	const stamps = [invite.revokedAt, issuerLeftAt].filter((stamp) => stamp !== null).sort();
	return {
		inviteId: invite.inviteId,
		issuer: invite.issuer,
		issuedBy: invite.issuedBy,
		at: invite.at,
		expiresAt: invite.expiresAt,
		maxUses: invite.maxUses,
		usesLeft: invite.maxUses - invite.usedBy.length,
		usedBy: [...invite.usedBy],
		revoked: stamps.length > 0,
		revokedAt: stamps[0] ?? null
	};
}

function buildSnapshot(fold: RosterFold, verifyRejections: readonly Rejection[]): RosterState {
	const settled = fold.settle();
	const rejections = [...verifyRejections, ...fold.rejections, ...settled.rejected].sort(byId);
	const waiting = settled.pending.sort(byId);
	return deepFreeze({
		coop: fold.coop,
		members: [...fold.members.values()].map(memberView),
		invites: [...fold.invites.values()].map((invite) => inviteView(invite, fold.members)),
		governance: governanceOf(fold),
		integrity: {
			checked: fold.accepted + rejections.length + waiting.length,
			accepted: fold.accepted,
			rejected: rejections.length,
			pending: waiting.length,
			rejections,
			waiting
		}
	});
}

import { createSubscriber } from 'svelte/reactivity';
import { randomId } from '$lib/crypto/random';
import {
	inviteDraft,
	inviteRevokeDraft,
	leaveDraft,
	profileDraft,
	deviceLinkDraft
} from '$lib/domain/membership/commands';
import { newInviteSecret } from '$lib/domain/membership/proofs';
import {
	inviteIsOpen,
	memberOfDevice,
	type InviteView,
	type Member
} from '$lib/domain/membership/view';
import type { CoopState } from '$lib/domain/coop-state';
import type { InputResult } from '$lib/domain/kernel/input-result';
import type { JunkLedger } from '$lib/domain/kernel/junk-ledger';
import { lookAlikeMembers, lookAlikeOf } from '$lib/domain/kernel/names';
import type { CoopSession, ExportKind } from '$lib/session/coop-session';
import { joinProblem, type JoinProblem } from '$lib/session/join-check';
import { linkAsks, linkRequestsOf, watchLinkRequests } from '$lib/session/link-requests';
import type { Membership } from '$lib/session/membership';
import type { DraftBuilder } from '$lib/session/signed-records';
import { readSyncFileInWorker } from '$lib/sync/file-read-client';
import { stateVectorOf, type SyncFileError } from '$lib/sync/file-sync';
import type { SyncStatus } from '$lib/sync/sync-status';
import { applyUrl, deviceLinkUrl, inviteUrl } from '$lib/util/invite-link';
import { memberLabel, shortKey } from '$lib/util/format';
import { diffText } from '$lib/util/text-diff';
import { Credentials } from './credentials';
import type { HolderKeys } from './presenting';
import { Governance } from './governance';
import { Money } from './money';
import { Reputation } from './reputation';
import { Work } from './work';
import {
	cosignsDue,
	decisionsUnread,
	linkAsksDue,
	newestStamp,
	newSince,
	votesDue,
	workDue,
	type AttentionInput,
	type CosignDue,
	type LinkAsk,
	type NewSince,
	type VoteDue,
	type WorkDue
} from './attention';
import { loadSeen, saveSeen, type SeenArea, type SeenMarkers } from './seen';
import { loadNotifyPrefs, setBadge, showNotification } from './notify';
import { notificationsFor } from './notify-text';

export type { JoinProblem } from '$lib/session/join-check';
export type { CosignDue, LinkAsk, NewSince, VoteDue, WorkDue } from './attention';
export type { ExportKind, InviteView, Member, Membership, CoopState, SyncFileError, SyncStatus };
export type { IntegrityReport } from '$lib/domain/kernel/accounting';
export type { Rejection } from '$lib/domain/kernel/reasons';
export type { JunkLedger } from '$lib/domain/kernel/junk-ledger';

/** The result of a command: done, or a message key for what was wrong with the input. */
export type CommandResult = InputResult;

export interface ProfileInput {
	readonly displayName: string;
	readonly bio: string;
	readonly skills: readonly string[];
	readonly contact: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A backup older than this is worth a gentle reminder. */
export const BACKUP_DUE_MS = 30 * DAY_MS;
/** A co-op new to this device is not nagged about backups in its first week. */
export const BACKUP_GRACE_MS = 7 * DAY_MS;

/** What reading a file into the open co-op did. */
export type FileImport =
	| { readonly ok: true; readonly kind: 'changes'; readonly changed: boolean }
	/** A member's "what I have": answer it with what they lack. */
	| { readonly ok: true; readonly kind: 'request'; readonly from: Uint8Array; readonly at: number }
	| { readonly ok: false; readonly error: SyncFileError | 'unreadable' };

/** When this device last received records from a member (any of their devices). */
export interface MemberSync {
	readonly member: Member;
	readonly at: number | null;
}

/** What a co-op view needs from the device beyond the session. */
export interface ViewDevice {
	/** When the co-op came to this device. */
	readonly addedAt: number;
	readonly lastBackupAt: number | null;
	/** Records that a backup was just made. */
	readonly backedUp: (coopId: string, at: number) => Promise<void>;
	/** Called with the co-op's name each time its genesis gives one this device did not keep. */
	readonly named?: (coopId: string, name: string) => Promise<void>;
	/** This device's key with this public key, in whichever co-op (presenting a credential). */
	readonly holderKeys?: HolderKeys;
}

/** How often the view looks for proposals whose closing time has passed. */
const CLOSE_CHECK_MS = 30_000;

/** One open co-op as the UI sees it: plain values that update when the document changes. */
export class CoopView {
	/** Proposals, votes, delegations, decisions and the charter. */
	readonly governance: Governance;
	/** The books: entries, reversals, assertions, patronage and the earnings dashboards. */
	readonly money: Money;
	/** Jobs, shifts, availability and the schedule. */
	readonly work: Work;
	/** Skills, endorsements, mentoring and feedback. */
	readonly reputation: Reputation;
	/** Requests for co-signed records of a member's work, and their answers. */
	readonly credentials: Credentials;
	readonly #session: CoopSession;
	readonly #notesChanged: () => void;
	readonly #recordsChanged: () => void;
	#status = $state<SyncStatus>() as SyncStatus;
	#saved = $state(true);
	#loaded = $state(false);
	#lastBackupAt = $state<number | null>(null);
	#seen = $state.raw<Readonly<Record<string, number>>>({});
	/** When this device first synced with a peer since the co-op opened. */
	#reachedAt = $state<number | null>(null);
	/** The clock, ticking while the device is not a member: a join's problem shows in time. */
	#now = $state(Date.now());
	/** This device's markers of what its member has seen (see seen.ts). */
	#markers = $state.raw<SeenMarkers>({});
	/** The device-link requests the document holds (they are not records: see link-requests.ts). */
	#linkAsks = $state.raw<readonly LinkAsk[]>([]);
	readonly #device: ViewDevice;
	readonly #stops: Array<() => void>;

	constructor(session: CoopSession, device: ViewDevice) {
		this.#session = session;
		this.#device = device;
		this.#lastBackupAt = device.lastBackupAt;
		void session.loaded.then(() => (this.#loaded = true));
		this.#seen = Object.fromEntries(session.arrivals.seen);
		this.#markers = loadSeen(session.coop.id);
		const notes = session.notes;
		this.#notesChanged = createSubscriber((update) => {
			notes.observe(update);
			return () => notes.unobserve(update);
		});
		this.#recordsChanged = createSubscriber((update) => session.records.onChange(update));
		const area = {
			roster: () => this.roster,
			me: () => this.me,
			write: (...builders: readonly DraftBuilder[]) => session.records.write(...builders)
		};
		this.credentials = new Credentials({
			...area,
			records: (types) => session.records.validOfTypes(types),
			key: session.key,
			nameOf: (member) => this.nameOf(member),
			coopId: session.coop.id,
			holderKeys: device.holderKeys ?? (() => Promise.resolve(undefined))
		});
		this.governance = new Governance({
			coopId: session.coop.id,
			roster: () => this.roster,
			me: () => this.me,
			write: (...builders) => session.records.write(...builders),
			lookup: (id) => session.records.get(id),
			nameOf: (member) => this.nameOf(member),
			newestBefore: (at) => session.records.newestBefore(at),
			arrivedAt: (id) => session.records.arrivedAt(id)
		});
		this.money = new Money(area);
		this.work = new Work(area);
		this.reputation = new Reputation(area);
		// The device's list shows the genesis's name once known, not the one a link carried.
		let named = session.coop.nameFromLink === true ? null : session.coop.name;
		const keepName = () => {
			const name = session.records.state.roster.coop?.name;
			if (name === undefined || name === named) return;
			named = name;
			void device.named?.(session.coop.id, name);
		};
		const closeDue = () => void this.governance.closeDue();
		// A close by another member is answered (confirmed, or not) as soon as it arrives.
		let answering = false;
		const answer = () => {
			if (answering) return;
			answering = true;
			setTimeout(() => {
				answering = false;
				closeDue();
			}, 0);
		};
		const timer = setInterval(closeDue, CLOSE_CHECK_MS);
		const tick = setInterval(() => {
			if (this.#session.membership.kind !== 'member') this.#now = Date.now();
		}, 1000);
		this.#stops = [
			session.network.subscribe((status) => {
				this.#status = status;
				if (this.#reachedAt === null && status.lastSyncedAt !== null) {
					this.#reachedAt = status.lastSyncedAt;
				}
			}),
			() => clearInterval(tick),
			session.records.onChange(keepName),
			session.persistence.onSavedChange((saved) => (this.#saved = saved)),
			session.arrivals.subscribe((seen) => (this.#seen = Object.fromEntries(seen))),
			() => clearInterval(timer),
			session.records.onChange(answer),
			session.records.onChange(() => this.#notify())
		];
		const requests = linkRequestsOf(session.doc);
		const readAsks = () => {
			this.#linkAsks = linkAsks(session.doc);
			this.#notify();
		};
		requests.observe(readAsks);
		this.#stops.push(() => requests.unobserve(readAsks));
		this.#linkAsks = linkAsks(session.doc);
		closeDue();
		keepName();
		this.#notify();
	}

	get id(): string {
		return this.#session.coop.id;
	}

	/** The name in the genesis record once it has synced, the invite's until then. */
	get name(): string {
		return this.roster.coop?.name ?? this.#session.coop.name;
	}

	/** False while the name shown is only the one the link carried, unconfirmed by the genesis. */
	get nameConfirmed(): boolean {
		return this.roster.coop !== null;
	}

	/** Why the join or link this device waits for cannot succeed, or null (see join-check.ts). */
	get joinProblem(): JoinProblem | null {
		return joinProblem({
			membership: this.membership,
			genesisKnown: this.roster.coop !== null,
			status: this.#status,
			reachedAt: this.#reachedAt,
			now: this.#now
		});
	}

	/**
	 * Whether this device may change anything: only an active member's. Others (a restored
	 * backup, an applicant, a pending join) read.
	 */
	get canEdit(): boolean {
		return this.me !== null;
	}

	/** Members whose name looks like an earlier member's (see names.ts). */
	get lookAlikes(): ReadonlySet<string> {
		return lookAlikeMembers(this.roster.members);
	}

	get roomKey(): string {
		return this.#session.coop.roomKey;
	}

	get notes(): string {
		this.#notesChanged();
		return this.#session.notes.toJSON();
	}

	get status(): SyncStatus {
		return this.#status;
	}

	/** Whether everything typed is written to this device, safe from a closed tab or a reload. */
	get saved(): boolean {
		return this.#saved;
	}

	/**
	 * Whether the stored document has loaded. The roster and decisions show before it, from the
	 * vault; the notes only after, and they cannot be edited until then.
	 */
	get loaded(): boolean {
		return this.#loaded;
	}

	/** Members, invites and the integrity report, projected from the signed records. */
	get roster(): CoopState {
		this.#recordsChanged();
		return this.#session.records.state.roster;
	}

	/** Junk entries this device found in the records map and removed: counts and a sample. */
	get junk(): JunkLedger {
		this.#recordsChanged();
		return this.#session.records.state.junk;
	}

	/** Records this device put back since the co-op opened, after a peer removed or altered them. */
	get restored(): number {
		this.#recordsChanged();
		return this.#session.records.state.restored;
	}

	/** False once this device failed to keep checked records (storage full or broken). */
	get vaultHealthy(): boolean {
		this.#recordsChanged();
		return this.#session.records.state.vaultHealthy;
	}

	get membership(): Membership {
		this.#recordsChanged();
		return this.#session.membership;
	}

	/** True while this device waits to be linked to a member's other device. */
	get linking(): boolean {
		return this.#session.coop.pending?.kind === 'link';
	}

	/** The display name of a member or device key, or a short form of the key. */
	nameOf(key: string): string {
		const member = memberOfDevice(this.roster, key);
		return member ? memberLabel(member) : shortKey(key);
	}

	/** This device's member, if it is an active member. */
	get me(): Member | null {
		const membership = this.membership;
		return membership.kind === 'member' ? membership.member : null;
	}

	/** This device's public key. */
	get device(): string {
		return this.#session.key.publicKey;
	}

	/** Invites that can still admit someone, newest first. */
	get openInvites(): readonly InviteView[] {
		const now = Date.now();
		return this.roster.invites.filter((invite) => inviteIsOpen(invite, now)).reverse();
	}

	/** When this device last made a backup of the co-op, if ever. */
	get lastBackupAt(): number | null {
		return this.#lastBackupAt;
	}

	/** Whether the co-op holds anything worth keeping: notes or a member. */
	get hasContent(): boolean {
		return this.notes.length > 0 || this.roster.members.length > 0;
	}

	/**
	 * True when there is something to lose and the last backup is over 30 days old, or there was
	 * none though the co-op has been on this device for over a week.
	 */
	backupDue(now = Date.now()): boolean {
		if (!this.hasContent) return false;
		if (this.#lastBackupAt === null) return now - this.#device.addedAt > BACKUP_GRACE_MS;
		return now - this.#lastBackupAt > BACKUP_DUE_MS;
	}

	/** The other members, with when records of theirs last arrived here (null: never since known). */
	get memberSyncs(): readonly MemberSync[] {
		const seen = this.#seen;
		const me = this.me?.id;
		return this.roster.members
			.filter((member) => member.id !== me && !member.devices.includes(this.device))
			.map((member) => {
				const times = member.devices.map((device) => seen[device] ?? 0);
				const at = Math.max(0, ...times);
				return { member, at: at > 0 ? at : null };
			});
	}

	/** What the attention lists are worked out from (reactive). */
	get #attention(): AttentionInput {
		const roster = this.roster;
		return {
			me: this.me?.id ?? null,
			proposals: roster.governance.proposals,
			members: roster.members,
			lateCloses: (proposal) =>
				this.governance
					.reviews(proposal)
					.filter(({ review }) => review === 'late')
					.map(({ close }) => close.id),
			linkAsks: this.#linkAsks,
			now: Date.now()
		};
	}

	/** Votes the member has not cast yet, the soonest deadline first. */
	get votesDue(): readonly VoteDue[] {
		return votesDue(this.#attention);
	}

	/** Closes by other members that wait for this member's confirmation. */
	get cosignsDue(): readonly CosignDue[] {
		return cosignsDue(this.#attention);
	}

	/** Devices that asked to be linked to this member while no link of theirs was shown. */
	get linkAsksDue(): readonly LinkAsk[] {
		return linkAsksDue(this.#attention);
	}

	/** How many things wait for the member: the home tab's count and the app icon's badge. */
	get waiting(): number {
		return this.votesDue.length + this.cosignsDue.length + Math.min(1, this.linkAsksDue.length);
	}

	/** The member's jobs and shifts coming this week, under way, or waiting for their hours. */
	get workDue(): readonly WorkDue[] {
		return workDue(this.roster.work, this.me?.id ?? null, Date.now());
	}

	/** The Work tab's count: the member's work under way, to complete, or starting within a day. */
	get workSoon(): number {
		const soon = Date.now() + 24 * 60 * 60 * 1000;
		return this.workDue.filter(({ item, state }) => state !== 'coming' || item.startsAt < soon)
			.length;
	}

	/** New proposals and decisions since this device last showed the Decisions area. */
	get decisionsUnread(): number {
		return decisionsUnread(this.#attention, this.#markers.decisions ?? null);
	}

	/** Where this device's member left off on the home page (null: never). */
	get homeSeen(): string | null {
		return this.#markers.home ?? null;
	}

	/** What is new since a marker, leaving out the member's own doing. */
	newSince(since: string | null): NewSince {
		return newSince(this.#attention, since);
	}

	/** Marks everything held now as seen in an area of this device. */
	markSeen(area: SeenArea): void {
		const newest = newestStamp(this.#attention);
		if (newest === null || this.#markers[area] === newest) return;
		this.#markers = { ...this.#markers, [area]: newest };
		saveSeen(this.id, this.#markers);
	}

	/**
	 * Shows what arrived since the last notification (by kinds the member turned on, never their
	 * own doing) and sets the app icon's badge. The first time a co-op opens on a device, what it
	 * already holds is marked without a notification.
	 */
	#notify(): void {
		const input = this.#attention;
		setBadge(
			votesDue(input).length + cosignsDue(input).length + Math.min(1, linkAsksDue(input).length)
		);
		const newest = newestStamp(input);
		if (newest === null) return;
		const since = this.#markers.notified;
		if (since === newest) return;
		this.#markers = { ...this.#markers, notified: newest };
		saveSeen(this.id, this.#markers);
		if (since === undefined || input.me === null) return;
		const fresh = newSince(input, since);
		const prefs = loadNotifyPrefs();
		for (const notification of notificationsFor(this.id, this.name, fresh, prefs, (member) =>
			this.nameOf(member)
		)) {
			void showNotification(notification);
		}
	}

	/** A sync file of the co-op as it is now (see docs/sync.md). */
	async exportFile(what: ExportKind): Promise<Uint8Array<ArrayBuffer>> {
		const file = await this.#session.exportFile(what, this.name);
		if (what.kind === 'backup') {
			const at = Date.now();
			this.#lastBackupAt = at;
			await this.#device.backedUp(this.id, at);
		}
		return file;
	}

	/**
	 * Reads a file a member sent (in a worker, bounded: see docs/sync.md) and merges what it brings
	 * that this device lacks, or returns their request. `bytes` is moved to the worker. Never throws.
	 */
	async importFile(bytes: Uint8Array<ArrayBuffer>): Promise<FileImport> {
		// Once loaded, the document's state vector says what the worker need not send back.
		await this.#session.persistence.loaded;
		const result = await readSyncFileInWorker(
			bytes,
			{ kinds: ['update', 'state-vector', 'backup'], coopId: this.id },
			stateVectorOf(this.#session.doc)
		);
		if (!result.ok) return result;
		if (result.header.kind === 'state-vector') {
			return { ok: true, kind: 'request', from: result.payload, at: result.header.createdAt };
		}
		const changed = await this.#session.importUpdate(result.payload);
		if (changed === null) return { ok: false, error: 'unreadable' };
		return { ok: true, kind: 'changes', changed };
	}

	/** Records what the member typed as the smallest edit to the shared text, in one transaction. */
	editNotes(value: string): void {
		// The editor is read-only for non-members; this guards against any other caller.
		if (!this.canEdit) return;
		const text = this.#session.notes;
		const edit = diffText(text.toJSON(), value);
		if (!edit) return;
		this.#session.doc.transact(() => {
			if (edit.remove > 0) text.delete(edit.index, edit.remove);
			if (edit.insert) text.insert(edit.index, edit.insert);
		});
	}

	updateProfile(input: ProfileInput): Promise<CommandResult> {
		const others = this.roster.members.filter((member) => member.status === 'active');
		const me = this.me?.id ?? null;
		return this.#write((context) => {
			const result = profileDraft(context, input);
			if (!result.ok || lookAlikeOf(result.draft.displayName, others, me) === null) return result;
			// A name others could take for a member's is a duplicate as people read names.
			const messageKey = 'record_display_name_looks_alike';
			return { ok: false, field: 'displayName', problem: 'duplicate', messageKey };
		});
	}

	/** A link for someone without an invite to open the co-op and apply to be admitted by vote. */
	get applyUrl(): string {
		return applyUrl(window.location.origin, {
			coopId: this.id,
			roomKey: this.roomKey,
			name: this.name
		});
	}

	/** A new invite; its link (with the secret) exists only in what this returns. */
	async createInvite(
		days: number,
		uses: number
	): Promise<InputResult<{ readonly url: string; readonly inviteId: string }>> {
		const { secret, inviteId } = await newInviteSecret();
		const expiresAt = Date.now() + days * DAY_MS;
		const result = await this.#write((context) =>
			inviteDraft(context, { inviteId, expiresAt, maxUses: uses })
		);
		if (!result.ok) return result;
		const url = inviteUrl(window.location.origin, {
			coopId: this.id,
			roomKey: this.roomKey,
			name: this.name,
			secret
		});
		return { ok: true, url, inviteId };
	}

	revokeInvite(inviteId: string): Promise<CommandResult> {
		return this.#write((context) => inviteRevokeDraft(context, { inviteId }));
	}

	leave(): Promise<CommandResult> {
		return this.#write((context) => leaveDraft(context));
	}

	/**
	 * Offers to link another device of this member: a one-time link to open on it. `onLinked` is
	 * called once the other device's request arrived and the link record is written.
	 */
	offerDeviceLink(onLinked: (result: CommandResult) => void): { url: string; stop: () => void } {
		const member = this.me?.id ?? this.device;
		const code = randomId();
		const url = deviceLinkUrl(window.location.origin, {
			coopId: this.id,
			roomKey: this.roomKey,
			name: this.name,
			member,
			code
		});
		const stop = watchLinkRequests(this.#session.doc, code, member, ({ device, request }) => {
			void this.#write((context) =>
				deviceLinkDraft(context, { member, device, consent: request.consent })
			).then(onLinked);
		});
		this.#stops.push(stop);
		return { url, stop };
	}

	async close(): Promise<void> {
		for (const stop of this.#stops) stop();
		await this.#session.close();
	}

	async #write(build: DraftBuilder): Promise<CommandResult> {
		const result = await this.#session.records.write(build);
		return result.ok ? { ok: true } : result;
	}
}

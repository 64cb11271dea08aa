import { expect } from 'vitest';
import * as Y from 'yjs';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { encodeBase64url } from '$lib/crypto/base64url';
import { generateSigningKey, signingKeyFromSeed, type SigningKey } from '$lib/crypto/keys';
import { signBytes } from '$lib/crypto/sign';
import {
	closeDraft,
	commentDraft,
	confirmDraft,
	delegateDraft,
	proposalDraft,
	voteDraft,
	type ProposalInput
} from '$lib/domain/governance/commands';
import {
	deviceLinkDraft,
	inviteDraft,
	inviteRevokeDraft,
	joinDraft,
	leaveDraft,
	profileDraft
} from '$lib/domain/membership/commands';
import { genesisDraft } from '$lib/domain/settings/commands';
import type { DraftContext } from '$lib/domain/kernel/draft';
import {
	type DraftResult,
	type DraftOf,
	type RecordDraft,
	type RecordType,
	type SignedRecord,
	type VerifiedRecord,
	signRecord,
	unsignedPart,
	verifyAll,
	verifyRecord
} from '$lib/domain/registry';
import {
	CONSENT_POSITIONS,
	MAX_SCORE,
	THRESHOLDS_BY_KIND,
	TIME_ANSWERS,
	type ProposalKind
} from '$lib/domain/governance/vocabulary';
import {
	ClockDriftError,
	formatHlc,
	parseHlc,
	receive,
	tick,
	wallOf,
	ZERO_CLOCK,
	type Hlc
} from '$lib/domain/kernel/hlc';
import { consentToLink, newInviteSecret, proveInvite } from '$lib/domain/membership/proofs';
import { newCoopId } from '$lib/domain/kernel/coop-id';
import type { ProposalView } from '$lib/domain/governance/view';
import { recordId } from '$lib/domain/kernel/sign';
import { projectCoop, CoopProjector, type CoopState } from '$lib/domain/coop-state';

/** Shared builders for domain tests: a co-op whose members write records at chosen times. */

export const T0 = Date.UTC(2025, 0, 1);
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface Entry {
	readonly id: string;
	readonly record: SignedRecord;
}

/** One device: a key and a hybrid clock. */
export class Device {
	clock: Hlc = ZERO_CLOCK;
	constructor(readonly key: SigningKey) {}

	static async create(): Promise<Device> {
		return new Device(await generateSigningKey());
	}

	/** A device whose key comes from a seeded PRNG, so that record ids replay exactly. */
	static async seeded(random: () => number): Promise<Device> {
		return new Device(await signingKeyFromSeed(seededBytes(random, 32)));
	}

	get id(): string {
		return this.key.publicKey;
	}

	stamp(now: number): string {
		this.clock = tick(this.clock, now);
		return formatHlc(this.clock);
	}

	/** A stamp of this device's clock at `now` that sorts after `seen` (as once it has seen it). */
	after(seen: string, now: number): string {
		const clock = parseHlc(seen)!;
		if (
			this.clock.wall < clock.wall ||
			(this.clock.wall === clock.wall && this.clock.counter < clock.counter)
		) {
			this.clock = clock;
		}
		return this.stamp(now);
	}
}

export function unwrap<T extends RecordType>(result: DraftResult<T>): DraftOf<T> {
	if (!result.ok) throw new Error(`Draft refused: ${result.field} ${result.problem}`);
	return result.draft;
}

/** Signs `draft` with `key` whatever its author says (for forgeries). */
export async function signAs(draft: RecordDraft, key: SigningKey): Promise<Entry> {
	const record = { ...draft, sig: await signBytes(key.privateKey, canonicalBytes(draft)) };
	return { id: await recordId(record), record: record as SignedRecord };
}

/** Re-signs a record after changing its body, with a correct id: only the proofs can be wrong. */
export async function resign(
	entry: Entry,
	key: SigningKey,
	change: Record<string, unknown>
): Promise<Entry> {
	return signAs({ ...unsignedPart(entry.record), ...change }, key);
}

export async function verified(entry: Entry, coop: string): Promise<VerifiedRecord> {
	const result = await verifyRecord(entry.id, entry.record, coop);
	if (!result.ok) throw new Error(`Expected a valid record: ${JSON.stringify(result.rejection)}`);
	return result.verified;
}

export async function verifiedAll(
	entries: readonly Entry[],
	coop: string
): Promise<VerifiedRecord[]> {
	return Promise.all(entries.map((entry) => verified(entry, coop)));
}

/** A co-op under construction; `now` is the physical time every device reads. */
export class World {
	now = T0;
	readonly entries: Entry[] = [];
	readonly secrets = new Map<string, string>();
	/** The founder and the members `newMember` added, in that order. */
	readonly people: Device[] = [];

	private constructor(
		readonly coop: string,
		readonly founder: Device,
		readonly genesis: Entry
	) {
		this.entries.push(genesis);
		this.people.push(founder);
	}

	static async found(founder?: Device, name = 'Bakery co-op'): Promise<World> {
		const device = founder ?? (await Device.create());
		const { coop, salt } = await newCoopId(device.id);
		const draft = unwrap(
			genesisDraft({ coop, author: device.id, at: device.stamp(T0) }, { name, created: T0, salt })
		);
		const genesis = await signRecord(draft, device.key);
		return new World(coop, device, { id: genesis.id, record: genesis.record });
	}

	advance(ms: number): this {
		this.now += ms;
		return this;
	}

	context(device: Device, at?: string): DraftContext {
		return { coop: this.coop, author: device.id, at: at ?? device.stamp(this.now) };
	}

	async write<T extends RecordType>(device: Device, result: DraftResult<T>): Promise<Entry> {
		const signed = await signRecord(unwrap(result), device.key);
		const entry: Entry = { id: signed.id, record: signed.record as SignedRecord };
		this.entries.push(entry);
		return entry;
	}

	async invite(
		issuer: Device,
		options: { maxUses?: number; lifetime?: number; at?: string } = {}
	): Promise<{ entry: Entry; secret: string; inviteId: string }> {
		const { secret, inviteId } = await newInviteSecret();
		this.secrets.set(inviteId, secret);
		const context = this.context(issuer, options.at);
		const expiresAt = Number(context.at.slice(0, 13)) + (options.lifetime ?? 7 * DAY);
		const entry = await this.write(
			issuer,
			inviteDraft(context, { inviteId, expiresAt, maxUses: options.maxUses ?? 1 })
		);
		return { entry, secret, inviteId };
	}

	async join(device: Device, secret: string, at?: string): Promise<Entry> {
		const proof = await proveInvite(secret, this.coop, device.id);
		return this.write(device, joinDraft(this.context(device, at), proof));
	}

	/** A new device invited by `issuer` and joined right away. */
	async newMember(issuer: Device): Promise<Device> {
		const device = await Device.create();
		const { secret } = await this.invite(issuer);
		this.advance(MINUTE);
		await this.join(device, secret);
		this.advance(MINUTE);
		this.people.push(device);
		return device;
	}

	async profile(device: Device, displayName: string, at?: string): Promise<Entry> {
		return this.write(
			device,
			profileDraft(this.context(device, at), {
				displayName,
				bio: `About ${displayName}`,
				skills: ['baking'],
				contact: ''
			})
		);
	}

	async revoke(device: Device, inviteId: string, at?: string): Promise<Entry> {
		return this.write(device, inviteRevokeDraft(this.context(device, at), { inviteId }));
	}

	async leave(device: Device, at?: string): Promise<Entry> {
		return this.write(device, leaveDraft(this.context(device, at)));
	}

	async link(existing: Device, member: string, added: Device, at?: string): Promise<Entry> {
		const consent = await consentToLink(added.key, this.coop, member);
		return this.write(
			existing,
			deviceLinkDraft(this.context(existing, at), { member, device: added.id, consent })
		);
	}

	/**
	 * Opens a proposal: by default a consent decision closing a day after its stamp, no quorum,
	 * the kind's default threshold; `input` overrides any of it.
	 */
	/**
	 * The newest record of the world that sorts before `at`: what an honest device writing at
	 * `at` names as `after` (it holds every record of the world).
	 */
	newestBefore(at: string): string {
		let newest: Entry | null = null;
		for (const entry of this.entries) {
			const { record } = entry;
			if (record.at >= at) continue;
			if (newest === null || record.at > newest.record.at) newest = entry;
			else if (record.at === newest.record.at && entry.id > newest.id) newest = entry;
		}
		return newest?.id ?? this.genesis.id;
	}

	async propose(
		device: Device,
		input: Partial<ProposalInput> = {},
		at?: string,
		after?: string
	): Promise<Entry> {
		const context = this.context(device, at);
		const kind = input.kind ?? 'consent';
		return this.write(
			device,
			proposalDraft(
				context,
				{
					title: 'Buy a new oven',
					text: '',
					kind,
					options: [],
					closesAt: wallOf(context.at) + DAY,
					quorum: 0,
					threshold: THRESHOLDS_BY_KIND[kind][0]!,
					hidden: false,
					tag: '',
					...input
				},
				after ?? this.newestBefore(context.at)
			)
		);
	}

	async vote(
		device: Device,
		proposal: string,
		choice: readonly number[],
		at?: string
	): Promise<Entry> {
		return this.write(
			device,
			voteDraft(this.context(device, at), { proposal, choice, reason: '' })
		);
	}

	async comment(device: Device, proposal: string, text: string, at?: string): Promise<Entry> {
		return this.write(device, commentDraft(this.context(device, at), { proposal, text }));
	}

	/**
	 * Closes `proposal` listing `basis` (usually `ProposalView.basis` as the closer sees it);
	 * `after` defaults to the newest record of the world before the close's stamp.
	 */
	async close(
		device: Device,
		proposal: string,
		basis: {
			readonly votes: readonly string[];
			readonly delegations: readonly string[];
			readonly after?: string;
		},
		at?: string
	): Promise<Entry> {
		const context = this.context(device, at);
		return this.write(
			device,
			closeDraft(context, {
				proposal,
				votes: basis.votes,
				delegations: basis.delegations,
				after: basis.after ?? this.newestBefore(context.at)
			})
		);
	}

	/** Confirms the close `close` as `device`'s member. */
	async confirm(device: Device, close: string, at?: string): Promise<Entry> {
		return this.write(device, confirmDraft(this.context(device, at), { close }));
	}

	/**
	 * Closes, then has the first other person of the world (`people`) confirm it right after:
	 * what a close by an honest device becomes once another member's device agrees with it.
	 * Returns the close, with its confirmation.
	 */
	async closeConfirmed(
		closer: Device,
		proposal: string,
		basis: {
			readonly votes: readonly string[];
			readonly delegations: readonly string[];
			readonly after?: string;
		},
		at?: string
	): Promise<Entry & { readonly confirm: Entry }> {
		const close = await this.close(closer, proposal, basis, at);
		const confirmer = this.people.find((person) => person !== closer)!;
		const confirm = await this.confirm(
			confirmer,
			close.id,
			confirmer.after(close.record.at, this.now)
		);
		return { ...close, confirm };
	}

	/** Closes with `closer` and confirms with `confirmer` right after: a decision. */
	async decide(
		closer: Device,
		confirmer: Device,
		proposal: string,
		basis: { readonly votes: readonly string[]; readonly delegations: readonly string[] },
		at?: string
	): Promise<{ close: Entry; confirm: Entry }> {
		const close = await this.close(closer, proposal, basis, at);
		const confirm = await this.confirm(
			confirmer,
			close.id,
			confirmer.after(close.record.at, this.now)
		);
		return { close, confirm };
	}

	/** Hands `device`'s member's vote to `to` ('' revokes) on proposals tagged `tag` ('' all). */
	async delegate(device: Device, to: string, tag = '', at?: string): Promise<Entry> {
		return this.write(device, delegateDraft(this.context(device, at), { to, tag }));
	}

	async verifiedEntries(): Promise<VerifiedRecord[]> {
		return verifiedAll(this.entries, this.coop);
	}
}

/** The stamp right after `at` (one more on its counter). */
export function next(at: string): string {
	const clock = parseHlc(at)!;
	return formatHlc({ wall: clock.wall, counter: clock.counter + 1 });
}

/** Asserts a verification outcome without caring about the rest of the rejection. */
export async function expectRejected(entry: Entry, coop: string, reason: string): Promise<void> {
	const result = await verifyRecord(entry.id, entry.record, coop);
	expect(result.ok ? 'accepted' : result.rejection.reason).toBe(reason);
}

/** A seeded PRNG (mulberry32): tests that use randomness replay exactly. */
export function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function pick<T>(random: () => number, items: readonly T[]): T {
	const item = items[Math.floor(random() * items.length)];
	if (item === undefined) throw new Error('pick from an empty list');
	return item;
}

export function shuffle<T>(random: () => number, items: readonly T[]): T[] {
	const out = [...items];
	for (let index = out.length - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[out[index], out[other]] = [out[other]!, out[index]!];
	}
	return out;
}

export function seededBytes(random: () => number, length: number): Uint8Array<ArrayBuffer> {
	return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

/** Seeded base64url text of `length` bytes (ids, salts, secrets in reproducible tests). */
export function seededToken(random: () => number, length: number): string {
	return encodeBase64url(seededBytes(random, length));
}

/** A random well-formed choice for a proposal of `kind` with `options` options. */
export function randomChoice(random: () => number, kind: ProposalKind, options: number): number[] {
	const below = (n: number) => Math.floor(random() * n);
	const indexes = Array.from({ length: options }, (_, index) => index);
	switch (kind) {
		case 'consent':
			return [below(CONSENT_POSITIONS.length)];
		case 'single':
			return [below(options)];
		case 'multiple': {
			const chosen = indexes.filter(() => random() < 0.5);
			return chosen.length > 0 ? chosen : [below(options)];
		}
		case 'score':
			return indexes.map(() => below(MAX_SCORE + 1));
		case 'ranked':
			return shuffle(random, indexes).slice(0, 1 + below(options));
		case 'time':
			return indexes.map(() => below(TIME_ANSWERS.length));
	}
}

/** A co-op of `size` members (the founder first), each joined with an invite from the founder. */
export async function foundCoop(size: number): Promise<{ world: World; people: Device[] }> {
	const world = await World.found();
	const people = [world.founder];
	for (let index = 1; index < size; index++) people.push(await world.newMember(world.founder));
	world.advance(MINUTE);
	return { world, people };
}

/** The roster of the world's records, leaving out `without`. */
export async function projectWorld(
	world: World,
	without: readonly Entry[] = []
): Promise<CoopState> {
	const entries = world.entries.filter((entry) => !without.includes(entry));
	return projectCoop(world.coop, await verifiedAll(entries, world.coop));
}

/** The view of the proposal opened by `entry`. */
export function proposalOf(state: CoopState, entry: Entry): ProposalView {
	const proposal = state.governance.proposals.find((view) => view.id === entry.id);
	if (proposal === undefined) throw new Error(`No proposal ${entry.id}`);
	return proposal;
}

/** How a projection judged a record: 'accepted', the rejection reason, or 'pending:<reason>'. */
export function recordOutcome(state: CoopState, entry: Entry): string {
	const rejected = state.integrity.rejections.find((rejection) => rejection.id === entry.id);
	if (rejected) return rejected.reason;
	const waiting = state.integrity.waiting.find((rejection) => rejection.id === entry.id);
	return waiting ? `pending:${waiting.reason}` : 'accepted';
}

/** A simulated device for convergence tests: its own document, and what it has judged so far. */
export interface SimulatedPeer {
	readonly device: Device;
	readonly doc: Y.Doc;
	readonly records: Y.Map<unknown>;
	readonly projector: CoopProjector;
	readonly processed: Set<string>;
	readonly validIds: Set<string>;
	/** Offset of this device's system clock, in ms. */
	readonly skew: number;
}

/**
 * A simulated device's parts: its own document, with a fixed client id (so Yjs's own tie-breaks
 * replay the same for a seed), a projector that keeps a checkpoint every `checkpointEvery` records
 * (late records then refold from one, and must end where a projection from scratch does), and a
 * clock off by up to half of `skewRange` either way.
 */
export function simulatedPeer(
	index: number,
	device: Device,
	coop: string,
	random: () => number,
	{ checkpointEvery, skewRange }: { checkpointEvery: number; skewRange: number }
): SimulatedPeer {
	const doc = new Y.Doc();
	doc.clientID = index + 1;
	return {
		device,
		doc,
		records: doc.getMap('records'),
		projector: new CoopProjector(coop, { checkpointEvery }),
		processed: new Set(),
		validIds: new Set(),
		skew: Math.round((random() - 0.5) * skewRange)
	};
}

/** Sends `to` what `from` has and it lacks, as Yjs would over the network. */
export function syncPeers(from: SimulatedPeer, to: SimulatedPeer): void {
	Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)));
}

/** Two random peers meet: one sends the other what it lacks, and half the time back too. */
export function randomExchange(random: () => number, peers: readonly SimulatedPeer[]): void {
	const from = pick(random, peers);
	const to = pick(
		random,
		peers.filter((peer) => peer !== from)
	);
	syncPeers(from, to);
	if (random() < 0.5) syncPeers(to, from);
}

/** Every peer sends every other what it lacks, `rounds` times over. */
export function syncEveryone(peers: readonly SimulatedPeer[], rounds = 1): void {
	for (let round = 0; round < rounds; round++) {
		for (const from of peers) for (const to of peers) if (from !== to) syncPeers(from, to);
	}
}

/**
 * `steps` moments of the co-op's life, each up to `maxStep` ms after the last: two random peers
 * meet with odds `meet`, otherwise a random peer acts. Returns the time reached.
 */
export async function wander<P extends SimulatedPeer>(
	random: () => number,
	peers: readonly P[],
	start: number,
	{ steps, maxStep, meet }: { steps: number; maxStep: number; meet: number },
	act: (peer: P, now: number) => Promise<void>
): Promise<number> {
	let now = start;
	for (let step = 0; step < steps; step++) {
		now += Math.floor(random() * maxStep);
		if (random() < meet) randomExchange(random, peers);
		else await act(pick(random, peers), now);
	}
	return now;
}

/** Verifies what arrived since last time, feeds the incremental projector, advances the clock. */
export async function catchUp(peer: SimulatedPeer, coop: string, now: number): Promise<CoopState> {
	const fresh = [...peer.records.entries()].filter(([key]) => !peer.processed.has(key));
	const { verified, rejections } = await verifyAll(fresh, coop, {
		knownValid: (id) => peer.validIds.has(id)
	});
	for (const [key] of fresh) peer.processed.add(key);
	for (const entry of verified) {
		peer.validIds.add(entry.id);
		try {
			peer.device.clock = receive(peer.device.clock, parseHlc(entry.record.at)!, now + peer.skew);
		} catch (error) {
			// A stamp too far ahead: keep our clock, the record still counts.
			if (!(error instanceof ClockDriftError)) throw error;
		}
	}
	peer.projector.add(verified);
	peer.projector.reject(rejections);
	return peer.projector.snapshot();
}

/** Signs a draft as the peer's device and sets it in the peer's document; returns its id. */
export async function writeAs<T extends RecordType>(
	peer: SimulatedPeer,
	result: DraftResult<T>
): Promise<string> {
	const { id, record } = await signRecord(unwrap(result), peer.device.key);
	peer.doc.transact(() => peer.records.set(id, record));
	return id;
}

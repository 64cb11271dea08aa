import * as Y from 'yjs';
import type { SigningKey } from '$lib/crypto/keys';
import { inviteKeyFromSecret, proveInvite } from '$lib/domain/membership/proofs';
import { genesisDraft } from '$lib/domain/settings/commands';
import { credentialPresentDraft } from '$lib/domain/credentials/commands';
import { joinDraft, profileDraft } from '$lib/domain/membership/commands';
import type { DraftContext } from '$lib/domain/kernel/draft';
import { lookAlikeOf } from '$lib/domain/kernel/names';
import type { CoopEntry, PendingFound, PendingJoin } from '$lib/storage/coop-entry';
import type { DocPersistence } from '$lib/storage/persistence-adapter';
import {
	encodeSyncFile,
	FILE_SYNC_ORIGIN,
	fullUpdate,
	missingUpdate,
	stateVectorOf
} from '$lib/sync/file-sync';
import { applyInSlices } from '$lib/sync/apply-in-slices';
import type { CoopNetwork } from '$lib/sync/network-adapter';
import type { DeviceKeys, SessionAdapters } from './adapters';
import { Arrivals } from './arrivals';
import { requestLink } from './link-requests';
import { membershipOf, type Membership } from './membership';
import { SignedRecords } from './signed-records';

/** What a session needs of a co-op's entry on the device. */
export type SessionCoop = Pick<
	CoopEntry,
	'id' | 'name' | 'nameFromLink' | 'roomKey' | 'pending' | 'lastSeen'
>;

/** What a session needs from the device beyond the co-op's entry. */
export interface SessionDevice {
	readonly keys: DeviceKeys;
	/** Called once a pending join or link has been settled, to forget it. */
	readonly settled: (coopId: string) => Promise<void>;
	/** Saves when records from each other device last arrived. */
	readonly seen: (coopId: string, seen: Record<string, number>) => Promise<void>;
}

/** What a file made from the open co-op carries. */
export type ExportKind =
	| { readonly kind: 'everything' }
	| { readonly kind: 'what-i-have' }
	| { readonly kind: 'what-they-lack'; readonly theirs: Uint8Array }
	| { readonly kind: 'backup' };

/**
 * One open co-op: its shared document, kept on the device and synced with peers, its signed
 * records (checked, kept in the vault, restored when a peer removes them) and this device's key.
 * Where the document and the vault are kept and how peers are reached are the adapters it is
 * given (see `adapters.ts`): the browser and the always-on peer open co-ops through this same
 * code, founding, joining and linking included. Everything the UI shows of a co-op comes from
 * here; closing it releases the storage and the sync room.
 */
export class CoopSession {
	readonly coop: SessionCoop;
	readonly doc: Y.Doc;
	/** The co-op's meeting notes: low-stakes shared text, co-edited and unsigned. */
	readonly notes: Y.Text;
	readonly network: CoopNetwork;
	/** Whether every change is written to this device's storage. */
	readonly persistence: DocPersistence;
	readonly key: SigningKey;
	readonly records: SignedRecords;
	readonly arrivals: Arrivals;
	readonly #device: SessionDevice;
	#inviteId: string | null = null;
	#joining = false;
	#settled = false;
	#stop: () => void = () => {};

	private constructor(
		coop: SessionCoop,
		doc: Y.Doc,
		parts: {
			network: CoopNetwork;
			persistence: DocPersistence;
			key: SigningKey;
			records: SignedRecords;
			device: SessionDevice;
		}
	) {
		this.coop = coop;
		this.doc = doc;
		this.notes = doc.getText('notes');
		this.network = parts.network;
		this.persistence = parts.persistence;
		this.key = parts.key;
		this.records = parts.records;
		this.#device = parts.device;
		// Records loaded from disk did not arrive now: arrivals are counted once the document has.
		this.arrivals = new Arrivals(
			doc,
			this.key.publicKey,
			coop.lastSeen ?? {},
			(seen) => parts.device.seen(coop.id, seen),
			parts.persistence.loaded
		);
	}

	/**
	 * Opens a co-op with the given adapters; resolves once the records the vault keeps are
	 * projected (the roster, the decisions), and only then has the persistence adapter load the
	 * document: both compete for the one thread, and the document is the larger (in the browser,
	 * about 0.9 s for 100,000 records, against 0.3 s). `loaded` says when the document has loaded
	 * and its records are judged; the network adapter joins the room then.
	 * A co-op still waiting to be founded, joined or linked opens fully loaded, since what it
	 * writes depends on everything stored (a genesis must not be written twice).
	 */
	static async open(
		coop: SessionCoop,
		adapters: SessionAdapters,
		device: SessionDevice
	): Promise<CoopSession> {
		const doc = new Y.Doc();
		const key = await device.keys.getOrCreate(coop.id);
		let docLoaded: (loaded: Promise<void>) => void = () => {};
		const records = await SignedRecords.open({
			coopId: coop.id,
			doc,
			key,
			vault: adapters.vault,
			docLoaded: new Promise((resolve) => (docLoaded = resolve))
		});
		const persistence = adapters.persistence(doc);
		docLoaded(persistence.loaded);
		const network = adapters.network({
			coopId: coop.id,
			roomKey: coop.roomKey,
			doc,
			loaded: persistence.loaded
		});
		const session = new CoopSession(coop, doc, { network, persistence, key, records, device });
		if (coop.pending !== undefined) {
			await session.loaded;
			await session.#startPending();
		}
		return session;
	}

	/** Resolves once the stored document is loaded and the records in it judged. */
	get loaded(): Promise<void> {
		return this.records.loaded;
	}

	/** Where this device stands in the co-op now. */
	get membership(): Membership {
		const pending = this.coop.pending;
		const asked =
			pending?.kind === 'link'
				? { kind: 'link' as const }
				: pending?.kind === 'join' && this.#inviteId !== null
					? { kind: 'join' as const, inviteId: this.#inviteId }
					: null;
		return membershipOf(this.records.state.roster, this.key.publicKey, asked, Date.now());
	}

	/** A sync file (see docs/sync.md) made from the document, once it has loaded from disk. */
	async exportFile(what: ExportKind, coopName: string): Promise<Uint8Array<ArrayBuffer>> {
		await this.persistence.loaded;
		const base = { coopId: this.coop.id, coopName, createdAt: Date.now() };
		switch (what.kind) {
			case 'everything':
				return encodeSyncFile({ ...base, kind: 'update' }, fullUpdate(this.doc));
			case 'what-i-have':
				return encodeSyncFile({ ...base, kind: 'state-vector' }, stateVectorOf(this.doc));
			case 'what-they-lack':
				return encodeSyncFile({ ...base, kind: 'update' }, missingUpdate(this.doc, what.theirs));
			case 'backup':
				return encodeSyncFile(
					{ ...base, kind: 'backup', roomKey: this.coop.roomKey },
					fullUpdate(this.doc)
				);
		}
	}

	/**
	 * Merges changes from a checked file, once the document has loaded from disk (before, anything
	 * would look new). Returns whether anything was new, or null if Yjs refused the update
	 * (nothing is applied then: Yjs reads an update whole before integrating it). A large update
	 * (Yjs already read it in the worker) is applied in windows, one task each.
	 */
	async importUpdate(update: Uint8Array): Promise<boolean | null> {
		await this.persistence.loaded;
		// Yjs emits an update only for a transaction that changed something.
		let changed = false;
		const mark = () => (changed = true);
		this.doc.on('update', mark);
		try {
			// A large file is applied a window at a time, so the page answers meanwhile.
			const slicing = applyInSlices(this.doc, update, FILE_SYNC_ORIGIN);
			if (slicing === null) Y.applyUpdate(this.doc, update, FILE_SYNC_ORIGIN);
			else await slicing;
		} catch (error) {
			console.warn('A sync file could not be applied', error);
			return null;
		} finally {
			this.doc.off('update', mark);
		}
		return changed;
	}

	async close(): Promise<void> {
		await this.arrivals.close();
		this.#stop();
		await this.network.destroy();
		await this.records.close();
		await this.persistence.close();
		this.doc.destroy();
	}

	/** A join waits for its invite to sync; a link request is written at once. */
	async #startPending(): Promise<void> {
		const pending = this.coop.pending;
		if (pending === undefined) return;
		if (pending.kind === 'link') {
			if (this.membership.kind !== 'member') {
				await requestLink(this.doc, this.coop.id, this.key, pending.member, pending.code);
			}
		} else if (pending.kind === 'join') {
			this.#inviteId = (await inviteKeyFromSecret(pending.secret)).publicKey;
		}
		this.#stop = this.records.onChange(() => void this.#advance());
		await this.#advance();
	}

	async #advance(): Promise<void> {
		const pending = this.coop.pending;
		if (pending?.kind === 'found' && this.records.state.roster.coop === null && !this.#joining) {
			this.#joining = true;
			await this.#writeGenesis(pending);
		}
		const membership = this.membership;
		if (membership.kind === 'member' || membership.kind === 'left') {
			// Writing the genesis or the join changes the records while this runs: settle once.
			if (this.#settled) return;
			this.#settled = true;
			this.#stop();
			await this.#device.settled(this.coop.id);
			return;
		}
		if (membership.kind !== 'can-join' || pending?.kind !== 'join' || this.#joining) return;
		this.#joining = true;
		await this.#writeJoin(pending);
	}

	/** The genesis and the founder's profile: one command, one transaction. */
	async #writeGenesis(pending: PendingFound): Promise<void> {
		const { salt, created, displayName } = pending;
		const result = await this.records.write(
			(context) => genesisDraft(context, { name: this.coop.name, created, salt }),
			(context) => firstProfile(context, displayName)
		);
		if (!result.ok) console.warn('The co-op could not be founded', result.messageKey);
	}

	/** The join and the new member's profile: one command, one transaction. */
	async #writeJoin(pending: PendingJoin): Promise<void> {
		const proof = await proveInvite(pending.secret, this.coop.id, this.key.publicKey);
		// A name that looks like a member's is not written: the new member chooses another.
		const clash = lookAlikeOf(pending.displayName, this.records.state.roster.members, null);
		const presentation = pending.presentation;
		const result = await this.records.write(
			(context) => joinDraft(context, proof),
			...(clash === null
				? [(context: DraftContext) => firstProfile(context, pending.displayName)]
				: []),
			...(presentation === undefined
				? []
				: [(context: DraftContext) => credentialPresentDraft(context, { presentation })])
		);
		if (!result.ok) console.warn('The join could not be written', result.messageKey);
	}
}

function firstProfile(context: DraftContext, displayName: string) {
	return profileDraft(context, { displayName, bio: '', skills: [], contact: '' });
}

import * as Y from 'yjs';
import type { SigningKey } from '$lib/crypto/keys';
import { inviteKeyFromSecret, proveInvite } from '$lib/domain/proofs';
import { genesisDraft, joinDraft, profileDraft, type DraftContext } from '$lib/domain/commands';
import type { CoopEntry, PendingFound, PendingJoin } from '$lib/storage/device-store';
import { persistDoc, type DocPersistence } from '$lib/storage/doc-persistence';
import type { KeyStore } from '$lib/storage/key-store';
import { IndexedDbVault } from '$lib/storage/vault';
import type { SyncConfig } from '$lib/sync/config';
import { PeerSync } from '$lib/sync/peer-sync';
import { requestLink } from './link-requests';
import { membershipOf, type Membership } from './membership';
import { SignedRecords } from './signed-records';

/** What a session needs from the device beyond the co-op's entry. */
export interface SessionDevice {
	readonly keys: KeyStore;
	/** Called once a pending join or link has been settled, to forget it. */
	readonly settled: (coopId: string) => Promise<void>;
}

/**
 * One open co-op: its shared document, kept in IndexedDB and synced with peers, its signed
 * records (checked, kept in the vault, restored when a peer removes them) and this device's key.
 * Everything the UI shows of a co-op comes from here; closing it releases the storage and the
 * sync room.
 */
export class CoopSession {
	readonly coop: CoopEntry;
	readonly doc: Y.Doc;
	/** The co-op's meeting notes: low-stakes shared text, co-edited and unsigned. */
	readonly notes: Y.Text;
	readonly sync: PeerSync;
	/** Whether every change is written to this device's storage. */
	readonly persistence: DocPersistence;
	readonly key: SigningKey;
	readonly records: SignedRecords;
	readonly #device: SessionDevice;
	#inviteId: string | null = null;
	#joining = false;
	#stop: () => void = () => {};

	private constructor(
		coop: CoopEntry,
		doc: Y.Doc,
		parts: {
			sync: PeerSync;
			persistence: DocPersistence;
			key: SigningKey;
			records: SignedRecords;
			device: SessionDevice;
		}
	) {
		this.coop = coop;
		this.doc = doc;
		this.notes = doc.getText('notes');
		this.sync = parts.sync;
		this.persistence = parts.persistence;
		this.key = parts.key;
		this.records = parts.records;
		this.#device = parts.device;
	}

	/** Opens a co-op; resolves once what this device had stored is loaded and judged. */
	static async open(
		coop: CoopEntry,
		config: SyncConfig,
		device: SessionDevice
	): Promise<CoopSession> {
		const doc = new Y.Doc();
		const persistence = persistDoc(coop.id, doc);
		const sync = new PeerSync(coop.id, coop.roomKey, doc, config);
		await persistence.loaded;
		const key = await device.keys.getOrCreate(coop.id);
		const records = await SignedRecords.open({
			coopId: coop.id,
			doc,
			key,
			vault: new IndexedDbVault(coop.id)
		});
		const session = new CoopSession(coop, doc, { sync, persistence, key, records, device });
		await session.#startPending();
		return session;
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

	async close(): Promise<void> {
		this.#stop();
		await this.sync.destroy();
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
		const result = await this.records.write(
			(context) => joinDraft(context, proof),
			(context) => firstProfile(context, pending.displayName)
		);
		if (!result.ok) console.warn('The join could not be written', result.messageKey);
	}
}

function firstProfile(context: DraftContext, displayName: string) {
	return profileDraft(context, { displayName, bio: '', skills: [], contact: '' });
}

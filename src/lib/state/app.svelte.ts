import { getContext, setContext } from 'svelte';
import type { CoopEntry, PendingFound, PendingJoin, PendingLink } from '$lib/storage/coop-entry';
import { DeviceStore, openDeviceDb } from '$lib/storage/device-store';
import { KeyStore } from '$lib/storage/key-store';
import { requestPersistence, storageReport, type StorageReport } from '$lib/storage/quota';
import {
	loadSyncSettings,
	restoreSyncSettings,
	saveSyncSettings
} from '$lib/storage/settings-store';
import { defaultIceServers, defaultSignalingUrls } from '$lib/sync/config';
import type { CoopLink, DeviceLink, InviteLink } from '$lib/util/invite-link';
import {
	parseIceServers,
	parseSignalingUrls,
	type ConfigError,
	type SyncConfig
} from '$lib/util/sync-config';
import type { SyncFileReadError } from '$lib/sync/file-read';
import { generateKeyPair, signingKeyFromPair } from '$lib/crypto/keys';
import { randomSecret } from '$lib/crypto/random';
import type { JsonValue } from '$lib/crypto/canonical-json';
import type { DraftContext } from '$lib/domain/kernel/draft';
import type { InputRefusal } from '$lib/domain/kernel/input-result';
import { formatHlc, tick, ZERO_CLOCK } from '$lib/domain/kernel/hlc';
import { newCoopId } from '$lib/domain/kernel/coop-id';
import type { CoopView } from './coop.svelte';
import { AppUpdates } from './updates.svelte';
import { forgetMoneyGlance } from './money-glance';
import { forgetSeen } from './seen';
import { nextTask } from '$lib/util/next-task';

type Refusal = InputRefusal;

/** Above this share of the quota, the app warns that storage is running out. */
export const STORAGE_WARN_RATIO = 0.8;

/**
 * The co-op stack (Yjs, the sync and the session, the fold), loaded on first use and then kept:
 * the first screen does not wait for it.
 */
function coopStack(): Promise<typeof import('./coop-stack')> {
	return import('./coop-stack');
}

/** Checks a display name as the profile record will, before anything is stored. */
async function checkDisplayName(
	context: DraftContext,
	displayName: string
): Promise<Refusal | null> {
	const { profileDraft } = await coopStack();
	const result = profileDraft(context, { displayName, bio: '', skills: [], contact: '' });
	return result.ok ? null : { ok: false, field: result.field, messageKey: result.messageKey };
}

/** A context good enough to check input with the draft builders before any key exists. */
function checkingContext(coop: string, author: string): DraftContext {
	return { coop, author, at: formatHlc(tick(ZERO_CLOCK, Date.now())) };
}

/**
 * The app as the UI sees it: this device's co-ops, the one open now, and device settings. Provided
 * to every page by the root layout; pages change things only through its methods.
 */
export class OursApp {
	readonly updates = new AppUpdates();
	readonly #db = openDeviceDb();
	readonly #store = new DeviceStore(this.#db);
	readonly #keys = new KeyStore(this.#db);
	#coops = $state.raw<CoopEntry[]>([]);
	#loaded = $state(false);
	#current = $state<CoopView | null>(null);
	#opening: Promise<CoopView | null> | null = null;
	#syncConfig = $state<SyncConfig>(effectiveSyncConfig());
	#storage = $state<StorageReport>({ usage: null, quota: null, persisted: null });

	get coops(): readonly CoopEntry[] {
		return this.#coops;
	}

	get loaded(): boolean {
		return this.#loaded;
	}

	get current(): CoopView | null {
		return this.#current;
	}

	get syncConfig(): SyncConfig {
		return this.#syncConfig;
	}

	get storage(): StorageReport {
		return this.#storage;
	}

	/** True when the app uses more than 80% of what the browser allows it. */
	get storageLow(): boolean {
		const { usage, quota } = this.#storage;
		return usage !== null && quota !== null && quota > 0 && usage / quota > STORAGE_WARN_RATIO;
	}

	async load(): Promise<void> {
		try {
			if (await restoreSyncSettings()) this.#syncConfig = effectiveSyncConfig();
		} catch (error) {
			console.warn('The saved settings could not be read', error);
		}
		this.#coops = await this.#store.listCoops();
		this.#loaded = true;
		if (this.#coops.length > 0) await requestPersistence();
		await this.refreshStorage();
	}

	async refreshStorage(): Promise<void> {
		this.#storage = await storageReport();
	}

	/**
	 * Founds a co-op: a new device key, the co-op id derived from it, and the genesis and founder's
	 * profile, written when the co-op first opens (so a closed tab in between loses nothing).
	 */
	async createCoop(
		rawName: string,
		displayName: string
	): Promise<{ ok: true; coop: CoopEntry } | Refusal> {
		const { genesisDraft } = await coopStack();
		const pair = await generateKeyPair();
		const key = await signingKeyFromPair(pair);
		const { coop: id, salt } = await newCoopId(key.publicKey);
		const context = checkingContext(id, key.publicKey);
		const now = Date.now();
		const genesis = genesisDraft(context, { name: rawName, created: now, salt });
		if (!genesis.ok) return { ok: false, field: genesis.field, messageKey: genesis.messageKey };
		const refused = await checkDisplayName(context, displayName);
		if (refused) return refused;
		await this.#keys.put(id, pair);
		const pending: PendingFound = { kind: 'found', salt, created: now, displayName };
		const coop: CoopEntry = {
			id,
			name: genesis.draft.name,
			roomKey: randomSecret(),
			addedAt: now,
			lastOpenedAt: now,
			...(pending && { pending })
		};
		await this.#addCoop(coop);
		return { ok: true, coop };
	}

	/**
	 * Adds the co-op an invite names, to be joined once its invite record has synced. Opening an
	 * invite to a co-op this device already has just opens it.
	 */
	async joinCoop(
		invite: InviteLink,
		displayName: string,
		/** A credential from another co-op, checked on this device, to present once joined. */
		credential?: { readonly [key: string]: JsonValue }
	): Promise<{ ok: true; coop: CoopEntry } | Refusal> {
		const existing = this.#coops.find((coop) => coop.id === invite.coopId);
		if (existing) return { ok: true, coop: existing };
		// Checked with a throwaway key: a refused name leaves nothing stored.
		const probe = await signingKeyFromPair(await generateKeyPair());
		const refused = await checkDisplayName(
			checkingContext(invite.coopId, probe.publicKey),
			displayName
		);
		if (refused) return refused;
		const key = await this.#keys.getOrCreate(invite.coopId);
		let presentation: string | undefined;
		if (credential !== undefined) {
			const { presentationFor } = await import('./presenting');
			const made = await presentationFor(
				credential,
				(publicKey) => this.#keys.findByPublicKey(publicKey),
				{
					coop: invite.coopId,
					member: key.publicKey,
					now: Date.now()
				}
			);
			if (!made.ok) return { ok: false, field: 'credential', messageKey: made.messageKey };
			presentation = made.presentation;
		}
		const pending: PendingJoin = {
			kind: 'join',
			secret: invite.secret,
			displayName,
			...(presentation === undefined ? {} : { presentation })
		};
		return { ok: true, coop: await this.#addFrom(invite, pending) };
	}

	/**
	 * Adds a co-op this device may only read, to apply for admission by a vote: the members admit
	 * its device key with a proposal. Opening one this device already has just opens it.
	 */
	async applyToCoop(link: CoopLink): Promise<CoopEntry> {
		const existing = this.#coops.find((coop) => coop.id === link.coopId);
		return existing ?? this.#addFrom(link);
	}

	/** Adds a co-op as a new device of a member, who confirms it from their other device. */
	async linkDevice(link: DeviceLink): Promise<CoopEntry> {
		const existing = this.#coops.find((coop) => coop.id === link.coopId);
		const pending: PendingLink = { kind: 'link', code: link.code, member: link.member };
		if (existing === undefined) return this.#addFrom(link, pending);
		if (existing.pending?.kind !== 'link') return existing;
		// A new link for a device still waiting: its first code was withdrawn before the member's
		// device saw the request (that page was left). The request is written again with the new one.
		if (this.#current?.id === existing.id) await this.closeCurrent();
		const updated = await this.#store.updateCoop(existing.id, (entry) =>
			entry.pending?.kind === 'link' ? { ...entry, pending } : entry
		);
		if (updated === undefined) return existing;
		this.#replace(updated);
		return updated;
	}

	/** Opens a co-op of this device, closing the one open before. Null if the device has no such co-op. */
	async openCoop(id: string): Promise<CoopView | null> {
		if (this.#current?.id === id) return this.#current;
		// Opening is serialised: a fast switch back and forth must not open one sync room twice.
		const previous = this.#opening ?? Promise.resolve(null);
		const opening = previous.then(() => this.#switchTo(id));
		this.#opening = opening;
		return opening;
	}

	/**
	 * Removes a co-op from this device with everything stored of it: a join that failed, a co-op
	 * that never synced, one the device only reads. The UI offers it to non-members only.
	 */
	async forgetCoop(id: string): Promise<void> {
		if (this.#current?.id === id) await this.closeCurrent();
		await this.#store.forgetCoop(id);
		forgetSeen(id);
		forgetMoneyGlance(id);
		this.#coops = this.#coops.filter((coop) => coop.id !== id);
		const { deleteCoopStorage } = await coopStack();
		await deleteCoopStorage(id);
		void this.refreshStorage();
	}

	async closeCurrent(): Promise<void> {
		const current = this.#current;
		this.#current = null;
		await current?.close();
	}

	/**
	 * Adds the co-op of a backup file to this device, with everything it held, merged with what the
	 * device already had of it. The device keeps (or makes) its own key: it reads the co-op, and acts
	 * in it only once linked to a member or invited, like any new device.
	 */
	async restoreBackup(
		bytes: Uint8Array<ArrayBuffer>
	): Promise<{ ok: true; coop: CoopEntry } | { ok: false; error: SyncFileReadError }> {
		const { EVERYTHING, readSyncFileInWorker, seedStoredDoc } = await coopStack();
		// Read and bounded in a worker like any sync file (docs/sync.md); `bytes` is moved there.
		const result = await readSyncFileInWorker(bytes, { kinds: ['backup'] }, EVERYTHING);
		if (!result.ok) return result;
		const { coopId, coopName, roomKey, createdAt } = result.header;
		if (this.#current?.id === coopId) await this.closeCurrent();
		await seedStoredDoc(coopId, result.payload);
		const existing = await this.#store.getCoop(coopId);
		if (existing) return { ok: true, coop: existing };
		const now = Date.now();
		const coop: CoopEntry = {
			id: coopId,
			name: coopName,
			roomKey: roomKey ?? '',
			addedAt: now,
			lastOpenedAt: now,
			lastBackupAt: createdAt
		};
		await this.#addCoop(coop);
		return { ok: true, coop };
	}

	/**
	 * Opens a `.ours` file another app shared with Ours or opened in it. A file of a co-op this
	 * device has is for that co-op's sync page, which merges it as if picked there; a backup of a
	 * co-op it lacks is restored, as from the home page. Its header is read first, in the worker,
	 * from a copy: `bytes` stay here for the sync page.
	 */
	async openFile(
		bytes: Uint8Array<ArrayBuffer>
	): Promise<
		| { ok: true; kind: 'sync' | 'restored'; coop: CoopEntry }
		| { ok: false; error: SyncFileReadError | 'unknown-coop' }
	> {
		const { EVERYTHING, readSyncFileInWorker } = await coopStack();
		const kinds = { kinds: ['update', 'state-vector', 'backup'] } as const;
		const read = await readSyncFileInWorker(bytes.slice(), kinds, EVERYTHING);
		if (!read.ok) return read;
		const existing = this.#coops.find((coop) => coop.id === read.header.coopId);
		if (existing) return { ok: true, kind: 'sync', coop: existing };
		if (read.header.kind !== 'backup') return { ok: false, error: 'unknown-coop' };
		const restored = await this.restoreBackup(bytes);
		return restored.ok ? { ok: true, kind: 'restored', coop: restored.coop } : restored;
	}

	/** Resolves once the settings are on disk. */
	async saveSyncSettings(
		signalingText: string,
		iceText: string
	): Promise<{ ok: true } | { ok: false; error: ConfigError }> {
		const signalingUrls = parseSignalingUrls(signalingText);
		if (!signalingUrls.ok) return signalingUrls;
		const iceServers = parseIceServers(iceText);
		if (!iceServers.ok) return iceServers;
		await saveSyncSettings({ signalingUrls: signalingUrls.value, iceServers: iceServers.value });
		this.#syncConfig = effectiveSyncConfig();
		return { ok: true };
	}

	async resetSyncSettings(): Promise<void> {
		await saveSyncSettings({});
		this.#syncConfig = effectiveSyncConfig();
	}

	async #switchTo(id: string): Promise<CoopView | null> {
		if (this.#current?.id === id) return this.#current;
		await this.closeCurrent();
		const opened = await this.#store.updateCoop(id, (entry) => ({
			...entry,
			lastOpenedAt: Date.now()
		}));
		if (!opened) return null;
		const { browserAdapters, CoopSession, CoopView } = await coopStack();
		const adapters = browserAdapters(id, $state.snapshot(this.#syncConfig));
		const session = await CoopSession.open(opened, adapters, {
			keys: this.#keys,
			settled: (coopId) => this.#settled(coopId),
			seen: async (coopId, seen) => {
				await this.#store.updateCoop(coopId, (entry) => ({ ...entry, lastSeen: seen }));
			}
		});
		const view = new CoopView(session, {
			addedAt: opened.addedAt,
			lastBackupAt: opened.lastBackupAt ?? null,
			backedUp: (coopId, at) => this.#backedUp(coopId, at),
			named: (coopId, name) => this.#named(coopId, name),
			holderKeys: (publicKey) => this.#keys.findByPublicKey(publicKey)
		});
		this.#current = view;
		void this.refreshStorage();
		// The page renders it in the next task: with what the view works out on opening, one task
		// held a large co-op's page for too long.
		await nextTask();
		return view;
	}

	/** Adds a co-op a link names, with what it waits for (nothing, for an applicant). */
	async #addFrom(from: CoopLink, pending?: PendingJoin | PendingLink): Promise<CoopEntry> {
		const now = Date.now();
		const coop: CoopEntry = {
			id: from.coopId,
			name: from.name,
			nameFromLink: true,
			roomKey: from.roomKey,
			addedAt: now,
			lastOpenedAt: now,
			...(pending && { pending })
		};
		await this.#addCoop(coop);
		return coop;
	}

	/** Forgets what a co-op was waiting for, once its founding, join or link is done. */
	async #settled(coopId: string): Promise<void> {
		const settled = await this.#store.updateCoop(coopId, (entry) => {
			if (entry.pending === undefined) return entry;
			// eslint-disable-next-line @typescript-eslint/no-unused-vars
			const { pending, ...rest } = entry;
			return rest;
		});
		if (settled) this.#replace(settled);
	}

	/** Keeps the name the genesis record gives, in place of one a link carried. */
	async #named(coopId: string, name: string): Promise<void> {
		const updated = await this.#store.updateCoop(coopId, (entry) => {
			if (entry.name === name && entry.nameFromLink !== true) return entry;
			// eslint-disable-next-line @typescript-eslint/no-unused-vars
			const { nameFromLink, ...rest } = entry;
			return { ...rest, name };
		});
		if (updated) this.#replace(updated);
	}

	async #backedUp(coopId: string, at: number): Promise<void> {
		const updated = await this.#store.updateCoop(coopId, (entry) => ({
			...entry,
			lastBackupAt: at
		}));
		if (updated) this.#replace(updated);
	}

	#replace(entry: CoopEntry): void {
		this.#coops = this.#coops.map((coop) => (coop.id === entry.id ? entry : coop));
	}

	async #addCoop(coop: CoopEntry): Promise<void> {
		await this.#store.putCoop(coop);
		this.#coops = [coop, ...this.#coops.filter((entry) => entry.id !== coop.id)];
		await requestPersistence();
	}
}

/** The member's own sync settings where they set them, the build's defaults elsewhere. */
function effectiveSyncConfig(): SyncConfig {
	const saved = loadSyncSettings();
	return {
		signalingUrls: saved.signalingUrls ?? defaultSignalingUrls(window.location),
		iceServers: saved.iceServers ?? defaultIceServers()
	};
}

const KEY = Symbol('ours-app');

export function provideApp(app: OursApp): void {
	setContext(KEY, app);
}

export function useApp(): OursApp {
	return getContext<OursApp>(KEY);
}

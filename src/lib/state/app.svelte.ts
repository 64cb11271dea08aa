import { getContext, setContext } from 'svelte';
import { CoopSession } from '$lib/session/coop-session';
import { DeviceStore, type CoopEntry } from '$lib/storage/device-store';
import { requestPersistence, storageReport, type StorageReport } from '$lib/storage/quota';
import { loadSyncSettings, saveSyncSettings } from '$lib/storage/settings-store';
import {
	defaultIceServers,
	defaultSignalingUrls,
	parseIceServers,
	parseSignalingUrls,
	type ConfigError,
	type SyncConfig
} from '$lib/sync/config';
import type { InviteLink } from '$lib/util/invite-link';
import { randomId, randomSecret } from '$lib/crypto/random';
import { CoopView } from './coop.svelte';
import { AppUpdates } from './updates.svelte';

export type CreateCoopError = 'name-empty' | 'name-too-long';

const MAX_NAME = 80;

/**
 * The app as the UI sees it: this device's co-ops, the one open now, and device settings. Provided
 * to every page by the root layout; pages change things only through its methods.
 */
export class OursApp {
	readonly updates = new AppUpdates();
	readonly #store = new DeviceStore();
	#coops = $state<CoopEntry[]>([]);
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

	async load(): Promise<void> {
		this.#coops = await this.#store.listCoops();
		this.#loaded = true;
		if (this.#coops.length > 0) await requestPersistence();
		await this.refreshStorage();
	}

	async refreshStorage(): Promise<void> {
		this.#storage = await storageReport();
	}

	async createCoop(
		rawName: string
	): Promise<{ ok: true; coop: CoopEntry } | { ok: false; error: CreateCoopError }> {
		const name = rawName.trim();
		if (name === '') return { ok: false, error: 'name-empty' };
		if (name.length > MAX_NAME) return { ok: false, error: 'name-too-long' };
		const now = Date.now();
		const coop: CoopEntry = {
			id: randomId(),
			name,
			roomKey: randomSecret(),
			addedAt: now,
			lastOpenedAt: now
		};
		await this.#addCoop(coop);
		return { ok: true, coop };
	}

	/** Adds the co-op an invite names; joining one this device already has just opens it. */
	async joinCoop(invite: InviteLink): Promise<CoopEntry> {
		const existing = this.#coops.find((coop) => coop.id === invite.coopId);
		if (existing) return existing;
		const now = Date.now();
		const coop: CoopEntry = {
			id: invite.coopId,
			name: invite.name,
			roomKey: invite.roomKey,
			addedAt: now,
			lastOpenedAt: now
		};
		await this.#addCoop(coop);
		return coop;
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

	async closeCurrent(): Promise<void> {
		const current = this.#current;
		this.#current = null;
		await current?.close();
	}

	saveSyncSettings(
		signalingText: string,
		iceText: string
	): { ok: true } | { ok: false; error: ConfigError } {
		const signalingUrls = parseSignalingUrls(signalingText);
		if (!signalingUrls.ok) return signalingUrls;
		const iceServers = parseIceServers(iceText);
		if (!iceServers.ok) return iceServers;
		saveSyncSettings({ signalingUrls: signalingUrls.value, iceServers: iceServers.value });
		this.#syncConfig = effectiveSyncConfig();
		return { ok: true };
	}

	resetSyncSettings(): void {
		saveSyncSettings({});
		this.#syncConfig = effectiveSyncConfig();
	}

	async #switchTo(id: string): Promise<CoopView | null> {
		if (this.#current?.id === id) return this.#current;
		await this.closeCurrent();
		const coop = this.#coops.find((entry) => entry.id === id) ?? (await this.#store.getCoop(id));
		if (!coop) return null;
		const opened = { ...coop, lastOpenedAt: Date.now() };
		await this.#store.putCoop(opened);
		const view = new CoopView(await CoopSession.open(opened, $state.snapshot(this.#syncConfig)));
		this.#current = view;
		return view;
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

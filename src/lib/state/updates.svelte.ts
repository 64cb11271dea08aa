import { Workbox } from 'workbox-window';

/**
 * The service worker that keeps the app available offline, and the "new version" prompt: a new
 * deployment installs in the background and waits; the member chooses when to reload into it.
 */
export class AppUpdates {
	#available = $state(false);
	#workbox: Workbox | null = null;

	get available(): boolean {
		return this.#available;
	}

	/** Registers the service worker. In development there is none, so the app is always fresh. */
	start(scriptUrl: string, enabled: boolean): void {
		if (!enabled || !('serviceWorker' in navigator)) return;
		const workbox = new Workbox(scriptUrl);
		workbox.addEventListener('waiting', () => (this.#available = true));
		this.#workbox = workbox;
		workbox
			.register()
			.catch((error: unknown) => console.warn('Service worker not registered', error));
	}

	/** Switches to the waiting version; `beforeReload` lets open documents finish writing first. */
	async apply(beforeReload: () => Promise<void>): Promise<void> {
		const workbox = this.#workbox;
		if (!workbox) return;
		await beforeReload();
		workbox.addEventListener('controlling', () => window.location.reload());
		workbox.messageSkipWaiting();
	}
}

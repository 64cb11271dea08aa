/** How much of the device's storage the app uses, and whether the browser may evict it. */
export interface StorageReport {
	readonly usage: number | null;
	readonly quota: number | null;
	readonly persisted: boolean | null;
}

/**
 * Asks the browser to keep the app's data under storage pressure. Browsers grant it silently for
 * installed apps or frequently used sites; otherwise data may be evicted, which the settings page
 * says plainly.
 */
export async function requestPersistence(): Promise<boolean | null> {
	if (!navigator.storage?.persist) return null;
	try {
		return (await navigator.storage.persisted()) || (await navigator.storage.persist());
	} catch {
		return null;
	}
}

export async function storageReport(): Promise<StorageReport> {
	const storage = navigator.storage;
	if (!storage?.estimate) return { usage: null, quota: null, persisted: null };
	try {
		const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted()]);
		return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
	} catch {
		return { usage: null, quota: null, persisted: null };
	}
}

/**
 * System notifications and the app icon's badge, without a push server: the open app (in front
 * or in the background) shows them when the sync brings something new. When the app is closed,
 * nothing wakes it: the next sync, once it is opened, brings what arrived. See
 * docs/architecture.md, "Attention and notifications".
 */

/** The kinds a member turns on one by one in Settings. */
export const NOTIFY_KINDS = ['proposals', 'decisions', 'members'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];
export type NotifyPrefs = Readonly<Record<NotifyKind, boolean>>;

const KEY = 'ours.notify';
const NONE: NotifyPrefs = { proposals: false, decisions: false, members: false };

export function loadNotifyPrefs(): NotifyPrefs {
	try {
		const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
		if (typeof parsed !== 'object' || parsed === null) return NONE;
		const record = parsed as Record<string, unknown>;
		return {
			proposals: record.proposals === true,
			decisions: record.decisions === true,
			members: record.members === true
		};
	} catch {
		return NONE;
	}
}

export function saveNotifyPrefs(prefs: NotifyPrefs): void {
	localStorage.setItem(KEY, JSON.stringify(prefs));
}

/** Whether this browser can show notifications from the app's service worker. */
export function notificationsSupported(): boolean {
	return typeof Notification !== 'undefined' && 'serviceWorker' in navigator;
}

/** The browser's answer so far: 'granted', 'denied' or 'default' (not asked yet). */
export function notificationPermission(): NotificationPermission | 'unsupported' {
	return notificationsSupported() ? Notification.permission : 'unsupported';
}

/** Asks the browser for permission (only from a member's tap). */
export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
	if (!notificationsSupported()) return 'unsupported';
	return Notification.requestPermission();
}

/** What a notification says and where tapping it leads (a path in the app). */
export interface AppNotification {
	readonly title: string;
	readonly body: string;
	/** Notifications with one tag replace each other: one per co-op and kind. */
	readonly tag: string;
	readonly url: string;
}

/** Shows a notification through the service worker, so tapping it works even in the background. */
export async function showNotification(notification: AppNotification): Promise<void> {
	if (notificationPermission() !== 'granted') return;
	try {
		const registration = await navigator.serviceWorker.getRegistration();
		if (registration === undefined) return;
		await registration.showNotification(notification.title, {
			body: notification.body,
			tag: notification.tag,
			icon: '/icons/icon-192.png',
			badge: '/icons/icon-192.png',
			data: { url: notification.url }
		});
	} catch (error) {
		console.warn('The notification could not be shown', error);
	}
}

/** The installed app's icon badge: how many things wait for the member (none: no badge). */
export function setBadge(count: number): void {
	if (typeof navigator === 'undefined' || !('setAppBadge' in navigator)) return;
	const done = count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge();
	done.catch(() => {
		// Not installed, or the platform shows no badge: nothing to do.
	});
}

/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

// One cache per deployed version: a new version fills its own cache while the old one keeps
// serving, and the old cache is deleted only once the new worker takes over.
const CACHE = `ours-${version}`;
// The page every route is rendered from (adapter-static's fallback): offline, any navigation,
// even to a URL never visited before, gets it from the cache.
const APP_SHELL = '/200.html';
const PRECACHE = [...build, ...files, APP_SHELL];

sw.addEventListener('install', (event) => {
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

sw.addEventListener('activate', (event) => {
	// Take control of open pages at once: on first install so the app works offline without a
	// reload, and after an accepted update so the page reloads into the new version.
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))
			)
			.then(() => sw.clients.claim())
	);
});

// The page asks the waiting worker to take over once the member accepted the update prompt.
sw.addEventListener('message', (event) => {
	if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;

	if (request.mode === 'navigate') {
		event.respondWith(appShell(request));
		return;
	}
	if (PRECACHE.includes(url.pathname)) {
		event.respondWith(fromCache(url.pathname, request));
	}
});

/** Navigations: the cached shell first, so the app opens instantly and identically offline. */
async function appShell(request: Request): Promise<Response> {
	const cached = await caches.match(APP_SHELL, { cacheName: CACHE });
	if (cached) return cached;
	return fetch(request);
}

async function fromCache(path: string, request: Request): Promise<Response> {
	const cached = await caches.match(path, { cacheName: CACHE });
	return cached ?? fetch(request);
}

// A tap on a notification (see src/lib/state/notify.ts) opens the page it is about: in an open
// window of the app if there is one, in a new one otherwise.
sw.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const data = event.notification.data as { url?: unknown } | null;
	const path =
		typeof data?.url === 'string' && data.url.startsWith('/') && !data.url.startsWith('//')
			? data.url
			: '/';
	const target = new URL(path, sw.location.origin).href;
	event.waitUntil(openPage(target));
});

async function openPage(url: string): Promise<void> {
	const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
	for (const client of windows) {
		if (new URL(client.url).origin !== sw.location.origin) continue;
		const focused = await client.focus();
		await focused.navigate(url);
		return;
	}
	await sw.clients.openWindow(url);
}

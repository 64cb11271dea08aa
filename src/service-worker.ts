/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { SHARE_PATH, SHARED_FILES_CACHE, SHARED_FILES_FIELD } from '$lib/util/shared-link';

const sw = self as unknown as ServiceWorkerGlobalScope;

// One cache per deployed version: a new version fills its own cache while the old one keeps
// serving, and the old cache is deleted only once the new worker takes over.
const CACHE = `ours-${version}`;
// The page every route is rendered from (adapter-static's fallback): offline, any navigation,
// even to a URL never visited before, gets it from the cache.
const APP_SHELL = '/200.html';
// The install sheet's screenshots are fetched by the browser when it shows the sheet, never offline.
const PRECACHE = [
	...build,
	...files.filter((file) => !file.startsWith('/screenshots/')),
	APP_SHELL
];

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
				Promise.all(
					keys
						.filter((key) => key !== CACHE && key !== SHARED_FILES_CACHE)
						.map((key) => caches.delete(key))
				)
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
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.method === 'POST' && url.pathname === SHARE_PATH) {
		event.respondWith(receiveShare(request));
		return;
	}
	if (request.method !== 'GET') return;

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

/**
 * The manifest's share target: another app posts what a member shared with Ours (a `.ours` file,
 * or a link as text). A file is kept in its own cache and the page is sent to take it; text and
 * links go to the page as query parameters, as a GET share target would send them. The 303 makes
 * the page a plain GET, so a reload never posts again.
 */
async function receiveShare(request: Request): Promise<Response> {
	const target = new URL(SHARE_PATH, sw.location.origin);
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		return Response.redirect(target.href, 303);
	}
	const file = form.getAll(SHARED_FILES_FIELD).find((value) => value instanceof File);
	if (file) {
		const key = `${SHARE_PATH}/files/${crypto.randomUUID()}`;
		const cache = await caches.open(SHARED_FILES_CACHE);
		await cache.put(key, new Response(file, { headers: { 'Content-Type': file.type } }));
		target.searchParams.set('file', key);
	} else {
		for (const name of ['title', 'text', 'url']) {
			const value = form.get(name);
			if (typeof value === 'string' && value !== '') target.searchParams.set(name, value);
		}
	}
	return Response.redirect(target.href, 303);
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

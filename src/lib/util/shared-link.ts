import { parseCoopFragment, parseDeviceLinkFragment } from './invite-link';

/** Where the manifest's share target and file handler send what another app shares. */
export const SHARE_PATH = '/share';
/** The Cache Storage cache the service worker keeps a shared file in until the page takes it. */
export const SHARED_FILES_CACHE = 'ours-shared-files';
/** The form field of the shared files (the manifest's `share_target.params.files[0].name`). */
export const SHARED_FILES_FIELD = 'files';

/** An Ours link found in shared text: the page it opens (on this app) and its fragment. */
export interface SharedLink {
	readonly page: '/join' | '/link';
	readonly hash: string;
}

const URL_PATTERN = /https?:\/\/[^\s<>"']+/giu;

/**
 * The first Ours link (an invite, a link to apply, or a device link) in what another app shared:
 * its `url`, `text` and `title`, in that order, as a messaging app may put the link in any. Only
 * the path and the fragment count, checked as `/join` and `/link` check them, so a link made on
 * another host of the app opens here too, and anything else opens nothing.
 */
export function findSharedLink(values: readonly (string | null | undefined)[]): SharedLink | null {
	for (const value of values) {
		if (!value) continue;
		for (const match of value.matchAll(URL_PATTERN)) {
			let url: URL;
			try {
				url = new URL(match[0]);
			} catch {
				continue;
			}
			if (url.pathname === '/join' && parseCoopFragment(url.hash).ok) {
				return { page: '/join', hash: url.hash };
			}
			if (url.pathname === '/link' && parseDeviceLinkFragment(url.hash).ok) {
				return { page: '/link', hash: url.hash };
			}
		}
	}
	return null;
}

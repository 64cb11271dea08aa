import { m } from '$lib/paraglide/messages.js';
import type { SyncFileReadError } from '$lib/sync/file-read';
import { MAX_FILE_BYTES } from '$lib/sync/file-limits';

export { MAX_FILE_BYTES };

/** What a file holds, as its name says it. */
export type FileLabel = 'all' | 'have' | 'lack' | 'backup';

/** A file name that says which co-op, what and when, and that every system accepts. */
export function syncFileName(coopName: string, label: FileLabel, at = new Date()): string {
	const slug =
		coopName
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 40) || 'coop';
	const date = at.toISOString().slice(0, 10);
	return `${slug}-${label}-${date}.ours`;
}

/** What to tell a member about a file that could not be used. */
export function syncErrorText(error: SyncFileReadError): string {
	switch (error) {
		case 'empty':
			return m.sync_error_empty();
		case 'too-large':
			return m.sync_error_too_large();
		case 'not-ours':
			return m.sync_error_not_ours();
		case 'version':
			return m.sync_error_version();
		case 'damaged':
			return m.sync_error_damaged();
		case 'header':
			return m.sync_error_header();
		case 'other-coop':
			return m.sync_error_other_coop();
		case 'wrong-kind':
			return m.sync_error_wrong_kind();
		case 'payload':
			return m.sync_error_payload();
		case 'too-much-work':
			return m.sync_error_too_much_work();
		case 'unreadable':
			return m.sync_error_unreadable();
	}
}

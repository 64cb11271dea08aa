// Everything that opens, founds or fills a co-op: Yjs, y-indexeddb, y-webrtc, the session, the
// records' fold and the co-op's view. `OursApp` loads it with a dynamic import only when it needs
// it, so the first screen (the list of co-ops, founding one) is drawn without downloading it.
export { CoopSession } from '$lib/session/coop-session';
export { deleteCoopStorage } from '$lib/storage/forget-coop';
export { EVERYTHING } from '$lib/sync/file-read';
export { readSyncFileInWorker } from '$lib/sync/file-read-client';
export { genesisDraft } from '$lib/domain/settings/commands';
export { profileDraft } from '$lib/domain/membership/commands';
export { CoopView } from './coop.svelte';
export { browserAdapters, seedStoredDoc } from './browser-adapters';

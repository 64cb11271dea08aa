// The sync file's size bound, apart from the file format (and Yjs) so the first screen can check a
// picked file's size without loading the sync stack.

/** Far above any co-op for years, low enough that a browser can hash it in memory. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

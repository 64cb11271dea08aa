import * as Y from 'yjs';
import { sha256 } from '$lib/crypto/hash';
import { encodeUtf8 } from '$lib/crypto/utf8';
import { MAX_FILE_BYTES } from './file-limits';
import { checkStateVector, checkUpdate } from './update-bounds';

export { MAX_FILE_BYTES };

/**
 * Sync by file: a co-op's changes (or a state vector, or a backup) in a small versioned container
 * that can travel any way (share sheet, USB stick, messenger). Layout:
 *
 *   "OURS" | version (1 byte) | header length (u32 BE) | header (UTF-8 JSON) | payload | SHA-256
 *
 * The SHA-256 covers every byte before it, so any damage anywhere is caught before anything is
 * read. Decoding never throws: every problem is a result, and nothing is applied on a problem.
 */

export type SyncFileKind = 'update' | 'state-vector' | 'backup';

export interface SyncFileHeader {
	readonly kind: SyncFileKind;
	readonly coopId: string;
	readonly coopName: string;
	readonly createdAt: number;
	/** Length of the payload, checked against the file. */
	readonly bytes: number;
	/** Backups only: the room key, needed to reopen the co-op and find its members. */
	readonly roomKey?: string;
}

export type SyncFileError =
	| 'empty'
	| 'too-large'
	| 'not-ours'
	| 'version'
	| 'damaged'
	| 'header'
	| 'other-coop'
	| 'wrong-kind'
	| 'payload'
	| 'too-much-work';

export type SyncFileResult =
	| { readonly ok: true; readonly header: SyncFileHeader; readonly payload: Uint8Array }
	| { readonly ok: false; readonly error: SyncFileError };

const MAGIC = [0x4f, 0x55, 0x52, 0x53]; // "OURS"
export const SYNC_FILE_VERSION = 1;
const PREFIX = MAGIC.length + 1 + 4;
const DIGEST = 32;
/** A header is a few hundred bytes; a larger one is not ours. */
export const MAX_HEADER_BYTES = 16 * 1024;
const MAX_TEXT = 1000;

/** The origin of changes applied from a file, so observers can tell them from local edits. */
export const FILE_SYNC_ORIGIN = Symbol('ours-file-sync');

/** Every change in `doc`: what a member with nothing needs. */
export const fullUpdate = (doc: Y.Doc): Uint8Array => Y.encodeStateAsUpdate(doc);

/** What `doc` has, as a state vector (a few bytes per device that ever edited). */
export const stateVectorOf = (doc: Y.Doc): Uint8Array => Y.encodeStateVector(doc);

/** Exactly the changes a peer whose state vector is `theirs` lacks. */
export const missingUpdate = (doc: Y.Doc, theirs: Uint8Array): Uint8Array =>
	Y.encodeStateAsUpdate(doc, theirs);

/** Packs a payload with its header into a file. */
export async function encodeSyncFile(
	header: Omit<SyncFileHeader, 'bytes'>,
	payload: Uint8Array
): Promise<Uint8Array<ArrayBuffer>> {
	const json = encodeUtf8(JSON.stringify({ ...header, bytes: payload.length }));
	const body = new Uint8Array(PREFIX + json.length + payload.length);
	body.set(MAGIC, 0);
	body[MAGIC.length] = SYNC_FILE_VERSION;
	new DataView(body.buffer).setUint32(MAGIC.length + 1, json.length);
	body.set(json, PREFIX);
	body.set(payload, PREFIX + json.length);
	const file = new Uint8Array(body.length + DIGEST);
	file.set(body, 0);
	file.set(await sha256(body), body.length);
	return file;
}

/**
 * Reads a file and checks it is an intact Ours file of one of `kinds`, for `coopId` if given.
 * Never throws, never rejects.
 */
export async function decodeSyncFile(
	file: Uint8Array,
	expected: { readonly kinds: readonly SyncFileKind[]; readonly coopId?: string }
): Promise<SyncFileResult> {
	try {
		return await decode(file, expected);
	} catch {
		return { ok: false, error: 'damaged' };
	}
}

async function decode(
	file: Uint8Array,
	expected: { readonly kinds: readonly SyncFileKind[]; readonly coopId?: string }
): Promise<SyncFileResult> {
	const fail = (error: SyncFileError) => ({ ok: false, error }) as const;
	if (file.length === 0) return fail('empty');
	if (file.length > MAX_FILE_BYTES) return fail('too-large');
	if (file.length < MAGIC.length || MAGIC.some((byte, index) => file[index] !== byte)) {
		return fail('not-ours');
	}
	if (file.length < PREFIX + DIGEST) return fail('damaged');
	if (file[MAGIC.length] !== SYNC_FILE_VERSION) return fail('version');
	const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
	const headerLength = view.getUint32(MAGIC.length + 1);
	if (headerLength > MAX_HEADER_BYTES) return fail('header');
	const bodyLength = file.length - DIGEST;
	if (PREFIX + headerLength > bodyLength) return fail('damaged');
	const body = file.slice(0, bodyLength);
	const digest = await sha256(body);
	if (digest.some((byte, index) => file[bodyLength + index] !== byte)) return fail('damaged');

	const header = parseHeader(body.subarray(PREFIX, PREFIX + headerLength));
	const payload = body.slice(PREFIX + headerLength);
	if (!header || header.bytes !== payload.length) return fail('header');
	if (expected.coopId !== undefined && header.coopId !== expected.coopId) return fail('other-coop');
	if (!expected.kinds.includes(header.kind)) return fail('wrong-kind');
	// A checksum proves the file intact, not that its maker wrote a payload that is readable, or
	// cheap to read: the payload's layout is walked and its work counted before anything builds it.
	const work = header.kind === 'state-vector' ? checkStateVector(payload) : checkUpdate(payload);
	if (!work.ok) return fail(work.error === 'too-much-work' ? 'too-much-work' : 'payload');
	return { ok: true, header, payload };
}

function parseHeader(bytes: Uint8Array): SyncFileHeader | null {
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		return null;
	}
	if (typeof value !== 'object' || value === null) return null;
	const header = value as Record<string, unknown>;
	const { kind, coopId, coopName, createdAt, bytes: size, roomKey } = header;
	const text = (field: unknown): field is string =>
		typeof field === 'string' && field.length > 0 && field.length <= MAX_TEXT;
	if (kind !== 'update' && kind !== 'state-vector' && kind !== 'backup') return null;
	if (!text(coopId) || typeof coopName !== 'string' || coopName.length > MAX_TEXT) return null;
	if (!Number.isSafeInteger(createdAt) || !Number.isSafeInteger(size)) return null;
	if (kind === 'backup' ? !text(roomKey) : roomKey !== undefined) return null;
	return {
		kind,
		coopId,
		coopName,
		createdAt: createdAt as number,
		bytes: size as number,
		...(kind === 'backup' ? { roomKey: roomKey as string } : {})
	};
}

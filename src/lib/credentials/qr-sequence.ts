import { decodeBase64url, encodeBase64url } from '$lib/crypto/base64url';
import { sha256Base64url } from '$lib/crypto/hash';
import { encodeUtf8 } from '$lib/crypto/utf8';

/**
 * A credential as a sequence of QR codes, and back. The JSON is compressed (raw DEFLATE, which
 * browsers and Node both have as `CompressionStream`), written as base64url, and cut into parts
 * of at most `QR_PART_CHARS` characters; each part reads `OVC1.<digest>.<index>.<count>.<data>`,
 * where the digest (the first 8 characters of the SHA-256 of the whole) keeps parts of different
 * credentials apart and checks the whole once it is put back together. The parts can be scanned
 * in any order. The JSON inside still has to be verified: the digest only catches mistakes.
 */

const PREFIX = 'OVC1';

/** Characters of data in one code: a version 19 or so code at error correction M, easy to scan. */
export const QR_PART_CHARS = 700;

/** Parts in a sequence at most: past it, a credential goes as a file or a link instead. */
export const MAX_QR_PARTS = 64;

async function through(
	bytes: Uint8Array<ArrayBuffer>,
	stream: CompressionStream | DecompressionStream
): Promise<Uint8Array<ArrayBuffer>> {
	const output = new Blob([bytes]).stream().pipeThrough(stream);
	return new Uint8Array(await new Response(output).arrayBuffer());
}

/** The compressed base64url form of a text (also what a credential link carries). */
export async function packText(text: string): Promise<string> {
	return encodeBase64url(await through(encodeUtf8(text), new CompressionStream('deflate-raw')));
}

/** Limit on the unpacked size: a small packed text must not inflate into a huge one. */
export async function unpackText(packed: string, maxBytes: number): Promise<string | undefined> {
	try {
		const stream = new Blob([decodeBase64url(packed)])
			.stream()
			.pipeThrough(new DecompressionStream('deflate-raw'));
		const reader = stream.getReader();
		const chunks: Uint8Array[] = [];
		let length = 0;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			length += value.length;
			if (length > maxBytes) {
				await reader.cancel();
				return undefined;
			}
			chunks.push(value);
		}
		const bytes = new Uint8Array(length);
		let offset = 0;
		for (const chunk of chunks) {
			bytes.set(chunk, offset);
			offset += chunk.length;
		}
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

/** The texts of the QR codes for `text`. */
export async function toQrSequence(text: string): Promise<string[]> {
	const packed = await packText(text);
	const digest = (await sha256Base64url(packed)).slice(0, 8);
	const count = Math.max(1, Math.ceil(packed.length / QR_PART_CHARS));
	return Array.from({ length: count }, (_, index) =>
		[
			PREFIX,
			digest,
			index + 1,
			count,
			packed.slice(index * QR_PART_CHARS, (index + 1) * QR_PART_CHARS)
		].join('.')
	);
}

export interface QrPart {
	readonly digest: string;
	readonly index: number;
	readonly count: number;
	readonly data: string;
}

/** One scanned code's part, or `undefined` when it is not one of ours. */
export function parseQrPart(text: string): QrPart | undefined {
	const match = /^OVC1\.([A-Za-z0-9_-]{8})\.(\d{1,2})\.(\d{1,2})\.([A-Za-z0-9_-]{1,2000})$/.exec(
		text
	);
	if (match === null) return undefined;
	const index = Number(match[2]);
	const count = Number(match[3]);
	if (count < 1 || count > MAX_QR_PARTS || index < 1 || index > count) return undefined;
	return { digest: match[1]!, index, count, data: match[4]! };
}

/**
 * The text of a complete sequence of scanned parts (any order, repeats allowed), or why not:
 * parts missing, parts of several credentials, or a whole that does not check.
 */
export async function fromQrSequence(
	texts: readonly string[],
	maxBytes: number
): Promise<
	| { ok: true; text: string }
	| { ok: false; reason: 'not-ours' | 'mixed' | 'missing' | 'damaged'; missing?: number[] }
> {
	const parts = texts.map(parseQrPart);
	if (parts.length === 0 || parts.some((part) => part === undefined))
		return { ok: false, reason: 'not-ours' };
	const first = parts[0]!;
	if (parts.some((part) => part!.digest !== first.digest || part!.count !== first.count))
		return { ok: false, reason: 'mixed' };
	const byIndex = new Map(parts.map((part) => [part!.index, part!.data]));
	const missing = Array.from({ length: first.count }, (_, index) => index + 1).filter(
		(index) => !byIndex.has(index)
	);
	if (missing.length > 0) return { ok: false, reason: 'missing', missing };
	const packed = Array.from({ length: first.count }, (_, index) => byIndex.get(index + 1)!).join(
		''
	);
	if ((await sha256Base64url(packed)).slice(0, 8) !== first.digest)
		return { ok: false, reason: 'damaged' };
	const text = await unpackText(packed, maxBytes);
	return text === undefined ? { ok: false, reason: 'damaged' } : { ok: true, text };
}

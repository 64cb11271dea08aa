const encoder = new TextEncoder();

/** The UTF-8 bytes of `text` (what is hashed and signed). */
export function encodeUtf8(text: string): Uint8Array<ArrayBuffer> {
	return encoder.encode(text);
}

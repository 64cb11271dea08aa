/**
 * WebSocket text frames as the relay sends them (RFC 6455, section 5.2: a server's frames are
 * not masked). A publish goes to every subscriber of its topic, so the relay encodes the frame
 * once and writes the very same bytes to every socket, rather than having the WebSocket library
 * frame the message again for each recipient.
 */

/**
 * @param {string} text
 * @returns {Buffer} FIN, opcode 1 (text), the payload length, then the UTF-8 payload.
 */
export function textFrame(text) {
	const length = Buffer.byteLength(text);
	const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
	const frame = Buffer.allocUnsafe(header + length);
	frame[0] = 0x81;
	if (header === 2) {
		frame[1] = length;
	} else if (header === 4) {
		frame[1] = 126;
		frame.writeUInt16BE(length, 2);
	} else {
		frame[1] = 127;
		frame.writeUInt32BE(0, 2);
		frame.writeUInt32BE(length, 6);
	}
	frame.write(text, header);
	return frame;
}

import '../../../src/peer/node-globals';
import * as encoding from 'lib0/encoding';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wrtc } from '../../../src/peer/wrtc';
import {
	connect,
	eventually,
	type Message,
	type RelayProcess,
	startRelay,
	stopAll
} from '../signaling/helpers';

// y-webrtc as the app runs it (patched, see docs/sync.md) against the real relay; the other side
// is a bare signaling client that sends what a device without the room key, or a damaged relay,
// would: y-webrtc's own envelope encrypted with another key, random bytes, and no data at all.

let relay: RelayProcess;

beforeAll(async () => {
	relay = await startRelay();
});

afterAll(async () => {
	await relay.stop();
	await stopAll();
});

/** y-webrtc's envelope (algorithm, iv, ciphertext) of `text`, encrypted with a key of our own. */
async function encryptedWithAnotherKey(text: string): Promise<string> {
	const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const cipher = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv },
		key,
		new TextEncoder().encode(text)
	);
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, 'AES-GCM');
	encoding.writeVarUint8Array(encoder, iv);
	encoding.writeVarUint8Array(encoder, new Uint8Array(cipher));
	return Buffer.from(encoding.toUint8Array(encoder)).toString('base64');
}

it('drops and counts messages that do not decrypt with the room key, and announces itself again', async () => {
	const room = 'wrong-key-room';
	const stranger = await connect(relay.url);
	stranger.send({ type: 'subscribe', topics: [room] });
	await stranger.ping();

	const provider = new WebrtcProvider(room, new Y.Doc(), {
		signaling: [relay.url],
		password: 'the room key',
		peerOpts: { wrtc }
	});
	const counts: number[] = [];
	(provider as unknown as { on: (name: string, f: (n: number) => void) => void }).on(
		'undecryptable',
		(count) => counts.push(count)
	);
	try {
		await provider.key;
		// The relay echoes the stranger's own messages: the provider's are the others.
		const sent = new Set<unknown>();
		const publish = (data: unknown) => {
			sent.add(typeof data === 'string' ? data : JSON.stringify(data));
			stranger.send({ type: 'publish', topic: room, data });
		};
		const fromProvider = (m: Message) =>
			m.type === 'publish' && typeof m.data === 'string' && !sent.has(m.data);
		// Its announce, encrypted with the room key: the stranger cannot read it.
		await stranger.next(fromProvider, 5000, 'announce');
		const before = stranger.received(fromProvider).length;

		publish(await encryptedWithAnotherKey('{"type":"announce","from":"x"}'));
		publish(Buffer.from(new Uint8Array(40)).toString('base64'));
		publish('not base64 at all!');
		publish({ type: 'announce', from: 'x' });

		const undecryptable = () => (provider as unknown as { undecryptable: number }).undecryptable;
		await eventually(() => (undecryptable() === 4 ? true : undefined), 'four counted');
		expect(counts).toEqual([1, 2, 3, 4]);
		// Not one connection was attempted to a device it cannot read.
		expect(provider.room!.webrtcConns.size).toBe(0);
		// It announced itself again, once: the next ones wait for the interval.
		await eventually(
			() => (stranger.received(fromProvider).length > before ? true : undefined),
			'a second announce'
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(stranger.received(fromProvider)).toHaveLength(before + 1);
	} finally {
		provider.destroy();
		stranger.close();
	}
}, 20_000);

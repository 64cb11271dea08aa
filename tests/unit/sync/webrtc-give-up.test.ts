import '../../../src/peer/node-globals';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wrtc } from '../../../src/peer/wrtc';
import {
	connect,
	type Message,
	type RelayProcess,
	startRelay,
	stopAll
} from '../signaling/helpers';

// y-webrtc as the app runs it (patched, see docs/sync.md), with Node's WebRTC, against the real
// relay; the other side is a bare signaling client, so the test decides what it answers.

let relay: RelayProcess;

beforeAll(async () => {
	relay = await startRelay();
});

afterAll(async () => {
	await relay.stop();
	await stopAll();
});

const data = (m: Message) => (m.data ?? {}) as Message;

it('gives up a connection that never comes up, and announces itself again', async () => {
	const room = 'give-up-room';
	const silent = await connect(relay.url);
	silent.send({ type: 'subscribe', topics: [room] });
	await silent.ping();

	const provider = new WebrtcProvider(room, new Y.Doc(), {
		signaling: [relay.url],
		peerOpts: { wrtc }
	});
	try {
		await provider.key; // the room opens once its key is derived
		const peerId = provider.room!.peerId;
		const announces = (m: Message) => data(m).type === 'announce' && data(m).from === peerId;
		await silent.next(announces, 5000, 'the first announce');

		// A peer that announces itself and then never answers an offer.
		silent.send({ type: 'publish', topic: room, data: { type: 'announce', from: 'silent' } });
		await silent.next((m) => data(m).type === 'signal' && data(m).to === 'silent', 5000, 'offer');
		expect(provider.room!.webrtcConns.has('silent')).toBe(true);
		expect(silent.received(announces)).toHaveLength(1);

		await silent.next(
			(m) => announces(m) && silent.received(announces).length > 1,
			25_000,
			'a second announce'
		);
		expect(provider.room!.webrtcConns.has('silent')).toBe(false);
	} finally {
		provider.destroy();
		silent.close();
	}
}, 35_000);

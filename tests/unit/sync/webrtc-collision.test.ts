import '../../../src/peer/node-globals';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wrtc } from '../../../src/peer/wrtc';
import {
	connect,
	eventually,
	type Message,
	type Peer,
	type RelayProcess,
	sleep,
	startRelay,
	stopAll
} from '../signaling/helpers';

// y-webrtc as the app runs it (patched, see docs/sync.md), with Node's WebRTC, against the real
// relay. The remote devices are WebRTC connections of the test's own, signalled through a bare
// relay client, so the test decides who offers and what travels once connected.

let relay: RelayProcess;

beforeAll(async () => {
	relay = await startRelay();
});

afterAll(async () => {
	await relay.stop();
	await stopAll();
});

const data = (m: Message) => (m.data ?? {}) as Message;
const signal = (m: Message) => (data(m).signal ?? {}) as { type?: string; sdp?: string };

/** The provider's signal of `type` to `to`, received already or later. */
const signalTo = (client: Peer, to: string, type: string) =>
	client.next(
		(m) => data(m).type === 'signal' && data(m).to === to && signal(m).type === type,
		10_000,
		`${type} to ${to}`
	);

/** A WebRTC connection of the test's own; its descriptions carry every candidate (no trickle). */
async function described(
	pc: InstanceType<typeof wrtc.RTCPeerConnection>,
	make: () => Promise<RTCSessionDescriptionInit>
): Promise<string> {
	await pc.setLocalDescription(await make());
	await eventually(
		() => (pc.iceGatheringState === 'complete' ? true : undefined),
		'ICE gathering',
		10_000
	);
	return pc.localDescription.sdp;
}

/** The data channel a remote's connection receives from the provider, once open. */
function channelOf(pc: InstanceType<typeof wrtc.RTCPeerConnection>): Promise<RTCDataChannel> {
	return new Promise((resolve) => {
		pc.addEventListener('datachannel', (event) => {
			const { channel } = event as RTCDataChannelEvent;
			if (channel.readyState === 'open') resolve(channel);
			else channel.addEventListener('open', () => resolve(channel), { once: true });
		});
	});
}

/** Messages arriving on `channel`, as bytes. */
function inbox(channel: RTCDataChannel): Uint8Array[] {
	const received: Uint8Array[] = [];
	channel.binaryType = 'arraybuffer';
	channel.addEventListener('message', (event: MessageEvent) => {
		received.push(new Uint8Array(event.data as ArrayBuffer));
	});
	return received;
}

/** y-webrtc's sync step 1 (message type 0, sync step 0) of `doc`. */
function syncStep1(doc: Y.Doc): Uint8Array<ArrayBuffer> {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	syncProtocol.writeSyncStep1(encoder, doc);
	return new Uint8Array(encoding.toUint8Array(encoder));
}

const isSyncStep1 = (m: Uint8Array) => m[0] === 0 && m[1] === 0;

async function joined(room: string) {
	const client = await connect(relay.url);
	client.send({ type: 'subscribe', topics: [room] });
	await client.ping();
	const provider = new WebrtcProvider(room, new Y.Doc(), {
		signaling: [relay.url],
		// Offers and answers carry every candidate (simple-peer waits up to 1 s for them).
		peerOpts: { wrtc, trickle: false, iceCompleteTimeout: 1000 }
	});
	await provider.key; // the room opens once its key is derived
	const peerId = provider.room!.peerId;
	const announces = (m: Message) => data(m).type === 'announce' && data(m).from === peerId;
	await client.next(announces, 5000, 'the first announce');
	const publish = (message: Message) =>
		client.send({ type: 'publish', topic: room, data: { ...message, to: peerId } });
	return { client, provider, peerId, announces, publish };
}

it('after an offer collision it yields, answers on a new connection, and the sync steps cross', async () => {
	const { client, provider, publish } = await joined('collision-room');
	const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
	try {
		// Both announce at once: the provider offers a connection to the remote...
		client.send({
			type: 'publish',
			topic: 'collision-room',
			data: { type: 'announce', from: 'racer' }
		});
		await signalTo(client, 'racer', 'offer');
		// ...and the remote offers one too, with the higher tie-breaker: the provider yields.
		const channel = pc.createDataChannel('racer');
		const received = inbox(channel);
		const offer = await described(pc, () => pc.createOffer());
		publish({
			type: 'signal',
			from: 'racer',
			token: Date.now() + 1e9,
			signal: { type: 'offer', sdp: offer }
		});
		const answer = await signalTo(client, 'racer', 'answer');
		await pc.setRemoteDescription({ type: 'answer', sdp: signal(answer).sdp! });

		// The provider's sync step 1 arrives on the remote's own channel, and the provider
		// answers the remote's with its sync step 2: the connection carries the document.
		await eventually(() => (received.some(isSyncStep1) ? true : undefined), 'sync step 1', 10_000);
		await eventually(
			() => (channel.readyState === 'open' ? true : undefined),
			'channel open',
			10_000
		);
		channel.send(syncStep1(new Y.Doc()));
		await eventually(
			() => (received.some((m) => m[0] === 0 && m[1] === 1) ? true : undefined),
			'sync step 2',
			10_000
		);
		const conn = provider.room!.webrtcConns.get('racer');
		expect(conn?.connected).toBe(true);
	} finally {
		pc.close();
		provider.destroy();
		client.close();
	}
}, 30_000);

it('after an offer collision it wins, and ignores what the refused offer signals next', async () => {
	const { client, provider, peerId, publish } = await joined('refused-room');
	const refused = new wrtc.RTCPeerConnection({ iceServers: [] });
	const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
	try {
		client.send({
			type: 'publish',
			topic: 'refused-room',
			data: { type: 'announce', from: 'loser' }
		});
		const ours = await signalTo(client, 'loser', 'offer');
		// The remote's offer has the lower tie-breaker: refused.
		refused.createDataChannel('refused');
		const offer = await described(refused, () => refused.createOffer());
		const refusedOffer = {
			type: 'signal',
			from: 'loser',
			token: 1,
			signal: { type: 'offer', sdp: offer }
		};
		publish(refusedOffer);
		// The remote takes the provider's offer instead, on a connection of its own.
		const channel = channelOf(pc);
		await pc.setRemoteDescription({ type: 'offer', sdp: signal(ours).sdp! });
		const answer = await described(pc, () => pc.createAnswer());
		publish({ type: 'signal', from: 'loser', token: 2, signal: { type: 'answer', sdp: answer } });
		const received = inbox(await channel);
		const conns = provider.room!.webrtcConns;
		await eventually(() => (conns.get('loser')?.connected ? true : undefined), 'connected', 10_000);
		const conn = conns.get('loser');

		// The refused connection's candidate, and its offer again (as through a second relay).
		publish({
			type: 'signal',
			from: 'loser',
			token: 1,
			signal: {
				type: 'candidate',
				candidate: {
					candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host',
					sdpMLineIndex: 0,
					sdpMid: '0'
				}
			}
		});
		publish(refusedOffer);
		await client.ping();
		// Taken, either would close the connection within a second or two (the candidate fails,
		// or the offer starts a negotiation with another device's description): nothing must.
		await sleep(3000);
		expect(conns.get('loser') === conn, 'the same connection').toBe(true);
		expect(conn?.connected).toBe(true);
		const answers = client.received(
			(m) => data(m).from === peerId && data(m).to === 'loser' && signal(m).type === 'answer'
		);
		expect(answers).toHaveLength(0);
		expect(received.some(isSyncStep1)).toBe(true);
	} finally {
		refused.close();
		pc.close();
		provider.destroy();
		client.close();
	}
}, 30_000);

it('closes a connection that is up but brings nothing, keeps one that talks, and announces itself again', async () => {
	const { client, provider, peerId, announces, publish } = await joined('silence-room');
	const remotes = ['silent', 'talking'].map((id) => ({
		id,
		pc: new wrtc.RTCPeerConnection({ iceServers: [] })
	}));
	try {
		for (const { id, pc } of remotes) {
			const opened = channelOf(pc);
			client.send({
				type: 'publish',
				topic: 'silence-room',
				data: { type: 'announce', from: id }
			});
			const offer = await signalTo(client, id, 'offer');
			await pc.setRemoteDescription({ type: 'offer', sdp: signal(offer).sdp! });
			const answer = await described(pc, () => pc.createAnswer());
			publish({ type: 'signal', from: id, token: 1, signal: { type: 'answer', sdp: answer } });
			// Only the talking one says anything: its sync step 1, as every device does.
			if (id === 'talking') void opened.then((channel) => channel.send(syncStep1(new Y.Doc())));
		}
		const conns = provider.room!.webrtcConns;
		const up = await eventually(
			() => (remotes.every(({ id }) => conns.get(id)?.connected) ? Date.now() : undefined),
			'both connections up',
			10_000
		);
		const talking = conns.get('talking');
		expect(client.received(announces)).toHaveLength(1);

		// Given up within 12 to 18 s of coming up; the room is announced again.
		await eventually(() => (conns.has('silent') ? undefined : true), 'silent one closed', 22_000);
		await client.next(
			(m) => announces(m) && client.received(announces).length > 1,
			5000,
			'announce'
		);
		expect(Date.now() - up).toBeGreaterThanOrEqual(11_000);
		// Past the longest wait, the talking one is still up.
		await sleep(Math.max(0, up + 19_000 - Date.now()));
		expect(conns.get('talking')).toBe(talking);
		expect(talking?.connected).toBe(true);
		expect(provider.room!.peerId).toBe(peerId);
	} finally {
		for (const { pc } of remotes) pc.close();
		provider.destroy();
		client.close();
	}
}, 45_000);

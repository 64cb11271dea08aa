import * as polyfill from 'node-datachannel/polyfill';

/**
 * WebRTC for simple-peer (its `wrtc` option), from node-datachannel's polyfill.
 *
 * simple-peer rewrites the `sdp` of the offers and answers it creates (`answer.sdp = …`), which
 * works on browsers' plain description objects; the polyfill returns `RTCSessionDescription`
 * instances whose `sdp` only has a getter, so the assignment throws and every connection fails.
 * Handing simple-peer plain copies keeps both as they are.
 */
class PeerConnection extends polyfill.RTCPeerConnection {
	override async createOffer(): Promise<RTCSessionDescriptionInit> {
		return plain((await super.createOffer()) as RTCSessionDescriptionInit);
	}

	override async createAnswer(): Promise<RTCSessionDescriptionInit> {
		return plain((await super.createAnswer()) as RTCSessionDescriptionInit);
	}
}

const plain = ({ type, sdp }: RTCSessionDescriptionInit): RTCSessionDescriptionInit => ({
	type,
	sdp
});

export const wrtc = {
	RTCPeerConnection: PeerConnection,
	RTCSessionDescription: polyfill.RTCSessionDescription,
	RTCIceCandidate: polyfill.RTCIceCandidate
};

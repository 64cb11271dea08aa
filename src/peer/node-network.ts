import type { NetworkAdapter } from '$lib/sync/network-adapter';
import { webrtcNetwork } from '$lib/sync/peer-sync';
import type { SyncConfig } from '$lib/util/sync-config';
import { wrtc } from './wrtc';

/**
 * The peer's network adapter: the app's own y-webrtc room (same room name, same encryption with
 * the room key, same relays), with WebRTC from node-datachannel since Node has none.
 */
export const nodeNetwork = (config: SyncConfig): NetworkAdapter => webrtcNetwork(config, { wrtc });

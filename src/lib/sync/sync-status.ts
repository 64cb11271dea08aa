/**
 * What the sync indicator shows. `offline`: the device has no network (or sync is paused);
 * `searching`: online but no peer reached yet (relay unreachable, or nobody else is here);
 * `connected`: talking to `peers` other devices, directly or through another tab.
 */
export interface SyncStatus {
	readonly state: 'offline' | 'searching' | 'connected';
	readonly peers: number;
	/** How many of the configured relays answer. */
	readonly relays: number;
	/** When a change last arrived from another device, or was confirmed in sync with one. */
	readonly lastSyncedAt: number | null;
	/**
	 * Messages in the room dropped because they did not decrypt with the room key: sent by devices
	 * without this co-op's key (a wrong or altered link), or damaged.
	 */
	readonly ignored: number;
	/**
	 * Messages from peers refused: updates whose work passes the limits (`update-bounds.ts`), and
	 * messages that could not be read. Nothing of them is applied.
	 */
	readonly refused: number;
}

export const initialSyncStatus: SyncStatus = {
	state: 'searching',
	peers: 0,
	relays: 0,
	lastSyncedAt: null,
	ignored: 0,
	refused: 0
};

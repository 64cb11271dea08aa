/**
 * What a device keeps about each co-op it belongs to, apart from the co-op's shared document: the
 * browser in IndexedDB (`device-store.ts`), the always-on peer in a file (`src/peer/coop-file.ts`).
 */

/** A co-op this device is founding: its genesis is written when the co-op first opens. */
export interface PendingFound {
	readonly kind: 'found';
	/** The salt that, with this device's key, derives the co-op id. */
	readonly salt: string;
	readonly created: number;
	readonly displayName: string;
}

/** A join this device has asked for and not yet written: it waits for the invite record to sync. */
export interface PendingJoin {
	readonly kind: 'join';
	/** The invite secret from the link; it never leaves this device. */
	readonly secret: string;
	readonly displayName: string;
	/**
	 * A credential from another co-op to present once joined: the presentation's JSON text, signed
	 * by the key the credential names and bound to this co-op and this device's member id.
	 */
	readonly presentation?: string;
}

/** This device asked to become a device of an existing member (see docs/records.md). */
export interface PendingLink {
	readonly kind: 'link';
	/** The one-time code from the link shown on the member's other device. */
	readonly code: string;
	/** The member this device asks to join. */
	readonly member: string;
}

/** A co-op this device belongs to: what it needs to open the co-op's document and find its peers. */
export interface CoopEntry {
	readonly id: string;
	readonly name: string;
	/**
	 * True while `name` is only what a link carried (anyone can write a link): the co-op's genesis
	 * record confirms or replaces it once it has synced.
	 */
	readonly nameFromLink?: boolean;
	/** The room secret: encrypts signaling and gates the sync room. Never leaves the device but in invite links. */
	readonly roomKey: string;
	readonly addedAt: number;
	readonly lastOpenedAt: number;
	/** Set from the moment a member opens an invite or link until the record is written. */
	readonly pending?: PendingFound | PendingJoin | PendingLink;
	/** When this device last made a backup of the co-op. */
	readonly lastBackupAt?: number;
	/** When records from each other device (by public key) last arrived on this one. */
	readonly lastSeen?: Readonly<Record<string, number>>;
}

import { join } from 'node:path';
import type * as Y from 'yjs';
import { CoopSession, type SessionCoop } from '$lib/session/coop-session';
import type { Membership } from '$lib/session/membership';
import type { SyncStatus } from '$lib/sync/sync-status';
import { writeCoopFile, type CoopFile } from './coop-file';
import { FileVault } from './file-vault';
import { loadOrCreateKey } from './key-file';
import type { Logger } from './log';
import { nodeNetwork } from './node-network';
import { UpdateLog } from './update-log';

/** Bursts of changes (a member typing) are summed up in one log line after this pause. */
const QUIET_MS = 300;

export interface PeerCoopOptions {
	readonly dir: string;
	readonly relays: readonly string[];
	readonly iceServers: readonly RTCIceServer[];
	readonly log: Logger;
}

/** The session's view of a co-op file: a kept invite is a pending join like the app's. */
function sessionCoop(coop: CoopFile): SessionCoop {
	return {
		id: coop.coopId,
		name: coop.name,
		roomKey: coop.roomKey,
		...(coop.pending === undefined ? {} : { pending: { kind: 'join', ...coop.pending } })
	};
}

/**
 * One co-op on the peer: a `CoopSession`, like the app's, given the peer's adapters (the update
 * log for the document, the file vault for records, WebRTC from node-datachannel for peers) and
 * its key file. The session joins with the kept invite exactly as the app does; the peer is a
 * member device like a phone, which only relays and keeps what members write, and logs what
 * happens.
 */
export class PeerCoop {
	readonly #session: CoopSession;
	readonly #options: PeerCoopOptions;
	readonly #stops: Array<() => void> = [];
	/** Set while the kept invite is not counted yet: becoming a member then is joining. */
	#joining: boolean;
	#lastMembership = '';
	#status: SyncStatus | null = null;
	#timer: ReturnType<typeof setTimeout> | undefined;

	private constructor(session: CoopSession, coop: CoopFile, options: PeerCoopOptions) {
		this.#session = session;
		this.#options = options;
		this.#joining = coop.pending !== undefined;
	}

	static async open(coop: CoopFile, options: PeerCoopOptions): Promise<PeerCoop> {
		const { dir, log } = options;
		let updateLog: UpdateLog | undefined;
		const adapters = {
			vault: new FileVault(join(dir, 'vault.jsonl')),
			persistence: (doc: Y.Doc) => (updateLog = new UpdateLog(join(dir, 'doc.ylog'), doc)),
			network: nodeNetwork({ signalingUrls: options.relays, iceServers: options.iceServers })
		};
		const session = await CoopSession.open(sessionCoop(coop), adapters, {
			keys: {
				getOrCreate: async () => {
					const { key, created } = await loadOrCreateKey(join(dir, 'device-key.jwk'));
					if (created) log('device key created', { device: key.publicKey });
					return key;
				}
			},
			// The invite is forgotten once the join is counted.
			settled: async () => {
				const { coopId, roomKey, name, relays } = coop;
				await writeCoopFile(dir, { coopId, roomKey, name, relays });
			},
			// Nobody reads on the peer when members last synced with it: nothing to keep.
			seen: async () => {}
		});
		await session.loaded;
		const peer = new PeerCoop(session, coop, options);
		log('opened', {
			name: JSON.stringify(coop.name),
			updates: updateLog?.updates ?? 0,
			...peer.#counts()
		});
		peer.#start();
		return peer;
	}

	async close(): Promise<void> {
		clearTimeout(this.#timer);
		for (const stop of this.#stops) stop();
		await this.#session.close();
	}

	#start(): void {
		const session = this.#session;
		this.#stops.push(
			session.records.onChange(() => this.#report(session.membership)),
			session.network.subscribe((status) => this.#onStatus(status))
		);
		this.#report(session.membership);
		this.#options.log('listening', {
			relays: this.#options.relays.join(','),
			device: session.key.publicKey
		});
	}

	/** Logs devices connecting and leaving, and changes from them once things are quiet. */
	#onStatus(status: SyncStatus): void {
		const previous = this.#status;
		this.#status = status;
		if (previous === null) return;
		const log = this.#options.log;
		if (status.peers > previous.peers) log('peer connected', { peers: status.peers });
		if (status.peers < previous.peers) log('peer disconnected', { peers: status.peers });
		if (status.lastSyncedAt !== previous.lastSyncedAt) {
			clearTimeout(this.#timer);
			this.#timer = setTimeout(() => log('received', this.#counts()), QUIET_MS);
		}
	}

	/** Logs where the peer stands each time it changes. */
	#report(membership: Membership): void {
		const detail: Record<string, string> =
			membership.kind === 'member' || membership.kind === 'left'
				? { as: JSON.stringify(membership.member.displayName) }
				: membership.kind === 'refused'
					? { reason: membership.reason }
					: {};
		const line = `${membership.kind} ${JSON.stringify(detail)}`;
		if (line === this.#lastMembership) return;
		this.#lastMembership = line;
		// A member with an invite still pending has just joined; without one, it reopened.
		const event = membership.kind === 'member' && this.#joining ? 'joined' : membership.kind;
		if (membership.kind === 'member') this.#joining = false;
		this.#options.log(event, { ...detail, ...this.#counts() });
	}

	/** What a log line says of the co-op: records in the shared map, members, notes length. */
	#counts(): Record<string, number> {
		const session = this.#session;
		return {
			records: session.doc.getMap('records').size,
			members: session.records.state.roster.members.filter((member) => member.status === 'active')
				.length,
			notes: session.notes.length
		};
	}
}

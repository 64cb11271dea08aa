import { join } from 'node:path';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { SigningKey } from '$lib/crypto/keys';
import { joinDraft, profileDraft } from '$lib/domain/membership/commands';
import { inviteKeyFromSecret, proveInvite } from '$lib/domain/membership/proofs';
import { membershipOf, type Membership } from '$lib/session/membership';
import { SignedRecords } from '$lib/session/signed-records';
import { roomName } from '$lib/sync/peer-sync';
import { writeCoopFile, type CoopFile } from './coop-file';
import { FileVault } from './file-vault';
import { loadOrCreateKey } from './key-file';
import { shortId, type Logger } from './log';
import { UpdateLog } from './update-log';
import { wrtc } from './wrtc';

/** Bursts of updates (a member typing) are summed up in one log line after this pause. */
const QUIET_MS = 300;
const CONNECTIONS_POLL_MS = 250;

export interface PeerCoopOptions {
	readonly dir: string;
	readonly relays: readonly string[];
	readonly iceServers: readonly RTCIceServer[];
	readonly log: Logger;
}

/**
 * One co-op on the peer: the document from its update log, its signed records checked and kept
 * in the file vault, and a sync room that any member's device can meet it in. The peer is a
 * member device like a phone: it joins with an invite, then only relays and keeps what members
 * write; it writes nothing else.
 */
export class PeerCoop {
	readonly #coop: CoopFile;
	readonly #options: PeerCoopOptions;
	readonly #doc: Y.Doc;
	readonly #log: UpdateLog;
	readonly #key: SigningKey;
	readonly #records: SignedRecords;
	readonly #provider: WebrtcProvider;
	readonly #stops: Array<() => void> = [];
	#pending: CoopFile['pending'];
	#inviteId: string | null = null;
	#joining = false;
	#lastMembership = '';
	#timer: ReturnType<typeof setTimeout> | undefined;
	#connected = new Set<string>();

	private constructor(
		coop: CoopFile,
		options: PeerCoopOptions,
		parts: { doc: Y.Doc; log: UpdateLog; key: SigningKey; records: SignedRecords }
	) {
		this.#coop = coop;
		this.#options = options;
		this.#pending = coop.pending;
		this.#doc = parts.doc;
		this.#log = parts.log;
		this.#key = parts.key;
		this.#records = parts.records;
		this.#provider = new WebrtcProvider(roomName(coop.coopId), parts.doc, {
			signaling: [...options.relays],
			password: coop.roomKey,
			peerOpts: { config: { iceServers: [...options.iceServers] }, wrtc }
		});
	}

	static async open(coop: CoopFile, options: PeerCoopOptions): Promise<PeerCoop> {
		const doc = new Y.Doc();
		const { log, updates } = await UpdateLog.open(join(options.dir, 'doc.ylog'), doc);
		const { key, created } = await loadOrCreateKey(join(options.dir, 'device-key.jwk'));
		if (created) options.log('device key created', { device: key.publicKey });
		const records = await SignedRecords.open({
			coopId: coop.coopId,
			doc,
			key,
			vault: new FileVault(join(options.dir, 'vault.jsonl'))
		});
		const peer = new PeerCoop(coop, options, { doc, log, key, records });
		options.log('opened', { name: JSON.stringify(coop.name), updates, ...peer.#counts() });
		await peer.#start();
		return peer;
	}

	async close(): Promise<void> {
		clearTimeout(this.#timer);
		for (const stop of this.#stops) stop();
		await this.#provider.key;
		this.#provider.destroy();
		await this.#records.close();
		this.#log.close();
		this.#doc.destroy();
	}

	async #start(): Promise<void> {
		const log = this.#options.log;
		if (this.#pending !== undefined) {
			this.#inviteId = (await inviteKeyFromSecret(this.#pending.secret)).publicKey;
		}
		const onSynced = ({ synced }: { synced: boolean }) => {
			if (synced) log('synced', this.#counts());
		};
		// Changes from peers arrive as many small updates: report them once things are quiet.
		const onUpdate = (_update: Uint8Array, origin: unknown) => {
			if (origin !== this.#provider.room) return;
			clearTimeout(this.#timer);
			this.#timer = setTimeout(() => log('received', this.#counts()), QUIET_MS);
		};
		this.#provider.on('synced', onSynced);
		// y-webrtc reports a peer as soon as it starts connecting (and often fails to): what
		// matters is open connections, so their set is compared with the last one seen.
		const poll = setInterval(() => this.#checkConnections(), CONNECTIONS_POLL_MS);
		this.#doc.on('update', onUpdate);
		this.#stops.push(
			() => this.#provider.off('synced', onSynced),
			() => this.#doc.off('update', onUpdate),
			() => clearInterval(poll),
			this.#records.onChange(() => void this.#advance())
		);
		log('listening', { relays: this.#options.relays.join(','), device: this.#key.publicKey });
		await this.#advance();
	}

	#checkConnections(): void {
		const room = this.#provider.room;
		const open = new Set<string>();
		for (const [id, conn] of room?.webrtcConns ?? []) if (conn.connected) open.add(id);
		for (const id of open) {
			if (!this.#connected.has(id))
				this.#options.log('peer connected', { peer: shortId(id), peers: open.size });
		}
		for (const id of this.#connected) {
			if (!open.has(id))
				this.#options.log('peer disconnected', { peer: shortId(id), peers: open.size });
		}
		this.#connected = open;
	}

	/** Writes the join once the invite has synced, and forgets the invite once it is counted. */
	async #advance(): Promise<void> {
		const membership = this.#membership();
		this.#report(membership);
		if (membership.kind === 'member' && this.#pending !== undefined) {
			this.#pending = undefined;
			const { coopId, roomKey, name, relays } = this.#coop;
			await writeCoopFile(this.#options.dir, { coopId, roomKey, name, relays });
		}
		if (membership.kind !== 'can-join' || this.#pending === undefined || this.#joining) return;
		this.#joining = true;
		const { secret, displayName } = this.#pending;
		const proof = await proveInvite(secret, this.#coop.coopId, this.#key.publicKey);
		const result = await this.#records.write(
			(context) => joinDraft(context, proof),
			(context) => profileDraft(context, { displayName, bio: '', skills: [], contact: '' })
		);
		if (!result.ok) this.#options.log('join failed', { reason: result.messageKey });
	}

	#membership(): Membership {
		const asked =
			this.#inviteId === null ? null : { kind: 'join' as const, inviteId: this.#inviteId };
		return membershipOf(this.#records.state.roster, this.#key.publicKey, asked, Date.now());
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
		const event =
			membership.kind === 'member' && this.#pending !== undefined ? 'joined' : membership.kind;
		this.#options.log(event, { ...detail, ...this.#counts() });
	}

	/** What a log line says of the co-op: records in the shared map, members, notes length. */
	#counts(): Record<string, number> {
		return {
			records: this.#doc.getMap('records').size,
			members: this.#records.state.roster.members.filter((member) => member.status === 'active')
				.length,
			notes: this.#doc.getText('notes').length
		};
	}
}

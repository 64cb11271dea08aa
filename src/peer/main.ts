import './node-globals';
import { join } from 'node:path';
import { parseArgs, USAGE, type PeerArgs } from './args';
import { readCoopFile, storedCoops, writeCoopFile, type CoopFile } from './coop-file';
import { makePrivateDir } from './files';
import { logger, shortId } from './log';
import { PeerCoop } from './peer-coop';

/**
 * `npm run peer`: a member's always-on device in Node. It joins a co-op from an invite link, or
 * reopens the co-ops kept in its data folder, and syncs with whichever members come online, so
 * that members who are never online at the same time still get each other's changes.
 */

const log = logger('peer');

/** Stores the invite's co-op unless the folder already holds it (a restart with the same link). */
async function adopt(args: PeerArgs): Promise<string | undefined> {
	const invite = args.invite;
	if (invite === null) return undefined;
	const dir = join(args.dataDir, invite.coopId);
	await makePrivateDir(dir);
	const existing = await readCoopFile(dir);
	if (existing === undefined) {
		await writeCoopFile(dir, {
			coopId: invite.coopId,
			roomKey: invite.roomKey,
			name: invite.name,
			relays: args.relays ?? [],
			pending: { secret: invite.secret, displayName: args.name }
		});
	}
	return invite.coopId;
}

async function openCoop(args: PeerArgs, coopId: string): Promise<PeerCoop | undefined> {
	const dir = join(args.dataDir, coopId);
	const stored = await readCoopFile(dir);
	if (stored === undefined) {
		log('not found', { coop: coopId, data: args.dataDir });
		return undefined;
	}
	let coop: CoopFile = stored;
	if (args.relays !== null && args.relays.join() !== stored.relays.join()) {
		coop = { ...stored, relays: args.relays };
		await writeCoopFile(dir, coop);
	}
	if (coop.relays.length === 0) {
		log('no relay', { coop: coopId, hint: '--relay' });
		return undefined;
	}
	return PeerCoop.open(coop, {
		dir,
		relays: coop.relays,
		iceServers: args.iceServers,
		log: logger(shortId(coopId))
	});
}

async function main(): Promise<void> {
	const parsed = parseArgs(process.argv.slice(2));
	if (!parsed.ok) {
		// Asked for help: the usage on standard output, and success.
		if (parsed.error === USAGE) {
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		}
		process.stderr.write(`${parsed.error}\n`);
		process.exit(2);
	}
	const args = parsed.args;
	await makePrivateDir(args.dataDir);
	const invited = await adopt(args);
	const ids = invited !== undefined ? [invited, ...args.coopIds] : args.coopIds;
	const wanted = ids.length > 0 ? [...new Set(ids)] : await storedCoops(args.dataDir);
	if (wanted.length === 0) {
		process.stderr.write(`No co-op in ${args.dataDir}: give an invite link (--help)\n`);
		process.exit(2);
	}

	const coops: PeerCoop[] = [];
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		log('stopping', { signal });
		// Closing flushes the update logs and the vaults; a second signal is ignored meanwhile.
		Promise.all(coops.map((coop) => coop.close())).then(
			() => {
				log('stopped');
				process.exit(0);
			},
			(error: unknown) => {
				process.stderr.write(`Stopping failed: ${String(error)}\n`);
				process.exit(1);
			}
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));

	for (const coopId of wanted) {
		if (stopping) return;
		const coop = await openCoop(args, coopId);
		if (coop !== undefined) coops.push(coop);
	}
	if (coops.length === 0) process.exit(1);
	log('running', { coops: coops.length, data: args.dataDir });
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
	);
	process.exit(1);
});

import { parseIceServers, parseSignalingUrls } from '$lib/util/sync-config';
import { parseInviteFragment, type InviteLink } from '$lib/util/invite-link';

/** What the command line asks for. */
export interface PeerArgs {
	/** The invite to join with, if one was given. */
	readonly invite: InviteLink | null;
	/** Co-ops to open (by id); empty opens every co-op stored in `dataDir`. */
	readonly coopIds: readonly string[];
	/** Holds one folder per co-op. */
	readonly dataDir: string;
	/** Relays given on the command line; `null` keeps each co-op's stored relays. */
	readonly relays: readonly string[] | null;
	readonly iceServers: readonly RTCIceServer[];
	readonly name: string;
}

export const USAGE = `Usage: npm run peer -- [<invite link> | <co-op id>...] [options]
  --data <dir>     where co-ops are kept (default .peer-data), one folder per co-op
  --relay <urls>   signaling relays, ws:// or wss://, comma separated
                   (default: port 4444 on the invite link's host)
  --ice <servers>  STUN/TURN URLs, or the JSON array WebRTC takes (default: none)
  --name <name>    the display name written when joining (default "Always-on peer")
Without an invite link, every co-op stored in the data folder is opened (or the ones named).`;

export const DEFAULT_NAME = 'Always-on peer';

/** The relay the app uses by default for a link's host: port 4444 of the host that served it. */
export function defaultRelayFor(link: string): string {
	const url = new URL(link);
	return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.hostname}:4444`;
}

const OPTIONS = new Set(['--data', '--relay', '--ice', '--name']);

export function parseArgs(
	argv: readonly string[]
): { ok: true; args: PeerArgs } | { ok: false; error: string } {
	const values = new Map<string, string>();
	const positional: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index]!;
		if (arg === '--help' || arg === '-h') return { ok: false, error: USAGE };
		if (OPTIONS.has(arg)) {
			const value = argv[++index];
			if (value === undefined) return { ok: false, error: `${arg} needs a value` };
			values.set(arg, value);
		} else if (arg.startsWith('--')) {
			return { ok: false, error: `Unknown option ${arg}` };
		} else {
			positional.push(arg);
		}
	}

	const links = positional.filter((arg) => arg.includes('#'));
	if (links.length > 1) return { ok: false, error: 'Give one invite link at a time' };
	let invite: InviteLink | null = null;
	let relays: string[] | null = null;
	if (links.length === 1) {
		const link = links[0]!;
		const parsed = parseInviteFragment(link.slice(link.indexOf('#')));
		if (!parsed.ok) return { ok: false, error: `Not a usable invite link (${parsed.error})` };
		invite = parsed.invite;
		try {
			relays = [defaultRelayFor(link)];
		} catch {
			return { ok: false, error: 'The invite link has no host to find a relay on: use --relay' };
		}
	}

	const relayText = values.get('--relay');
	if (relayText !== undefined) {
		const parsed = parseSignalingUrls(relayText);
		if (!parsed.ok) return { ok: false, error: `--relay: ${parsed.error.kind}` };
		relays = parsed.value;
	}
	const ice = parseIceServers(values.get('--ice') ?? '');
	if (!ice.ok) return { ok: false, error: `--ice: ${ice.error.kind}` };
	const name = (values.get('--name') ?? DEFAULT_NAME).trim() || DEFAULT_NAME;

	return {
		ok: true,
		args: {
			invite,
			coopIds: positional.filter((arg) => !arg.includes('#')),
			dataDir: values.get('--data') ?? '.peer-data',
			relays,
			iceServers: ice.value,
			name
		}
	};
}

import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	appendNotes,
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	notes,
	RELAY_URL
} from './fixtures';

/**
 * The always-on peer (`npm run peer`) as a real Node process: it joins with an invite, carries
 * changes between two members who are never online together, keeps them on disk and reopens
 * them after a restart without the invite.
 */

/** The peer's process and every line it printed. */
interface Peer {
	readonly process: ChildProcess;
	readonly lines: string[];
	readonly exited: Promise<number | null>;
}

function startPeer(args: string[]): Peer {
	const child = spawn(process.execPath, ['.peer-build/main.js', ...args], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	let rest = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		const parts = (rest + chunk).split('\n');
		rest = parts.pop() ?? '';
		lines.push(...parts);
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => lines.push(`stderr: ${chunk}`));
	const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
	return { process: child, lines, exited };
}

/** Waits until the peer has printed a line matching `pattern`; fails showing what it printed. */
async function peerSaid(peer: Peer, pattern: RegExp, timeout = 20_000): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!peer.lines.some((line) => pattern.test(line))) {
		if (Date.now() > deadline) {
			throw new Error(`The peer never said ${String(pattern)}:\n${peer.lines.join('\n')}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** A log line saying the peer holds `records` records and notes of `text`'s length. */
const holds = (records: number, text: string) =>
	new RegExp(`records=${records} members=\\d+ notes=${text.length}$`);

async function openNotes(page: Page): Promise<void> {
	await page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Notes' })
		.click();
}

test.beforeAll(() => {
	execFileSync('npx', ['vite', 'build', '--config', 'scripts/peer.vite.config.js'], {
		stdio: 'ignore'
	});
});

test('the always-on peer carries changes between members who are never online together, and keeps them across restarts', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const data = mkdtempSync(join(tmpdir(), 'ours-peer-'));
	const peers: Peer[] = [];
	try {
		const a = await newDevice(browser);
		await createCoop(a.page, 'Dépôt Vélo', '/', 'Ada');
		const forPeer = await inviteLink(a.page);
		await a.page.getByRole('button', { name: 'Create invite link' }).click();
		await expect(a.page.getByTestId('invite-link')).not.toHaveValue(forPeer);
		const forB = await a.page.getByTestId('invite-link').inputValue();

		const first = startPeer([forPeer, '--relay', RELAY_URL, '--data', data]);
		peers.push(first);
		await peerSaid(first, / joined as="Always-on peer"/, 30_000);
		await expect(await memberNames(a.page)).toHaveText(['Ada', 'Always-on peer'], {
			timeout: 30_000
		});

		// A writes while the peer is online, then goes away for good.
		await a.page.getByRole('link', { name: 'My profile' }).click();
		await a.page.getByLabel('Name', { exact: true }).fill('Ada L.');
		await a.page.getByRole('button', { name: 'Save profile' }).click();
		await expect(a.page.getByText('Profile saved.')).toBeVisible();
		await openNotes(a.page);
		const fromA = 'Agenda: spare parts.';
		await appendNotes(a.page, fromA);
		// Genesis, A's profile, two invites, the peer's join and profile, A's new profile.
		await peerSaid(first, holds(7, fromA));
		await a.context.close();

		// B has never been online with A: everything comes from the peer.
		const b = await newDevice(browser);
		await joinWithLink(b.page, forB, 'Dépôt Vélo', 'Bea');
		await openNotes(b.page);
		await expect(notes(b.page)).toHaveValue(fromA, { timeout: 30_000 });
		await expect(await memberNames(b.page)).toHaveText(['Ada L.', 'Always-on peer', 'Bea'], {
			timeout: 30_000
		});
		await openNotes(b.page);
		const fromB = `${fromA} Bea was here.`;
		await appendNotes(b.page, ' Bea was here.');
		await peerSaid(first, holds(9, fromB));

		first.process.kill('SIGTERM');
		expect(await first.exited).toBe(0);
		await peerSaid(first, / stopped$/);

		// Reopened from its folder alone: no invite, the relay it was given is remembered.
		const second = startPeer(['--data', data]);
		peers.push(second);
		await peerSaid(second, / member as="Always-on peer" records=9 members=3 notes=/);
		await peerSaid(second, / opened .*records=9 /);
		const again = `${fromB} Again.`;
		await appendNotes(b.page, ' Again.');
		await peerSaid(second, holds(9, again), 30_000);
		await b.context.close();
	} finally {
		for (const peer of peers) peer.process.kill('SIGKILL');
		const output = peers.map((peer) => peer.lines.join('\n')).join('\n--- restarted ---\n');
		await test.info().attach('peer output', { body: output, contentType: 'text/plain' });
		rmSync(data, { recursive: true, force: true });
	}
});

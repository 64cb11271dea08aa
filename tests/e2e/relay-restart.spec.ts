import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import {
	appendNotes,
	createCoop,
	inviteLink,
	joinWithLink,
	newDevice,
	notes,
	waitForPeers,
	openNotes
} from './fixtures';

const relayScript = fileURLToPath(new URL('../../signaling/bin/relay.js', import.meta.url));

/** A TCP port nobody listens on right now, for a relay of this test's own. */
async function freePort(): Promise<number> {
	const server = createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const address = server.address();
	server.close();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

async function startRelay(port: number): Promise<ChildProcess> {
	const relay = spawn(process.execPath, [relayScript], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
		stdio: 'ignore'
	});
	await expect
		.poll(() =>
			fetch(`http://127.0.0.1:${port}/health`).then(
				(res) => res.ok,
				() => false
			)
		)
		.toBe(true);
	return relay;
}

/** Counts the WebSocket connections a page opens to `url`, failed ones included. */
function countConnections(page: Page, url: string): () => number {
	let count = 0;
	page.on('websocket', (socket) => {
		if (socket.url().startsWith(url)) count++;
	});
	return () => count;
}

let relay: ChildProcess | undefined;

test.afterEach(() => {
	relay?.kill('SIGKILL');
});

test('after the relay dies and restarts, members reconnect by themselves and sync both ways', async ({
	browser
}) => {
	const port = await freePort();
	const url = `ws://127.0.0.1:${port}`;
	relay = await startRelay(port);
	const a = await newDevice(browser, { relay: url });
	const b = await newDevice(browser, { relay: url });
	const triesA = countConnections(a.page, url);
	const triesB = countConnections(b.page, url);

	await createCoop(a.page, 'La Relève');
	await appendNotes(a.page, 'Before.');
	await joinWithLink(b.page, await inviteLink(a.page), 'La Relève');
	await waitForPeers(a.page);
	await waitForPeers(b.page);
	await openNotes(b.page);
	await expect(notes(b.page)).toHaveValue('Before.');

	// Offline, the devices drop their direct connection; the relay dies meanwhile.
	await a.context.setOffline(true);
	await b.context.setOffline(true);
	await expect(a.page.getByTestId('sync-state')).toHaveText(/^Offline/);
	await expect(b.page.getByTestId('sync-state')).toHaveText(/^Offline/);
	relay.kill('SIGKILL');
	await once(relay, 'exit');
	await appendNotes(a.page, ' A while away.');
	await appendNotes(b.page, ' B while away.');

	// Back online with the relay still down: both keep trying it.
	const beforeA = triesA();
	const beforeB = triesB();
	await a.context.setOffline(false);
	await b.context.setOffline(false);
	await expect(a.page.getByTestId('sync-state')).toHaveText('Looking for other members…');
	await expect(b.page.getByTestId('sync-state')).toHaveText('Looking for other members…');
	await expect.poll(() => triesA() - beforeA, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
	await expect.poll(() => triesB() - beforeB, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
	await expect(notes(a.page)).toHaveValue('Before. A while away.');
	await expect(notes(b.page)).toHaveValue('Before. B while away.');

	relay = await startRelay(port);
	await waitForPeers(a.page);
	await waitForPeers(b.page);
	const merged = /^Before\.( A while away\.( B while away\.)| B while away\.( A while away\.))$/;
	await expect(notes(a.page)).toHaveValue(merged);
	await expect(notes(b.page)).toHaveValue(merged);
	const text = await notes(a.page).inputValue();
	expect(await notes(b.page).inputValue()).toBe(text);

	// The reconnected pair keeps syncing in both directions.
	await appendNotes(a.page, ' A after.');
	await expect(notes(b.page)).toHaveValue(`${text} A after.`);
	await appendNotes(b.page, ' B after.');
	await expect(notes(a.page)).toHaveValue(`${text} A after. B after.`);

	await a.context.close();
	await b.context.close();
});

import { expect, test, type WebSocketRoute } from '@playwright/test';
import {
	appendNotes,
	createCoop,
	inviteLink,
	joinWithLink,
	newDevice,
	notes,
	waitForPeers,
	openNotes,
	RELAY_URL
} from './fixtures';

test('a member invited by link joins the co-op and both see each other typing', async ({
	browser
}) => {
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Vélo Express');
	const link = await inviteLink(a.page);
	expect(link).toContain('/join#');

	await joinWithLink(b.page, link, 'Vélo Express');
	await waitForPeers(a.page);
	await waitForPeers(b.page);

	await appendNotes(a.page, 'Agenda: new bikes.');
	await openNotes(b.page);
	await expect(notes(b.page)).toHaveValue('Agenda: new bikes.');
	await appendNotes(b.page, ' Budget: 2 400 €.');
	await expect(notes(a.page)).toHaveValue('Agenda: new bikes. Budget: 2 400 €.');

	await a.context.close();
	await b.context.close();
});

test('edits made while both devices are offline merge when they come back', async ({ browser }) => {
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Les Coursiers');
	await appendNotes(a.page, 'Shared line.');
	await joinWithLink(b.page, await inviteLink(a.page), 'Les Coursiers');
	await openNotes(b.page);
	await expect(notes(b.page)).toHaveValue('Shared line.');

	await a.context.setOffline(true);
	await b.context.setOffline(true);
	await expect(a.page.getByTestId('sync-state')).toHaveText(/Offline/);
	await expect(b.page.getByTestId('sync-state')).toHaveText(/Offline/);

	await appendNotes(a.page, ' From A.');
	await appendNotes(b.page, ' From B.');
	// Offline, neither sees the other's words.
	await expect(notes(a.page)).toHaveValue('Shared line. From A.');
	await expect(notes(b.page)).toHaveValue('Shared line. From B.');

	await a.context.setOffline(false);
	await b.context.setOffline(false);
	await waitForPeers(a.page);
	const both = /^Shared line\.( From A\.( From B\.)| From B\.( From A\.))$/;
	await expect(notes(a.page)).toHaveValue(both);
	await expect(notes(b.page)).toHaveValue(both);
	expect(await notes(a.page).inputValue()).toBe(await notes(b.page).inputValue());

	await a.context.close();
	await b.context.close();
});

/**
 * The relay as two devices coming back online at the same moment find it: each has subscribed
 * to the room again before the other's announcement is delivered, so each hears the other and
 * both offer a connection at once (glare). While armed, each new relay connection's publishes
 * wait until every expected device has subscribed and the relay has taken the subscription in
 * (a ping on the same connection has been answered); subscriptions and the rest pass at once.
 */
class CrossingAnnouncements {
	#expected = 0;
	#waiting: Array<{ ready: boolean; release: () => void }> = [];

	/** The next `devices` relay connections hold their publishes until all have subscribed. */
	arm(devices: number): void {
		this.#expected = devices;
		this.#waiting = [];
	}

	readonly route = (ws: WebSocketRoute): void => {
		const server = ws.connectToServer();
		let held: string[] | null = this.#expected > 0 ? [] : null;
		const gate = {
			ready: false,
			release: () => {
				const messages = held ?? [];
				held = null;
				for (const message of messages) server.send(message);
			}
		};
		ws.onMessage((message) => {
			if (held === null || typeof message !== 'string') return server.send(message);
			const type = (JSON.parse(message) as { type?: string }).type;
			if (type === 'publish') return void held.push(message);
			server.send(message);
			if (type === 'subscribe' && !this.#waiting.includes(gate)) {
				this.#waiting.push(gate);
				server.send(JSON.stringify({ type: 'ping' }));
			}
		});
		server.onMessage((message) => {
			ws.send(message);
			if (held !== null && !gate.ready && message === '{"type":"pong"}') {
				gate.ready = true;
				const waiting = this.#waiting;
				if (waiting.length === this.#expected && waiting.every((g) => g.ready)) {
					this.#expected = 0;
					for (const g of waiting) g.release();
				}
			}
		});
	};
}

test('two devices back online at the same moment get each other’s offline edits, ten times over', async ({
	browser
}) => {
	test.setTimeout(600_000);
	const crossing = new CrossingAnnouncements();
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	const devices = [a, b];
	for (const { context } of devices) {
		await context.routeWebSocket((url) => url.href.startsWith(RELAY_URL), crossing.route);
	}
	await createCoop(a.page, 'Les Rouleurs');
	await appendNotes(a.page, 'Start.');
	await joinWithLink(b.page, await inviteLink(a.page), 'Les Rouleurs');
	await openNotes(b.page);
	await expect(notes(b.page)).toHaveValue('Start.');

	for (let round = 1; round <= 10; round++) {
		await Promise.all(devices.map(({ context }) => context.setOffline(true)));
		for (const { page } of devices) {
			await expect(page.getByTestId('sync-state')).toHaveText(/Offline/);
		}
		await appendNotes(a.page, ` A${round}.`);
		await appendNotes(b.page, ` B${round}.`);
		crossing.arm(devices.length);
		await Promise.all(devices.map(({ context }) => context.setOffline(false)));
		// A connection that is up but carries nothing would pass `waitForPeers`: wait for the
		// words. One that fails is given up (within 18 s) and made again, hence the time allowed.
		for (const [name, { page }] of [
			['A', a],
			['B', b]
		] as const) {
			for (const word of [`A${round}.`, `B${round}.`]) {
				await expect(notes(page), `round ${round}: ${word} on ${name}`).toHaveValue(
					new RegExp(` ${word}`),
					{ timeout: 45_000 }
				);
			}
		}
	}
	expect(await notes(a.page).inputValue()).toBe(await notes(b.page).inputValue());

	await a.context.close();
	await b.context.close();
});

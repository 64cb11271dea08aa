import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../scripts/chromium.js';
import { createCoop, notes, propose, RELAY_URL } from './fixtures';

/** What the notes hold after `round` rounds: one line a round. */
const lines = (round: number) =>
	Array.from({ length: round }, (_, index) => `Line ${index + 1}`).join('\n');

/**
 * A real browser on a real profile, killed the moment the app says something is saved: no
 * clean shutdown, no chance to flush anything afterwards. Playwright's own launchers do not give
 * the process, so the test starts Chromium itself, in its own process group, and drives it over
 * the DevTools protocol.
 */
interface RunningBrowser {
	readonly browser: Browser;
	readonly page: Page;
	readonly kill: () => Promise<void>;
}

async function launch(profile: string): Promise<RunningBrowser> {
	const executable = findChromium();
	if (!executable) throw new Error('Chromium not found');
	const child: ChildProcess = spawn(
		executable,
		[
			...chromiumArgs,
			'--headless',
			`--user-data-dir=${profile}`,
			'--remote-debugging-port=0',
			'about:blank'
		],
		{ detached: true, stdio: ['ignore', 'ignore', 'pipe'] }
	);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const endpoint = await new Promise<string>((resolve, reject) => {
		let text = '';
		child.stderr!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
			if (found) resolve(found[1]!);
		});
		child.once('exit', () => reject(new Error(`Chromium exited early:\n${text}`)));
	});
	const browser = await chromium.connectOverCDP(endpoint);
	const context = browser.contexts()[0]!;
	await context.addInitScript((relay) => {
		if (!localStorage.getItem('ours.sync-settings')) {
			localStorage.setItem(
				'ours.sync-settings',
				JSON.stringify({ signalingUrls: [relay], iceServers: [] })
			);
		}
	}, RELAY_URL);
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		browser,
		page,
		kill: async () => {
			// The whole group: the browser process and every renderer, GPU and storage process.
			process.kill(-child.pid!, 'SIGKILL');
			await exited;
		}
	};
}

/** What the member is told once something is saved. */
type Shown = 'vote-saved' | 'invite-link' | 'notes-saved' | 'settings-saved';

/**
 * Arms the kill: from now on, the moment the page shows `what`, the browser dies. A mutation
 * observer in the page sees the change before it is painted and tells the test at once.
 * `dead` resolves once the browser is dead.
 */
async function killWhenShown(
	running: RunningBrowser,
	what: Shown
): Promise<{ readonly dead: Promise<void> }> {
	let killed: () => void = () => {};
	const dead = new Promise<void>((resolve) => (killed = resolve));
	const signal = `ours-saved-shown-${what}`;
	running.page.on('console', (message) => {
		if (message.text() === signal) void running.kill().then(killed);
	});
	await running.page.evaluate(
		([what, signal]) => {
			// The notes say "Saved" before the edit too: only once they said "Saving…" does it count.
			let saving = false;
			const shown = () => {
				if (what === 'notes-saved') {
					const state = document.querySelector('[data-testid="save-state"]')?.textContent;
					saving ||= state?.trim() === 'Saving…';
					return saving && state?.trim() === 'Saved on this device';
				}
				if (what === 'settings-saved') {
					return document.body.innerText.includes('Saved. Applies when a co-op is next opened.');
				}
				if (what === 'vote-saved') {
					const status = document.querySelector('[data-testid="vote-form"] [role="status"]');
					return status?.textContent === 'Your vote is saved.';
				}
				const link = document.querySelector<HTMLInputElement>('[data-testid="invite-link"]');
				return /\/join#/.test(link?.value ?? '');
			};
			const observer = new MutationObserver(() => {
				if (!shown()) return;
				observer.disconnect();
				// The quickest way out of the page: the protocol reports console calls as they happen.
				// eslint-disable-next-line no-console
				console.log(signal);
			});
			observer.observe(document, {
				subtree: true,
				childList: true,
				characterData: true,
				attributes: true
			});
		},
		[what, signal] as const
	);
	return { dead };
}

test('what the app calls saved survives the whole browser being killed at that moment', async ({
	baseURL
}) => {
	test.setTimeout(120_000);
	const profile = await mkdtemp(join(tmpdir(), 'ours-durability-'));
	let running = await launch(profile);
	try {
		await createCoop(running.page, 'Kept', `${baseURL}/`);
		const coopUrl = running.page.url();
		const membersUrl = `${coopUrl}/members`;
		const notesUrl = `${coopUrl}/notes`;

		for (let round = 1; round <= 3; round++) {
			const title = `Proposal ${round}`;
			await propose(running.page, title);
			const proposalUrl = running.page.url();
			const form = running.page.getByTestId('vote-form');
			await form.getByLabel('Agree', { exact: true }).check();
			const voteKilled = await killWhenShown(running, 'vote-saved');
			// The browser may die before the click returns: the kill is what the test waits for.
			void form
				.getByRole('button', { name: 'Vote' })
				.click()
				.catch(() => {});
			await voteKilled.dead;

			running = await launch(profile);
			await running.page.goto(proposalUrl);
			await expect(running.page.getByTestId('proposal-title')).toHaveText(title);
			await expect(running.page.getByTestId('my-vote')).toHaveText('Your vote: Agree');

			await running.page.goto(membersUrl);
			const inviteKilled = await killWhenShown(running, 'invite-link');
			void running.page
				.getByRole('button', { name: 'Create invite link' })
				.click()
				.catch(() => {});
			await inviteKilled.dead;

			running = await launch(profile);
			await running.page.goto(membersUrl);
			await expect(running.page.getByTestId('open-invites').getByRole('listitem')).toHaveCount(
				round
			);

			await running.page.goto(notesUrl);
			const notesKilled = await killWhenShown(running, 'notes-saved');
			void notes(running.page)
				.fill(lines(round))
				.catch(() => {});
			await notesKilled.dead;

			running = await launch(profile);
			await running.page.goto(notesUrl);
			await expect(notes(running.page)).toHaveValue(lines(round));
		}

		// Settings live in localStorage, which Chromium writes to disk only later.
		const relays = `${RELAY_URL}\nwss://relay.example.org`;
		await running.page.goto(`${baseURL}/settings`);
		await running.page.getByText('Advanced', { exact: true }).click();
		await running.page.getByLabel('Signaling relays').fill(relays);
		const settingsKilled = await killWhenShown(running, 'settings-saved');
		void running.page
			.getByRole('button', { name: 'Save', exact: true })
			.click()
			.catch(() => {});
		await settingsKilled.dead;

		running = await launch(profile);
		await running.page.goto(`${baseURL}/settings`);
		await expect(running.page.getByLabel('Signaling relays')).toHaveValue(relays);
	} finally {
		await running.kill().catch(() => {});
		await rm(profile, { recursive: true, force: true });
	}
});

// Sync benchmark, on loopback: (a) eight members split in two groups that edit apart, then rejoin:
// how long until all hold the same text with every edit; (b) how long a member joining with empty
// storage takes to receive a 1 MB and a 5 MB document, and how many bytes go over WebRTC for it
// compared with the size of the missing update. Runs the built app (`npm run build` first) and
// the relay on free ports; stops itself after a time limit.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import * as Y from 'yjs';
import { chromiumArgs, findChromium } from '../../scripts/chromium.js';
import { sampleText } from '../../scripts/sample-text.js';
import { serveApp } from '../../scripts/serve.js';

/** @typedef {import('@playwright/test').Browser} Browser */
/** @typedef {import('@playwright/test').BrowserContext} BrowserContext */
/** @typedef {import('@playwright/test').Page} Page */
/** @typedef {{ context: BrowserContext, page: Page }} Device */

const TIME_LIMIT_MS = 170_000;
const MEMBERS = 8;
const SIZES_MB = [1, 5];
const NOTES_LABEL = 'Meeting notes, shared with every member';
const root = (/** @type {string} */ path) =>
	fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** @returns {Promise<number>} a TCP port nobody listens on right now */
async function freePort() {
	const server = createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const address = server.address();
	server.close();
	if (address === null || typeof address === 'string') throw new Error('no free port');
	return address.port;
}

/**
 * Polls `check` until it returns true.
 * @param {() => Promise<boolean>} check
 * @param {string} what said in the error when `timeoutMs` passes first
 * @param {number} [timeoutMs]
 */
async function until(check, what, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/**
 * A member's device pointed at the bench relay, recording its WebRTC connections so their
 * statistics can be read.
 * @param {Browser} browser
 * @param {string} appUrl
 * @param {string} relayUrl
 * @returns {Promise<Device>}
 */
async function newDevice(browser, appUrl, relayUrl) {
	const context = await browser.newContext({ baseURL: appUrl, locale: 'en-GB' });
	await context.addInitScript((relay) => {
		localStorage.setItem(
			'ours.sync-settings',
			JSON.stringify({ signalingUrls: [relay], iceServers: [] })
		);
		const Native = window.RTCPeerConnection;
		/** @type {RTCPeerConnection[]} */
		const connections = [];
		window.RTCPeerConnection = class extends Native {
			/** @param {RTCConfiguration} [config] */
			constructor(config) {
				super(config);
				connections.push(this);
			}
		};
		Object.assign(window, { benchConnections: connections });
	}, relayUrl);
	return { context, page: await context.newPage() };
}

/** @param {Page} page */
const notes = (page) => page.getByLabel(NOTES_LABEL);

/** @param {Page} page */
const notesValue = (page) => notes(page).inputValue();

/** @param {Page} page */
const notesLength = (page) =>
	notes(page).evaluate((field) => /** @type {HTMLTextAreaElement} */ (field).value.length);

/** @param {Page} page */
async function waitSaved(page) {
	await page
		.getByTestId('save-state')
		.filter({ hasText: 'Saved on this device' })
		.waitFor({ timeout: 60_000 });
}

/**
 * Fills in the member's name, on forms that ask for one (call once the form is shown).
 * @param {Page} page
 * @param {string} name
 */
async function fillMemberName(page, name) {
	const field = page.getByLabel('Your name');
	if ((await field.count()) > 0) await field.fill(name);
}

/**
 * Founds a co-op and returns an invite link for `uses` people (created from the co-op page where
 * invites are made on demand).
 * @param {Page} page
 * @param {string} name
 * @param {number} uses
 * @returns {Promise<string>}
 */
async function createCoop(page, name, uses) {
	await page.goto('/');
	await page.getByLabel('Co-op name').fill(name);
	await fillMemberName(page, 'Founder');
	await page.getByRole('button', { name: 'Create' }).click();
	await page.getByTestId('coop-name').filter({ hasText: name }).waitFor();
	const create = page.getByRole('button', { name: 'Create invite link' });
	const link = page.getByTestId('invite-link');
	await create.or(link).first().waitFor();
	if ((await create.count()) > 0) {
		await page.getByLabel('Number of people who can use it').fill(String(uses));
		await create.click();
	}
	await until(async () => (await link.inputValue()).includes('/join#'), 'an invite link');
	return link.inputValue();
}

/**
 * @param {Page} page
 * @param {string} link
 * @param {string} name
 */
async function join(page, link, name) {
	await page.goto(link);
	const button = page.getByRole('button', { name: 'Join' });
	await button.waitFor();
	await fillMemberName(page, name);
	await button.click();
	await page.getByTestId('coop-name').waitFor({ timeout: 60_000 });
}

/**
 * Types `text` at the end of the notes and waits until it is on disk.
 * @param {Page} page
 * @param {string} text
 */
async function append(page, text) {
	const field = notes(page);
	await field.click();
	await field.press('ControlOrMeta+End');
	await field.pressSequentially(text);
	await waitSaved(page);
}

/**
 * @param {Page} page
 * @param {number} count
 */
async function waitForPeers(page, count) {
	const label = count === 1 ? 'Connected to 1 device' : `Connected to ${count} devices`;
	await page.getByTestId('sync-state').filter({ hasText: label }).waitFor({ timeout: 60_000 });
}

/**
 * Bytes this page sent over WebRTC: data-channel payload, and on the wire (DTLS, SCTP and ICE
 * included).
 * @param {Page} page
 * @returns {Promise<{ payload: number, wire: number }>}
 */
function bytesSent(page) {
	return page.evaluate(async () => {
		const { benchConnections = [] } = /** @type {{ benchConnections?: RTCPeerConnection[] }} */ (
			/** @type {unknown} */ (window)
		);
		let payload = 0;
		let wire = 0;
		for (const connection of benchConnections) {
			const report = await connection.getStats();
			report.forEach((/** @type {{ type: string, bytesSent?: number }} */ stats) => {
				if (stats.type === 'data-channel') payload += stats.bytesSent ?? 0;
				if (stats.type === 'transport') wire += stats.bytesSent ?? 0;
			});
		}
		return { payload, wire };
	});
}

/**
 * (a) Eight members, two groups of four: the second goes offline, both edit, the second comes
 * back. Returns how long until all eight hold the same text with every edit.
 * @param {Browser} browser
 * @param {string} appUrl
 * @param {string} relayUrl
 */
async function splitAndRejoin(browser, appUrl, relayUrl) {
	/** @type {Device[]} */
	const devices = [];
	for (let i = 0; i < MEMBERS; i++) devices.push(await newDevice(browser, appUrl, relayUrl));
	const pages = devices.map((device) => device.page);
	const [first, ...others] = pages;
	if (!first) throw new Error('no members');
	const link = await createCoop(first, 'Bench Split', MEMBERS - 1);
	await append(first, 'Seed.');
	let start = performance.now();
	await Promise.all(others.map((page, i) => join(page, link, `Member ${i + 1}`)));
	await Promise.all(pages.map((page) => waitForPeers(page, MEMBERS - 1)));
	const meshMs = performance.now() - start;

	const online = devices.slice(0, MEMBERS / 2);
	const away = devices.slice(MEMBERS / 2);
	await Promise.all(away.map((device) => device.context.setOffline(true)));
	await Promise.all(online.map((device) => waitForPeers(device.page, online.length - 1)));

	// The online group types one after another (live together); the offline members type at once.
	const edits = devices.map((_, i) => ` [m${i}-${i < online.length ? 'online' : 'away'}]`);
	await Promise.all([
		(async () => {
			for (const [i, device] of online.entries()) await append(device.page, edits[i] ?? '');
		})(),
		...away.map((device, i) => append(device.page, edits[online.length + i] ?? ''))
	]);
	const onlineText = await notesValue(first);
	if (edits.slice(online.length).some((edit) => onlineText.includes(edit))) {
		throw new Error('an offline edit reached the online group');
	}

	start = performance.now();
	await Promise.all(away.map((device) => device.context.setOffline(false)));
	await until(async () => {
		const values = await Promise.all(pages.map(notesValue));
		return (
			values.every((value) => value === values[0]) &&
			edits.every((edit) => values[0]?.includes(edit))
		);
	}, 'all members to converge');
	const convergeMs = performance.now() - start;
	await Promise.all(devices.map((device) => device.context.close()));
	return { meshMs, convergeMs };
}

/**
 * (b) A member with a document of `sizeMb` MB; another joins with empty storage. Returns the time
 * from "Join" until the whole text is there, and the bytes each side sent.
 * @param {Browser} browser
 * @param {string} appUrl
 * @param {string} relayUrl
 * @param {number} sizeMb
 */
async function largeDocument(browser, appUrl, relayUrl, sizeMb) {
	const content = sampleText(sizeMb * 1024 * 1024);
	const doc = new Y.Doc();
	doc.getText('notes').insert(0, content);
	const updateBytes = Y.encodeStateAsUpdate(doc).length;

	const a = await newDevice(browser, appUrl, relayUrl);
	const b = await newDevice(browser, appUrl, relayUrl);
	const link = await createCoop(a.page, `Bench ${sizeMb} MB`, 1);
	await notes(a.page).fill(content);
	await waitSaved(a.page);

	const start = performance.now();
	await join(b.page, link, 'Member');
	await until(async () => (await notesLength(b.page)) === content.length, 'the document');
	const syncMs = performance.now() - start;
	if ((await notesValue(b.page)) !== content) throw new Error('the document arrived altered');
	// Let what is still in flight (the joining member echoes what it applied) arrive.
	let last = -1;
	await until(async () => {
		const [sentA, sentB] = await Promise.all([bytesSent(a.page), bytesSent(b.page)]);
		const total = sentA.wire + sentB.wire;
		const settled = total === last;
		last = total;
		if (!settled) await new Promise((resolve) => setTimeout(resolve, 500));
		return settled;
	}, 'the connection to go quiet');
	const [sentA, sentB] = await Promise.all([bytesSent(a.page), bytesSent(b.page)]);
	await a.context.close();
	await b.context.close();
	return { sizeMb, updateBytes, syncMs, sentA, sentB };
}

/** @param {number} bytes */
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(2);

/**
 * @param {(string | number)[][]} rows
 */
function printTable(rows) {
	const widths =
		rows[0]?.map((_, i) => Math.max(...rows.map((row) => String(row[i]).length))) ?? [];
	for (const row of rows) {
		console.log(row.map((cell, i) => String(cell).padStart(widths[i] ?? 0)).join('  '));
	}
}

async function main() {
	const executablePath = findChromium();
	if (!executablePath) throw new Error('No Chromium found: set CHROMIUM_PATH.');
	const [appPort, relayPort] = [await freePort(), await freePort()];
	const appUrl = `http://localhost:${appPort}`;
	const relayUrl = `ws://127.0.0.1:${relayPort}`;
	const server = await serveApp({ port: appPort, dir: root('build') });
	const relay = spawn(process.execPath, [root('signaling/bin/relay.js')], {
		env: { ...process.env, PORT: String(relayPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	const browser = await chromium.launch({ executablePath, args: chromiumArgs });
	const timer = setTimeout(() => {
		console.error(`Benchmark stopped: over ${TIME_LIMIT_MS / 1000} s.`);
		relay.kill('SIGKILL');
		process.exit(1);
	}, TIME_LIMIT_MS);
	try {
		await until(
			() =>
				fetch(`http://127.0.0.1:${relayPort}/health`).then(
					(res) => res.ok,
					() => false
				),
			'the relay'
		);

		const split = await splitAndRejoin(browser, appUrl, relayUrl);
		console.log(
			`\n(a) ${MEMBERS} members, two groups of ${MEMBERS / 2}, one offline while both edit`
		);
		printTable([
			['measure', 'ms'],
			['all connected to all after joining', split.meshMs.toFixed(0)],
			['all converged after the group returns', split.convergeMs.toFixed(0)]
		]);

		const rows = [];
		for (const size of SIZES_MB) rows.push(await largeDocument(browser, appUrl, relayUrl, size));
		console.log(
			'\n(b) A holds a document; B joins with empty storage. Bytes each sent over WebRTC:'
		);
		console.log(
			'    payload: data-channel bytes; wire: with DTLS, SCTP and ICE; ratio: to the update'
		);
		printTable([
			'doc,update MB,sync ms,A payload,ratio,A wire,ratio,B payload,ratio,B wire,ratio'.split(','),
			...rows.map((row) => [
				`${row.sizeMb} MB`,
				mb(row.updateBytes),
				row.syncMs.toFixed(0),
				mb(row.sentA.payload),
				(row.sentA.payload / row.updateBytes).toFixed(3),
				mb(row.sentA.wire),
				(row.sentA.wire / row.updateBytes).toFixed(3),
				mb(row.sentB.payload),
				(row.sentB.payload / row.updateBytes).toFixed(3),
				mb(row.sentB.wire),
				(row.sentB.wire / row.updateBytes).toFixed(3)
			])
		]);
	} finally {
		clearTimeout(timer);
		await browser.close();
		server.close();
		relay.kill('SIGTERM');
	}
}

await main();

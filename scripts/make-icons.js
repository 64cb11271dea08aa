// Renders the app icons (PNG) from static/icons/icon.svg with the system Chromium.
// Run after changing the SVG: node scripts/make-icons.js
import { readFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { chromiumArgs, findChromium } from './chromium.js';

const svg = await readFile('static/icons/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
const page = await browser.newPage();

/** @param {number} size @param {string} file @param {boolean} maskable */
async function render(size, file, maskable) {
	// A maskable icon fills the whole square and keeps its mark inside the central safe zone.
	const body = maskable
		? `<div style="width:${size}px;height:${size}px;background:#1f5f4a;display:grid;place-items:center">
			<div style="width:${size * 0.8}px;height:${size * 0.8}px">${svg.replace('rx="96"', 'rx="0"')}</div></div>`
		: `<div style="width:${size}px;height:${size}px">${svg}</div>`;
	await page.setViewportSize({ width: size, height: size });
	await page.setContent(
		`<style>html,body{margin:0;background:transparent}svg{width:100%;height:100%;display:block}</style>${body}`
	);
	await page.screenshot({ path: `static/icons/${file}`, omitBackground: true });
	console.log(`static/icons/${file}`);
}

await render(192, 'icon-192.png', false);
await render(512, 'icon-512.png', false);
await render(512, 'icon-maskable-512.png', true);
await browser.close();

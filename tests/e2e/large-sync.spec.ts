import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { sampleText } from '../../scripts/sample-text.js';
import {
	createCoop,
	inviteLink,
	joinWithLink,
	newDevice,
	notes,
	waitForPeers,
	openNotes
} from './fixtures';

const SIZE = 5 * 1024 * 1024;

/** The notes as a member's device holds them, measured in the page so the text stays there. */
function notesDigest(page: Page): Promise<{ length: number; sha256: string }> {
	return notes(page).evaluate(async (field) => {
		const { value } = field as HTMLTextAreaElement;
		const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
		const sha256 = [...new Uint8Array(digest)]
			.map((byte) => byte.toString(16).padStart(2, '0'))
			.join('');
		return { length: value.length, sha256 };
	});
}

test('a 5 MB document reaches a member who joins with empty storage, byte for byte', async ({
	browser
}) => {
	const big = sampleText(SIZE);
	const expected = {
		length: big.length,
		sha256: createHash('sha256').update(big, 'utf8').digest('hex')
	};
	const a = await newDevice(browser);
	const b = await newDevice(browser);

	await createCoop(a.page, 'Gros Dossier');
	await openNotes(a.page);
	await notes(a.page).fill(big);
	await expect(a.page.getByTestId('save-state')).toHaveText('Saved on this device', {
		timeout: 20_000
	});
	expect(await notesDigest(a.page)).toEqual(expected);

	await joinWithLink(b.page, await inviteLink(a.page), 'Gros Dossier');
	await waitForPeers(b.page);
	await openNotes(b.page);
	await expect
		.poll(() => notes(b.page).evaluate((field) => (field as HTMLTextAreaElement).value.length), {
			timeout: 30_000
		})
		.toBe(expected.length);
	expect(await notesDigest(b.page)).toEqual(expected);
	await expect(b.page.getByTestId('save-state')).toHaveText('Saved on this device');

	await a.context.close();
	await b.context.close();
});

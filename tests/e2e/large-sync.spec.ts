import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { createCoop, inviteLink, joinWithLink, newDevice, notes, waitForPeers } from './fixtures';

const SIZE = 5 * 1024 * 1024;

/**
 * `size` characters of varied text: words in a fixed pseudo-random order, one long paragraph (a
 * textarea takes line breaks typed in one by one, far too slowly for megabytes of them).
 */
function meetingText(size: number): string {
	const words = 'bike depot rota budget member vote tyre route café déjà'.split(' ');
	const parts: string[] = [];
	let length = 0;
	let seed = 0x2545f491;
	while (length < size) {
		seed ^= seed << 13;
		seed ^= seed >>> 17;
		seed ^= seed << 5;
		const word = `${words[(seed >>> 0) % words.length]}${(seed >>> 8) % 1000}`;
		parts.push(word);
		length += word.length + 1;
	}
	return parts.join(' ').slice(0, size);
}

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
	const big = meetingText(SIZE);
	const expected = {
		length: big.length,
		sha256: createHash('sha256').update(big, 'utf8').digest('hex')
	};
	const a = await newDevice(browser);
	const b = await newDevice(browser);

	await createCoop(a.page, 'Gros Dossier');
	await notes(a.page).fill(big);
	await expect(a.page.getByTestId('save-state')).toHaveText('Saved on this device', {
		timeout: 20_000
	});
	expect(await notesDigest(a.page)).toEqual(expected);

	await joinWithLink(b.page, await inviteLink(a.page), 'Gros Dossier');
	await waitForPeers(b.page);
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

import { expect, test, type Page } from '@playwright/test';
import { appendNotes, createCoop, newDevice, notes, openNotes } from './fixtures';

/** Types `words` one after another at the start (or end) of the notes, as a member would. */
async function typeWords(page: Page, words: string[], at: 'start' | 'end'): Promise<void> {
	const field = notes(page);
	for (const word of words) {
		await field.press(at === 'start' ? 'ControlOrMeta+Home' : 'ControlOrMeta+End');
		await field.pressSequentially(at === 'start' ? `${word} ` : ` ${word}`);
	}
}

async function expectSameNotes(first: Page, second: Page, words: string[]): Promise<string> {
	await expect
		.poll(async () => (await notes(first).inputValue()) === (await notes(second).inputValue()))
		.toBe(true);
	const text = await notes(first).inputValue();
	for (const word of words)
		expect(text.split(word).length - 1, `"${word}" once in "${text}"`).toBe(1);
	return text;
}

test('two tabs of one device keep each other in sync online and offline, and both keep every edit', async ({
	browser
}) => {
	const device = await newDevice(browser);
	const one = device.page;
	await createCoop(one, 'Deux Onglets');
	await openNotes(one);
	const two = await device.context.newPage();
	await two.goto(one.url());
	await expect(two.getByTestId('coop-name')).toHaveText('Deux Onglets');

	await appendNotes(one, 'Online from one.');
	await expect(notes(two)).toHaveValue('Online from one.');
	await appendNotes(two, ' Online from two.');
	await expect(notes(one)).toHaveValue('Online from one. Online from two.');

	await device.context.setOffline(true);
	await expect(one.getByTestId('sync-state')).toHaveText(/^Offline/);
	await expect(two.getByTestId('sync-state')).toHaveText(/^Offline/);
	await appendNotes(one, ' Offline from one.');
	await expect(notes(two)).toHaveValue('Online from one. Online from two. Offline from one.');
	await appendNotes(two, ' Offline from two.');
	await expect(notes(one)).toHaveValue(
		'Online from one. Online from two. Offline from one. Offline from two.'
	);

	// Both tabs type at once, one at the start and one at the end of the text.
	const fromOne = ['un1', 'un2', 'un3', 'un4', 'un5'];
	const fromTwo = ['deux1', 'deux2', 'deux3', 'deux4', 'deux5'];
	await Promise.all([typeWords(one, fromOne, 'start'), typeWords(two, fromTwo, 'end')]);
	const words = [
		'Online from one.',
		'Online from two.',
		'Offline from one.',
		'Offline from two.',
		...fromOne,
		...fromTwo
	];
	const merged = await expectSameNotes(one, two, words);
	await expect(one.getByTestId('save-state')).toHaveText('Saved on this device');
	await expect(two.getByTestId('save-state')).toHaveText('Saved on this device');
	await expect(one.getByTestId('sync-state')).toHaveText(/^Offline/);

	await device.context.setOffline(false);
	await Promise.all([one.reload(), two.reload()]);
	await expect(notes(one)).toHaveValue(merged);
	await expect(notes(two)).toHaveValue(merged);
	await expectSameNotes(one, two, words);

	await device.context.close();
});

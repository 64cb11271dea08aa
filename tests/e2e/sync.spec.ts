import { expect, test } from '@playwright/test';
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

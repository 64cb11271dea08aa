import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import {
	createCoop,
	memberNames,
	newDevice,
	openDecisions,
	openProposal,
	propose,
	threeMembers,
	vote,
	waitForPeers
} from './fixtures';

const SYNC = { timeout: 30_000 };

/** Votes the way the recount panel lists them, one line each. */
async function recountedVoters(page: Page): Promise<string[]> {
	await page.getByRole('button', { name: 'Recount on this device' }).click();
	await expect(page.getByTestId('recount-status')).toHaveText(
		'Recounted from 2 signed records: the same result.'
	);
	const lines = page.getByTestId('recount-vote');
	await expect(lines.getByTestId('recount-check')).toHaveText([
		'signature checked',
		'signature checked'
	]);
	return (await lines.allInnerTexts()).map((line) => line.replace(/\s+/g, ' ').trim());
}

test('three members decide: one proposes, two vote (one offline, synced later), and all three see the same result and recount', async ({
	browser
}) => {
	const [a, b, c] = await threeMembers(browser, 'Coop Décide');
	const title = 'Buy a cargo bike';

	await propose(a.page, title);
	await expect(a.page.getByTestId('proposal-state')).toContainText('Closes');
	await expect(a.page.getByTestId('tally-outcome')).toHaveText('Open');
	await expect(a.page.getByText('3 members may vote')).toBeVisible();

	// C has the proposal, then goes offline: B's vote cannot reach C, nor C's reach the others.
	await openProposal(c.page, title);
	await c.context.setOffline(true);
	await expect(c.page.getByTestId('sync-state')).toHaveText(/Offline/);

	await openProposal(b.page, title);
	await vote(b.page, 'Agree');
	await expect(b.page.getByTestId('my-vote')).toHaveText('Your vote: Agree');
	await expect(a.page.getByTestId('tally-ballots')).toHaveText('1 of 3 members took part', SYNC);

	await vote(c.page, 'Agree');
	await expect(c.page.getByTestId('my-vote')).toHaveText('Your vote: Agree');
	await expect(c.page.getByTestId('tally-ballots')).toHaveText('1 of 3 members took part');
	await expect(c.page.getByTestId('tally-count').first()).toHaveText(/^Agree\s*1\s*$/);

	await c.context.setOffline(false);
	await waitForPeers(c.page, 2);
	await expect(c.page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part', SYNC);
	await expect(a.page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part', SYNC);
	await a.page.getByRole('button', { name: 'Close and count now' }).click();
	await a.page.getByRole('button', { name: 'Yes, close and count' }).click();
	await expect(a.page.getByRole('button', { name: 'Close and count now' })).toHaveCount(0);
	// The other devices hold the same votes: they confirm Ada's count by themselves.
	const decided = /^Closed .* by Ada · Confirmed by (Bea|Cyd)$/;
	await expect(a.page.getByTestId('proposal-state')).toHaveText(decided, SYNC);

	for (const { page } of [a, b, c]) {
		await expect(page.getByTestId('tally-outcome')).toHaveText('Passed', SYNC);
		await expect(page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part');
		await expect(page.getByTestId('proposal-state')).toHaveText(decided, SYNC);
		await expect(page.getByTestId('vote-form')).toHaveCount(0);
	}
	const voters = await recountedVoters(a.page);
	expect(voters).toHaveLength(2);
	expect(voters[0]).toMatch(/^(Bea|Cyd): Agree · .+ · signature checked$/);
	// The devices and records behind the count are there for whoever asks, behind "Details".
	const details = a.page.getByTestId('recount-details');
	await expect(details.getByRole('listitem').first()).toBeHidden();
	await details.getByText('Details').click();
	await expect(details.getByRole('listitem')).toHaveCount(2);
	await expect(details.getByRole('listitem').first()).toContainText(
		/device [A-Za-z0-9_-]{43} · record [A-Za-z0-9_-]{43} · signature checked/
	);
	expect(voters.map((line) => line.split(':')[0]).sort()).toEqual(['Bea', 'Cyd']);
	expect(await recountedVoters(b.page)).toEqual(voters);
	expect(await recountedVoters(c.page)).toEqual(voters);

	for (const device of [a, b, c]) await device.context.close();
});

test('a passed remove-member decision takes effect on every device', async ({ browser }) => {
	const [a, b, c] = await threeMembers(browser, 'Coop Retrait');
	const title = 'Remove Cyd';

	await propose(a.page, title, async (page) => {
		await page.getByLabel('If it passes').selectOption({ label: 'Remove a member' });
		await page.getByLabel('Member', { exact: true }).selectOption({ label: 'Cyd' });
		await expect(page.getByLabel('Kind')).toBeDisabled();
	});
	await expect(a.page.getByText('Remove a member: Cyd')).toBeVisible();
	await vote(a.page, 'Agree');

	await openProposal(b.page, title);
	await vote(b.page, 'Agree');

	await expect(a.page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part', SYNC);
	await a.page.getByRole('button', { name: 'Close and count now' }).click();
	await a.page.getByRole('button', { name: 'Yes, close and count' }).click();
	// Another member's device confirms the count; the decision takes effect then.
	await expect(a.page.getByTestId('tally-outcome')).toHaveText('Passed', SYNC);
	await expect(a.page.getByTestId('proposal-applied')).toHaveText('Carried out.', SYNC);

	for (const { page } of [a, b, c]) {
		await memberNames(page);
		const cyd = page.getByTestId('member').filter({ hasText: 'Cyd' });
		await expect(cyd.getByTestId('member-status')).toHaveText('Removed by decision', SYNC);
		await expect(page.getByText('2 members', { exact: true })).toBeVisible();
	}
	// C's own device knows C is no longer an active member, and can no longer propose.
	await expect(c.page.getByTestId('membership')).toHaveText(
		'The co-op removed you by a decision. You can still read it on this device.'
	);
	await openDecisions(c.page);
	await expect(c.page.getByRole('link', { name: 'New proposal' })).toHaveCount(0);
	const decision = c.page.getByTestId('decision').filter({ hasText: title });
	await expect(decision.getByTestId('decision-outcome')).toHaveText('Passed');

	for (const device of [a, b, c]) await device.context.close();
});

test('the decision log exports as CSV and JSON', async ({ browser }) => {
	const { context, page } = await newDevice(browser);
	await createCoop(page, 'Coop Archive', '/', 'Ada');
	const title = 'Open on Sundays, "summer only"';
	await propose(page, title);
	await expect(page.getByText('1 member may vote')).toBeVisible();
	await vote(page, 'Agree');
	await page.getByRole('button', { name: 'Close and count now' }).click();
	await page.getByRole('button', { name: 'Yes, close and count' }).click();
	await expect(page.getByTestId('tally-outcome')).toHaveText('Passed');
	await expect(page.getByTestId('tally-ballots')).toHaveText('1 of 1 member took part');
	await page.getByRole('button', { name: 'Recount on this device' }).click();
	await expect(page.getByTestId('recount-status')).toHaveText(
		'Recounted from 1 signed record: the same result.'
	);

	await openDecisions(page);
	await expect(page.getByTestId('decision-outcome')).toHaveText('Passed');

	async function exported(format: 'CSV' | 'JSON'): Promise<string> {
		await page.getByRole('button', { name: `Export ${format}` }).click();
		const ready = page.getByTestId('decisions-export');
		const name = new RegExp(`^decisions-\\d{4}-\\d{2}-\\d{2}\\.${format.toLowerCase()}$`);
		await expect(ready.getByRole('status')).toContainText(format.toLowerCase());
		const downloading = page.waitForEvent('download');
		await ready.getByRole('link', { name: 'Download' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toMatch(name);
		return readFile(await download.path(), 'utf8');
	}

	const csv = await exported('CSV');
	const [header, row, end] = csv.split('\r\n');
	expect(header).toBe(
		'id,title,kind,tag,action,author,opened,closed,outcome,winners,counts,ballots,eligible,quorum,threshold'
	);
	expect(row).toContain(',"Open on Sundays, ""summer only""",consent,,none,Ada,');
	expect(row).toContain(',passed,,agree: 1; abstain: 0; disagree: 0; block: 0,1,1,0,consent');
	expect(end).toBe('');

	const json = JSON.parse(await exported('JSON')) as Record<string, unknown>[];
	expect(json).toHaveLength(1);
	expect(json[0]).toMatchObject({
		title,
		kind: 'consent',
		action: 'none',
		author: 'Ada',
		outcome: 'passed',
		winners: [],
		counts: { agree: 1, abstain: 0, disagree: 0, block: 0 },
		ballots: 1,
		eligible: 1,
		threshold: 'consent'
	});
	const { opened, closed } = json[0] as { opened: string; closed: string };
	expect(Date.parse(closed)).toBeGreaterThanOrEqual(Date.parse(opened));

	await context.close();
});

test('a delegated vote counts until the member votes directly', async ({ browser }) => {
	const [a, b, c] = await threeMembers(browser, 'Coop Confiance');
	const title = 'Paint the workshop';

	await openDecisions(b.page);
	await b.page.getByRole('link', { name: 'Delegate your vote' }).click();
	await b.page.getByLabel('Delegate to').selectOption({ label: 'Ada' });
	await b.page.getByRole('button', { name: 'Delegate' }).click();
	await expect(b.page.getByTestId('my-delegations')).toHaveText(/Bea → Ada \(all proposals\)/);
	await expect(b.page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

	await propose(a.page, title);
	await vote(a.page, 'Agree');
	await expect(a.page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part', SYNC);

	await openProposal(b.page, title);
	await expect(b.page.getByTestId('delegated-note')).toHaveText(
		'Your vote follows Ada (delegation). Vote yourself to override it.',
		SYNC
	);
	await expect(b.page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part');
	await expect(b.page.getByTestId('tally-count')).toHaveText([
		/^Agree\s*2\s*$/,
		/^Abstain\s*0\s*$/,
		/^Disagree\s*0\s*$/,
		/^Block\s*0\s*$/
	]);
	// The tally rests on A's vote and B's delegation, both signed.
	const recount = b.page.getByRole('button', { name: 'Recount on this device' });
	await recount.click();
	await expect(b.page.getByTestId('recount-status')).toHaveText(
		'Recounted from 2 signed records: the same result.'
	);
	await expect(b.page.getByTestId('recount-counted')).toContainText(
		'Bea: Agree (delegation, through Ada)'
	);

	await vote(b.page, 'Disagree');
	await expect(b.page.getByTestId('delegated-note')).toHaveCount(0);
	await expect(b.page.getByTestId('my-vote')).toHaveText('Your vote: Disagree');
	// A recount of the earlier tally says nothing about this one.
	await expect(b.page.getByTestId('recount-status')).toHaveText('');
	await recount.click();
	await expect(b.page.getByTestId('recount-status')).toHaveText(
		'Recounted from 3 signed records: the same result.'
	);
	await expect(b.page.getByTestId('recount-counted')).not.toContainText('delegation');
	for (const { page } of [a, b]) {
		await expect(page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part');
		await expect(page.getByTestId('tally-count')).toHaveText(
			[/^Agree\s*1\s*$/, /^Abstain\s*0\s*$/, /^Disagree\s*1\s*$/, /^Block\s*0\s*$/],
			SYNC
		);
	}
	await openProposal(c.page, title);
	await expect(c.page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part', SYNC);

	for (const device of [a, b, c]) await device.context.close();
});

test('the proposal form says what is missing and keeps what was typed', async ({ browser }) => {
	const { context, page } = await newDevice(browser);
	await createCoop(page, 'Coop Formulaire', '/', 'Ada');
	await openDecisions(page);
	await page.getByRole('link', { name: 'New proposal' }).click();

	await page.getByLabel('Details').fill('Two new ovens for the bakery.');
	await page.getByRole('button', { name: 'Start the proposal' }).click();
	await expect(page.getByRole('alert')).toHaveText('Give the proposal a title.');
	await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Details')).toHaveValue('Two new ovens for the bakery.');

	await page.getByLabel('Title').fill('Which oven?');
	await page.getByLabel('Kind').selectOption({ label: 'Single choice poll' });
	await expect(page.getByLabel('Passes with')).toHaveValue('plurality');
	await page.getByRole('button', { name: 'Start the proposal' }).click();
	await expect(page.getByRole('alert')).toHaveText('Give at least two options.');
	await expect(page.getByLabel('Options, one per line')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Title')).toHaveValue('Which oven?');
	await expect(page.getByLabel('Details')).toHaveValue('Two new ovens for the bakery.');
	await expect(page.getByLabel('Kind')).toHaveValue('single');

	await page.getByLabel('Options, one per line').fill('Wood\nElectric');
	await page.getByRole('button', { name: 'Start the proposal' }).click();
	await expect(page.getByTestId('proposal-title')).toHaveText('Which oven?');
	await vote(page, 'Electric');
	await expect(page.getByTestId('my-vote')).toHaveText('Your vote: Electric');

	// A setting: what was typed for another action does not carry over, and a rule is chosen.
	await openDecisions(page);
	await page.getByRole('link', { name: 'New proposal' }).click();
	await page.getByLabel('If it passes').selectOption({ label: 'Admit a member' });
	await page.getByLabel('The applicant’s name').fill('Zoé');
	await page.getByLabel('If it passes').selectOption({ label: 'Change a setting' });
	await page.getByLabel('Setting', { exact: true }).selectOption({ label: 'Co-op name' });
	await expect(page.getByLabel('New value')).toHaveValue('');
	await page
		.getByLabel('Setting', { exact: true })
		.selectOption({ label: 'How jobs are assigned' });
	await expect(page.getByLabel('New value')).toHaveValue('');
	await expect(page.getByLabel('New value').locator('option:checked')).toHaveText(
		'Choose the new value'
	);
	await page.getByLabel('Title').fill('Take jobs in turn');
	await page.getByRole('button', { name: 'Start the proposal' }).click();
	await expect(page.getByRole('alert')).toHaveText('Give a valid new value.');
	await expect(page.getByLabel('New value')).toHaveAccessibleDescription('Give a valid new value.');
	await page.getByLabel('New value').selectOption({ label: 'In turn' });
	await page.getByRole('button', { name: 'Start the proposal' }).click();
	await expect(page.getByTestId('proposal-title')).toHaveText('Take jobs in turn');
	await expect(page.getByText('How jobs are assigned: In turn')).toBeVisible();
	await vote(page, 'Agree');
	await page.getByRole('button', { name: 'Close and count now' }).click();
	await page.getByRole('button', { name: 'Yes, close and count' }).click();
	await expect(page.getByTestId('proposal-applied')).toHaveText('Carried out.');
	await page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Charter' })
		.click();
	await expect(page.getByTestId('governed-settings')).toContainText(
		/How jobs are assigned\s*In turn/
	);

	await context.close();
});

test('someone without an invite applies, the members admit them by a vote, and they can act', async ({
	browser
}) => {
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	await createCoop(a.page, 'Coop Ouverte', '/', 'Ada');

	// A shares the co-op's link to apply; it holds no invite.
	await a.page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Members' })
		.click();
	const applyLink = await a.page.getByTestId('apply-link').inputValue();
	expect(applyLink).toContain('/join#');
	expect(applyLink).not.toContain('invite=');

	await b.page.goto(applyLink);
	await b.page.getByRole('button', { name: 'Ask to be admitted' }).click();
	await expect(b.page.getByTestId('coop-name')).toHaveText('Coop Ouverte', SYNC);
	const code = await b.page.getByTestId('device-code').inputValue();
	expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

	await propose(a.page, 'Admit Bea', async (page) => {
		await page.getByLabel('If it passes').selectOption({ label: 'Admit a member' });
		await page.getByLabel('The applicant’s device code').fill(code);
		await page.getByLabel('The applicant’s name').fill('Bea');
	});
	await vote(a.page, 'Agree');
	await a.page.getByRole('button', { name: 'Close and count now' }).click();
	await a.page.getByRole('button', { name: 'Yes, close and count' }).click();
	await expect(a.page.getByTestId('tally-outcome')).toHaveText('Passed');
	await expect(a.page.getByTestId('proposal-applied')).toBeVisible();

	// B's device is now a member: its banner is gone, it lists two members and can propose.
	await expect(b.page.getByTestId('membership')).toHaveCount(0, SYNC);
	await expect(await memberNames(b.page)).toHaveText(['Ada', 'Bea'], SYNC);
	await propose(b.page, 'Paint the workshop');
	await openProposal(a.page, 'Paint the workshop');

	await a.context.close();
	await b.context.close();
});

test('a close that leaves out a vote other devices hold is not confirmed by them', async ({
	browser
}) => {
	const [a, b, c] = await threeMembers(browser, 'Coop Complète');
	const title = 'Repaint the shop';

	await propose(a.page, title);
	await vote(a.page, 'Agree');
	await openProposal(b.page, title);
	await openProposal(c.page, title);
	await expect(b.page.getByTestId('tally-ballots')).toHaveText('1 of 3 members took part', SYNC);
	await expect(c.page.getByTestId('tally-ballots')).toHaveText('1 of 3 members took part', SYNC);

	// Ada's device is offline while Bea blocks: Ada closes early without Bea's block.
	await a.context.setOffline(true);
	await expect(a.page.getByTestId('sync-state')).toHaveText(/Offline/);
	await vote(b.page, 'Block');
	await expect(c.page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part', SYNC);
	await a.page.getByRole('button', { name: 'Close and count now' }).click();
	await a.page.getByRole('button', { name: 'Yes, close and count' }).click();
	await expect(a.page.getByTestId('close-waiting')).toHaveText(
		'Counted by Ada, waiting for another member to confirm.'
	);

	await a.context.setOffline(false);
	await waitForPeers(a.page, 2);
	for (const { page } of [b, c]) {
		await expect(page.getByTestId('close-left-out')).toHaveText(
			'A close by Ada left out 1 vote this device holds.',
			SYNC
		);
	}
	// Ada's device now holds Bea's block too; nobody confirmed the incomplete count.
	await expect(a.page.getByTestId('tally-ballots')).toHaveText('2 of 3 members took part', SYNC);
	for (const { page } of [a, b, c]) {
		await expect(page.getByTestId('proposal-state')).toHaveText(/^Closes /);
		await expect(page.getByTestId('tally-outcome')).toHaveText('Open');
		await expect(page.getByTestId('proposal-applied')).toHaveCount(0);
	}

	for (const device of [a, b, c]) await device.context.close();
});

test('a ranked ballot is ordered by dragging or with the buttons, and scores are a row of segments', async ({
	browser
}) => {
	const a = await newDevice(browser);
	await createCoop(a.page, 'Coop Classement', '/', 'Ada');
	await propose(a.page, 'Where do we meet?', async (page) => {
		await page.getByLabel('Kind').selectOption('ranked');
		await page.getByLabel('Options, one per line').fill('Library\nCafé\nPark');
	});
	const form = a.page.getByTestId('vote-form');
	const ranked = form.getByTestId('ranked-option');
	await expect(form.getByTestId('ranking-empty')).toBeVisible();
	// Nothing ranked is not a vote.
	await form.getByRole('button', { name: 'Vote' }).click();
	await expect(form.getByRole('alert')).toBeVisible();

	for (const option of ['Library', 'Café', 'Park']) {
		await form.getByRole('button', { name: `Add ${option} to your ranking` }).click();
	}
	await expect(ranked).toHaveText(['Library', 'Café', 'Park']);
	const { violations } = await new AxeBuilder({ page: a.page }).include('form').analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
	// With the keyboard: Park up twice, to the top.
	const up = form.getByRole('button', { name: 'Move Park up' });
	await up.focus();
	await a.page.keyboard.press('Enter');
	await a.page.keyboard.press('Enter');
	await expect(ranked).toHaveText(['Park', 'Library', 'Café']);
	await expect(up).toBeDisabled();
	// With the mouse: Café dragged by its handle above Library.
	const handle = form.getByRole('button', { name: 'Drag to move Café' });
	const target = await form.getByRole('button', { name: 'Drag to move Library' }).boundingBox();
	await handle.hover();
	await a.page.mouse.down();
	await a.page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height / 2, {
		steps: 12
	});
	// The library looks where the dragged row is a few times a second.
	await a.page.waitForTimeout(500);
	await a.page.mouse.up();
	await expect(ranked).toHaveText(['Park', 'Café', 'Library']);
	// Library left out.
	await form.getByRole('button', { name: 'Leave Library out of your ranking' }).click();
	await expect(ranked).toHaveText(['Park', 'Café']);
	await expect(form.getByTestId('unranked')).toContainText('Library');
	await form.getByRole('button', { name: 'Vote' }).click();
	await expect(form.getByText('Your vote is saved.')).toBeVisible();
	await expect(a.page.getByTestId('tally-ballots')).toContainText('1');
	// The vote is kept in that order: the form starts from it after a reload.
	await a.page.reload();
	await expect(a.page.getByTestId('ranked-option')).toHaveText(['Park', 'Café']);

	await propose(a.page, 'How good is each idea?', async (page) => {
		await page.getByLabel('Kind').selectOption('score');
		await page.getByLabel('Options, one per line').fill('Bikes\nVans');
	});
	const scores = a.page.getByTestId('vote-form');
	// A segment is picked by tapping it, or with the arrow keys as in any radio group.
	await scores.getByRole('group', { name: 'Bikes' }).getByText('5', { exact: true }).click();
	await scores.getByRole('group', { name: 'Vans' }).getByText('1', { exact: true }).click();
	await a.page.keyboard.press('ArrowRight');
	await expect(scores.getByRole('group', { name: 'Vans' }).getByLabel('2')).toBeChecked();
	const axe = await new AxeBuilder({ page: a.page }).include('form').analyze();
	expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual(
		[]
	);
	await scores.getByRole('button', { name: 'Vote' }).click();
	await expect(scores.getByText('Your vote is saved.')).toBeVisible();
	await a.page.reload();
	await expect(
		a.page.getByTestId('vote-form').getByRole('group', { name: 'Bikes' }).getByLabel('5')
	).toBeChecked();
	await a.context.close();
});

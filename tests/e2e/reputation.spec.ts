import { expect, test } from '@playwright/test';
import {
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	openArea,
	propose,
	vote
} from './fixtures';

/**
 * Two members on two devices: the co-op decides that one endorsement qualifies a member; one
 * lists a skill, the other endorses it, and both devices show the member qualified. Then a
 * feedback round: the other member's answer stays hidden on the asker's device until the
 * round's closing time passes by that device's own clock.
 */
test('an endorsement qualifies a member on both devices; a round hides answers until it closes', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const a = await newDevice(browser);
	const b = await newDevice(browser);
	// Ada's device clock runs normally; the test moves it past the round's close later.
	await a.page.clock.install();
	await createCoop(a.page, 'Boulangerie', '/', 'Ada');

	await propose(a.page, 'One endorsement qualifies', async (page) => {
		await page.getByLabel('If it passes').selectOption({ label: 'Change a setting' });
		await page.getByLabel('Setting', { exact: true }).selectOption({
			label: 'Endorsements a member needs on a skill to be qualified for work that needs it'
		});
		await page.getByLabel('New value').fill('1');
	});
	await vote(a.page, 'Agree');
	await a.page.getByRole('button', { name: 'Close and count now' }).click();
	await a.page.getByRole('button', { name: 'Yes, close and count' }).click();
	await expect(a.page.getByTestId('proposal-applied')).toHaveText('Carried out.');

	const link = await inviteLink(a.page);
	await joinWithLink(b.page, link, 'Boulangerie', 'Bea');
	for (const { page } of [a, b]) {
		await expect(await memberNames(page)).toHaveText(['Ada', 'Bea'], { timeout: 30_000 });
	}

	// Ada lists a skill: not qualified without an endorsement.
	await openArea(a.page, 'Skills');
	await expect(a.page.getByText(/asks 1 endorsements/)).toBeVisible();
	await a.page.getByLabel('Skill', { exact: true }).fill('Pastry');
	await a.page.getByLabel('Level', { exact: true }).selectOption({ label: 'Can do' });
	await a.page.getByRole('button', { name: 'Add the skill' }).click();
	const mine = a.page.getByTestId('my-skill');
	await expect(mine).toContainText('Pastry');
	await expect(mine.getByTestId('not-qualified')).toHaveText(
		'Not qualified yet: 1 more endorsements needed'
	);

	// Bea endorses it, with a sentence; endorsing again is not offered.
	await openArea(b.page, 'Skills');
	const theirs = b.page.getByTestId('other-skill');
	await expect(theirs).toContainText('Pastry', { timeout: 30_000 });
	await expect(theirs.getByTestId('not-qualified')).toBeVisible();
	await theirs.getByText('Endorse Pastry').click();
	await theirs.getByLabel('A sentence (optional)').fill('Her croissants are perfect.');
	await theirs.getByRole('button', { name: 'Endorse', exact: true }).click();
	await expect(theirs.getByTestId('qualified')).toHaveText('Qualified');
	await expect(theirs.getByTestId('endorsement')).toHaveText(
		/Endorsed by Bea\s*“?Her croissants are perfect\.”?/
	);
	await expect(
		theirs.getByRole('button', { name: 'Withdraw my endorsement of Pastry' })
	).toBeVisible();

	// Ada's device shows it too.
	await expect(mine.getByTestId('qualified')).toHaveText('Qualified', { timeout: 30_000 });
	await expect(mine.getByTestId('endorsement')).toContainText('Endorsed by Bea');

	// A feedback round, closing in an hour.
	await openArea(a.page, 'Feedback');
	await a.page.getByLabel('Your question').fill('How did this quarter go for you?');
	await a.page.getByLabel('Closes in').selectOption({ label: '1 hour' });
	await a.page.getByRole('button', { name: 'Open the round' }).click();
	await expect(a.page.getByTestId('round')).toContainText('How did this quarter go for you?');

	await openArea(b.page, 'Feedback');
	const round = b.page.getByTestId('round');
	await expect(round).toContainText('How did this quarter go for you?', { timeout: 30_000 });
	await round.getByLabel('Your answer').fill('Busy, but good.');
	await round.getByRole('button', { name: 'Send my answer' }).click();
	await expect(round.getByRole('status')).toHaveText('Your answer is saved.');
	// Bea sees her own answer; the round is still open.
	await expect(round.getByTestId('round-answer')).toContainText('Busy, but good.');

	// On Ada's device the answer has arrived but is hidden until the close.
	const asked = a.page.getByTestId('round');
	await expect(asked.getByTestId('round-hidden')).toHaveText(
		'Answers so far: 1. They show when the round closes.',
		{ timeout: 30_000 }
	);
	await expect(asked.getByTestId('round-answer')).toHaveCount(0);
	await expect(asked).not.toContainText('Busy, but good.');

	// An hour later by Ada's clock, it shows, with its author.
	await a.page.clock.fastForward('01:01:00');
	await expect(asked.getByTestId('round-hidden')).toHaveCount(0);
	await expect(asked.getByTestId('round-answer')).toHaveText(/Bea\s*Busy, but good\./);

	await a.context.close();
	await b.context.close();
});

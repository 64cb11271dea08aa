import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import {
	createCoop,
	inviteLink,
	memberNames,
	newDevice,
	openArea,
	propose,
	threeMembers,
	type Device
} from './fixtures';

const SYNC = { timeout: 30_000 };
const run = promisify(execFile);

/** `member` asks the two `signers` to co-sign a record of their work; both sign; returns the file. */
async function issueRecord(member: Device, signers: readonly Device[]): Promise<Buffer> {
	await openArea(member.page, 'Work records');
	await member.page.getByRole('checkbox', { name: 'Ada' }).check();
	await member.page.getByRole('checkbox', { name: 'Bea' }).check();
	await member.page.getByRole('button', { name: 'Ask to co-sign' }).click();
	for (const { page } of signers) {
		await openArea(page, 'Work records');
		const request = page.getByTestId('cred-to-sign');
		await expect(request).toContainText('This device shows the same work: you can sign.', SYNC);
		await request.getByRole('button', { name: 'Sign' }).click();
		await expect(page.getByText('Nobody has asked you to co-sign a record.')).toBeVisible();
	}
	await expect(member.page.getByTestId('cred-status')).toHaveText('2 of 2 signed', SYNC);
	await member.page.getByRole('button', { name: 'Make the file' }).click();
	const [download] = await Promise.all([
		member.page.waitForEvent('download'),
		member.page.getByTestId('cred-file').getByRole('link').click()
	]);
	return readFile(await download.path());
}

/** Serious or critical axe violations on the page as it is. */
async function violations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page }).analyze();
	return results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map(
			(violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`
		);
}

/** On a 320-pixel-wide phone, the page does not scroll sideways. */
async function fitsNarrowScreen(page: Page): Promise<void> {
	const size = page.viewportSize();
	await page.setViewportSize({ width: 320, height: 640 });
	await expect
		.poll(() => page.evaluate(() => document.documentElement.scrollWidth))
		.toBeLessThanOrEqual(320);
	if (size) await page.setViewportSize(size);
}

async function attach(page: Page, name: string, file: Buffer | string): Promise<void> {
	const input = page.getByLabel('Work record file');
	if (typeof file === 'string') await input.setInputFiles(file);
	else await input.setInputFiles({ name, mimeType: 'application/json', buffer: file });
}

test('a member presents a record from co-op A while joining co-op B; B verifies it; tampered copies are refused', async ({
	browser
}, testInfo) => {
	test.setTimeout(300_000);
	const [ada, bea, cyd] = await threeMembers(browser, 'Coop Atelier');
	const file = await issueRecord(cyd, [ada, bea]);

	// Co-op B, on another device: Dee founds it and invites Cyd.
	const dee = await newDevice(browser);
	await createCoop(dee.page, 'Coop Ailleurs', '/', 'Dee');
	const link = await inviteLink(dee.page);

	// Cyd joins B from the device that holds their key in A, attaching the record.
	await cyd.page.goto(link);
	await cyd.page.getByLabel('Your name').fill('Cyd');
	await cyd.page.getByText('Attach a work record from another co-op').click();
	await attach(cyd.page, 'record.json', file);
	const preview = cyd.page.getByTestId('presented-report');
	await expect(preview).toContainText(
		'Verified: every signature checks, and every signer was a member of Coop Atelier.'
	);
	await expect(
		cyd.page.getByText('It checks: it will be presented once you have joined.')
	).toBeVisible();
	await cyd.page.getByRole('button', { name: 'Join' }).click();
	await expect(cyd.page.getByTestId('coop-name')).toHaveText('Coop Ailleurs');

	// B's member sees it on Cyd's card: what it claims, what was verified, what could not be.
	await expect(await memberNames(dee.page)).toHaveText(['Dee', 'Cyd'], SYNC);
	const card = dee.page.getByTestId('member').filter({ hasText: 'Cyd' });
	const report = card.getByTestId('presented-report');
	await expect(report).toHaveAttribute('data-status', 'verified', SYNC);
	await expect(report).toContainText(
		'Verified: every signature checks, and every signer was a member of Coop Atelier.'
	);
	await expect(report).toContainText('Cyd, at Coop Atelier');
	await expect(report.getByTestId('presented-signer')).toHaveText([
		/^Co-signer 1 signed it, and was a member: (founded the co-op|joined with an invite)/,
		/^Co-signer 2 signed it, and was a member: (founded the co-op|joined with an invite)/
	]);
	await expect(report).toContainText(
		'Presented by the member it is about: signed with the key the record names'
	);
	await expect(report).toContainText('Made for this co-op and this member');
	await expect(report).toContainText('That the work happened as it says');
	// The keys and proofs are behind Details.
	await expect(report.getByText(/^Holder: did:key:z6Mk/)).toBeHidden();
	await report.getByText('Details', { exact: true }).click();
	await expect(report.getByText(/^Holder: did:key:z6Mk/)).toBeVisible();
	expect(await violations(dee.page), 'members page with a presented record').toEqual([]);
	await fitsNarrowScreen(dee.page);

	// Later, from Cyd's profile in B: a copy with one more hour of work is refused, with the reason,
	// and cannot be presented.
	const tampered = Buffer.from(
		file.toString('utf8').replace(/"minutes": (\d+)/, (_, n) => `"minutes": ${Number(n) + 60}`)
	);
	expect(tampered.equals(file)).toBe(false);
	await openArea(cyd.page, 'My profile');
	await attach(cyd.page, 'tampered.json', tampered);
	const refused = cyd.page
		.getByRole('region', { name: 'Attach a work record from another co-op' })
		.getByTestId('presented-report')
		.first();
	await expect(refused).toHaveAttribute('data-status', 'refused');
	await expect(refused).toContainText('Refused: this record does not check');
	await expect(refused.getByTestId('presented-problem')).toHaveText([
		/the document was changed after it was signed/,
		/the document was changed after it was signed/
	]);
	await expect(cyd.page.getByRole('button', { name: 'Present it to this co-op' })).toHaveCount(0);
	expect(await violations(cyd.page), 'profile with a refused record').toEqual([]);
	// 50 MB of junk is refused by its size, unread; pasted junk is refused as not JSON.
	const big = testInfo.outputPath('big.json');
	await writeFile(big, Buffer.alloc(50 * 1024 * 1024, 0x61));
	await attach(cyd.page, 'big.json', big);
	await expect(refused).toContainText('larger than any credential');
	await cyd.page.getByLabel('Or paste the record here').fill('{"@context": [');
	await cyd.page.getByRole('button', { name: 'Check it' }).click();
	await expect(refused).toContainText('The file is not JSON');
	// The page still works: the record presented while joining is listed on the profile.
	await expect(
		cyd.page.getByTestId('presented-records').getByTestId('presented-report')
	).toHaveAttribute('data-status', 'verified');

	// An applicant to co-op C (no invite): Cyd signs the record for C on the waiting device and gives
	// it by hand; Eve checks it on the proposal to admit Cyd's device.
	const eve = await newDevice(browser);
	await createCoop(eve.page, 'Coop Troisième', '/', 'Eve');
	await openArea(eve.page, 'Members');
	await cyd.page.goto(await eve.page.getByTestId('apply-link').inputValue());
	await cyd.page.getByRole('button', { name: 'Ask to be admitted' }).click();
	await expect(cyd.page.getByTestId('coop-name')).toHaveText('Coop Troisième', SYNC);
	const code = await cyd.page.getByTestId('device-code').inputValue();
	await cyd.page.getByText('Attach a work record from another co-op').click();
	await attach(cyd.page, 'record.json', file);
	await cyd.page.getByRole('button', { name: 'Present it to this co-op' }).click();
	const given = await cyd.page.getByLabel('Your record, signed for this co-op').inputValue();
	expect(given).toContain('VerifiablePresentation');
	await propose(eve.page, 'Admit Cyd', async (page) => {
		await page.getByLabel('If it passes').selectOption({ label: 'Admit a member' });
		await page.getByLabel('The applicant’s device code').fill(code);
		await page.getByLabel('The applicant’s name').fill('Cyd');
	});
	await eve.page.getByText('Check the applicant’s work record').click();
	await eve.page.getByLabel('Or paste the record here').fill(given);
	await eve.page.getByRole('button', { name: 'Check it' }).click();
	const applicant = eve.page.getByTestId('presented-report');
	await expect(applicant).toHaveAttribute('data-status', 'verified');
	await expect(applicant).toContainText('Made for this co-op and this member');
	// The credential alone, not signed by its holder for this co-op, proves nothing about who gives it.
	await eve.page.getByLabel('Or paste the record here').fill(file.toString('utf8'));
	await eve.page.getByRole('button', { name: 'Check it' }).click();
	await expect(applicant).toHaveAttribute('data-status', 'refused');
	await expect(applicant.getByTestId('presented-problem')).toHaveText(
		'This is not a W3C Verifiable Presentation 2.0.'
	);
	expect(await violations(eve.page), 'proposal with an applicant’s record').toEqual([]);

	// Dee's device does not hold the key the record names: it cannot present it, and joins without it.
	const toA = await inviteLink(ada.page);
	await dee.page.goto(toA);
	await dee.page.getByLabel('Your name').fill('Dee');
	await dee.page.getByText('Attach a work record from another co-op').click();
	await attach(dee.page, 'record.json', file);
	await expect(dee.page.getByTestId('presented-report')).toHaveAttribute('data-status', 'verified');
	await dee.page.getByRole('button', { name: 'Join' }).click();
	await expect(dee.page.getByRole('alert')).toHaveText(
		'This device does not hold the key this record is about: present it from the device you used in that co-op.'
	);
	await dee.page.getByRole('button', { name: 'Remove the record' }).click();
	await expect(dee.page.getByTestId('presented-report')).toHaveCount(0);
	await dee.page.getByRole('button', { name: 'Join' }).click();
	await expect(dee.page.getByTestId('coop-name')).toHaveText('Coop Atelier');

	// The command-line verifier agrees: 0 for the file, 1 for the tampered copy.
	const path = testInfo.outputPath('record.json');
	const tamperedPath = testInfo.outputPath('tampered.json');
	await writeFile(path, file);
	await writeFile(tamperedPath, tampered);
	const { stdout } = await run('npm', ['run', '--silent', 'verify', '--', path]);
	expect(stdout).toContain('VERIFIED: all 2 proof(s) verify.');
	await expect(run('npm', ['run', '--silent', 'verify', '--', tamperedPath])).rejects.toMatchObject(
		{ code: 1 }
	);

	for (const device of [ada, bea, cyd, dee, eve]) await device.context.close();
});

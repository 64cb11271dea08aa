import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createCoop, newDevice, openArea, threeMembers } from './fixtures';

const SYNC = { timeout: 30_000 };
const run = promisify(execFile);

async function openRecords(page: Page): Promise<void> {
	await openArea(page, 'Work records');
	await expect(page.getByRole('heading', { level: 2, name: 'Work records' })).toBeVisible();
}

/** Serious or critical accessibility violations on the page as it stands. */
async function violations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page }).analyze();
	return results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map(
			(violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`
		);
}

async function check(page: Page, name: string, buffer: Buffer): Promise<void> {
	await page
		.getByLabel('Credential file')
		.setInputFiles({ name, mimeType: 'application/json', buffer });
}

test("a member's work record, co-signed by two, is verified in another co-op; a tampered copy is refused", async ({
	browser
}, testInfo) => {
	test.setTimeout(240_000);
	const [ada, bea, cyd] = await threeMembers(browser, 'Coop Atelier');

	// Cyd lists a skill and Bea endorses it, with a sentence.
	await openArea(cyd.page, 'Skills');
	await cyd.page.getByLabel('Skill', { exact: true }).fill('Pastry');
	await cyd.page.getByLabel('Level', { exact: true }).selectOption({ label: 'Can do' });
	await cyd.page.getByRole('button', { name: 'Add the skill' }).click();
	await openArea(bea.page, 'Skills');
	const theirs = bea.page.getByTestId('other-skill');
	await expect(theirs).toContainText('Pastry', SYNC);
	await theirs.getByText('Endorse Pastry').click();
	await theirs.getByLabel('A sentence (optional)').fill('Her croissants are perfect.');
	await theirs.getByRole('button', { name: 'Endorse', exact: true }).click();
	await expect(cyd.page.getByTestId('my-skill').getByTestId('endorsement')).toContainText(
		'Endorsed by Bea',
		SYNC
	);

	// Cyd asks for a record of their work. The co-op requires two co-signers (until it decides
	// otherwise): asking only one is refused.
	await openRecords(cyd.page);
	await expect(cyd.page.getByTestId('cred-required')).toContainText('requires 2 of them');
	await cyd.page.getByRole('checkbox', { name: 'Ada' }).check();
	await cyd.page.getByRole('button', { name: 'Ask to co-sign' }).click();
	await expect(cyd.page.getByRole('alert')).toContainText('The co-op requires more co-signers');

	// Before asking, Cyd sees what will be signed: skills and feedback are in by default.
	await expect(cyd.page.getByTestId('cred-include')).toBeChecked();
	await cyd.page.getByText('What will be signed', { exact: true }).click();
	const preview = cyd.page.getByTestId('work-record-summary');
	await expect(preview).toContainText('Cyd: work record at Coop Atelier');
	await expect(preview).toContainText('Pastry (Can do): 1 endorsements');
	await expect(preview).toContainText('Endorsed by Bea on');
	await expect(preview).toContainText('“Her croissants are perfect.”');
	expect(await violations(cyd.page), 'asking, with the preview open').toEqual([]);
	await expect(preview).toContainText('Feedback received: 0, on 0 jobs');

	await cyd.page.getByRole('checkbox', { name: 'Bea' }).check();
	await cyd.page.getByRole('button', { name: 'Ask to co-sign' }).click();
	await expect(cyd.page.getByTestId('cred-status')).toHaveText('0 of 2 signed');
	await expect(cyd.page.getByTestId('cred-required-status')).toHaveText(
		'Signed by 0 of the 2 the co-op requires'
	);

	// Each co-signer's device rebuilds the record, finds the same digest, and signs. With one
	// signature of the two required, the record is not offered for export yet.
	for (const [index, { page }] of [ada, bea].entries()) {
		await openRecords(page);
		const request = page.getByTestId('cred-to-sign');
		await expect(request).toContainText('Cyd', SYNC);
		await expect(request).toContainText('This device shows the same work: you can sign.');
		// What they sign, skills and feedback included, as their own device builds it.
		await request.getByText('What will be signed', { exact: true }).click();
		await expect(request.getByTestId('work-record-summary')).toContainText(
			'Feedback received: 0, on 0 jobs'
		);
		await request.getByRole('button', { name: 'Sign' }).click();
		await expect(page.getByText('Nobody has asked you to co-sign a record.')).toBeVisible();
		if (index === 0) {
			await expect(cyd.page.getByTestId('cred-status')).toHaveText('1 of 2 signed', SYNC);
			await expect(cyd.page.getByTestId('cred-export-after')).toBeVisible();
			await expect(cyd.page.getByRole('button', { name: 'Make the file' })).toHaveCount(0);
		}
	}
	await expect(cyd.page.getByTestId('cred-status')).toHaveText('2 of 2 signed', SYNC);
	await expect(cyd.page.getByTestId('cred-required-status')).toHaveText(
		'Signed by 2 of the 2 the co-op requires'
	);

	await cyd.page.getByRole('button', { name: 'Show as QR codes' }).click();
	await expect(cyd.page.getByRole('img', { name: /^QR code 1 of \d+$/ })).toBeVisible();
	await cyd.page.getByRole('button', { name: 'Make the file' }).click();
	const [download] = await Promise.all([
		cyd.page.waitForEvent('download'),
		cyd.page.getByTestId('cred-file').getByRole('link').click()
	]);
	const file = await readFile(await download.path());
	const credential = JSON.parse(file.toString('utf8')) as { proof: unknown[] };
	expect(credential.proof).toHaveLength(2);

	// Another co-op, on another device: its member checks the file.
	const other = await newDevice(browser);
	await createCoop(other.page, 'Coop Ailleurs', '/', 'Dee');
	await openRecords(other.page);
	await check(other.page, 'record.json', file);
	const report = other.page.getByTestId('credential-report');
	await expect(report).toContainText('Verified: every signature checks.');
	await expect(report.getByText(/^Signature proof\[\d\] checks, by did:key:z6Mk/)).toHaveCount(2);
	await expect(report.getByText('founded the co-op')).toHaveCount(1);
	await expect(report.getByText('joined with an invite')).toHaveCount(1);

	// A copy with one more hour of work: refused, with the reason.
	const tampered = Buffer.from(
		file.toString('utf8').replace(/"minutes": (\d+)/, (_, n) => `"minutes": ${Number(n) + 60}`)
	);
	expect(tampered.equals(file)).toBe(false);
	await check(other.page, 'tampered.json', tampered);
	await expect(report).toContainText('Refused: it does not check.');
	await expect(report.getByText(/the document was changed after it was signed/)).toHaveCount(2);

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

	// The link: opened in a browser that has no co-op at all, it verifies on that device.
	await cyd.page.getByRole('button', { name: 'Copy link' }).click();
	const link = await cyd.page.getByTestId('cred-link').inputValue();
	expect(link).toMatch(/\/verify#vc=[A-Za-z0-9_-]+$/);
	expect(await violations(cyd.page), 'a signed record with its link').toEqual([]);
	const stranger = await browser.newContext();
	const page = await stranger.newPage();
	await page.goto(link);
	await expect(page.getByRole('heading', { level: 1, name: 'Check a work record' })).toBeVisible();
	const linked = page.getByTestId('credential-report');
	await expect(linked).toContainText('Verified: every signature checks.');
	await expect(linked.getByTestId('work-record-summary')).toContainText(
		'Cyd: work record at Coop Atelier'
	);
	await expect(linked.getByTestId('work-record-summary')).toContainText(
		'“Her croissants are perfect.”'
	);
	expect(await violations(page), 'the check page, verified').toEqual([]);
	await expect(linked.getByText(/^Signature proof\[\d\] checks, by did:key:z6Mk/)).toHaveCount(2);

	// An altered link (one more hour of work, packed again): refused, with the reason.
	const data = link.slice(link.indexOf('#vc=') + 4);
	const json = inflateRawSync(Buffer.from(data, 'base64url')).toString('utf8');
	const altered = json.replace(/"minutes": ?(\d+)/, (_, n) => `"minutes": ${Number(n) + 60}`);
	expect(altered).not.toBe(json);
	await page.goto(`/verify#vc=${deflateRawSync(Buffer.from(altered)).toString('base64url')}`);
	await expect(linked).toContainText('Refused: it does not check.');
	await expect(linked.getByText(/the document was changed after it was signed/)).toHaveCount(2);
	// A link cut short: refused as damaged.
	await page.goto(link.slice(0, -40));
	await expect(page.getByTestId('credential-link-problem')).toHaveText(
		'Refused: this link is damaged (its data does not unpack).'
	);
	await stranger.close();

	// The printable page: only the record, its co-signers and its codes reach the paper.
	await cyd.page.getByRole('button', { name: 'Print' }).click();
	const printable = cyd.page.getByTestId('cred-printable');
	await expect(printable).toBeAttached();
	await cyd.page.emulateMedia({ media: 'print' });
	await expect(printable).toBeVisible();
	await expect(printable).toContainText('Cyd: work record at Coop Atelier');
	await expect(printable.getByText('Ada', { exact: true })).toBeVisible();
	await expect(printable.getByRole('img', { name: /^QR code 1 of \d+$/ })).toBeVisible();
	await expect(cyd.page.getByRole('button', { name: 'Print' })).toBeHidden();
	await cyd.page.emulateMedia({ media: 'screen' });
	await expect(printable).toBeHidden();

	for (const device of [ada, bea, cyd, other]) await device.context.close();
});

test('junk and a non-credential are refused with the reason, and nothing breaks', async ({
	browser
}) => {
	const { context, page } = await newDevice(browser);
	await createCoop(page, 'Coop Seule');
	await openRecords(page);
	await check(
		page,
		'junk.json',
		Buffer.from('{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": [')
	);
	const report = page.getByTestId('credential-report');
	await expect(report).toContainText('Refused: this is not a credential.');
	await expect(report).toContainText('truncated');
	await check(page, 'big.json', Buffer.alloc(3 * 1024 * 1024, 0x20));
	await expect(report).toContainText('larger than any credential');
	await expect(page.getByText('There is no other member to co-sign yet.')).toBeVisible();
	await context.close();
});

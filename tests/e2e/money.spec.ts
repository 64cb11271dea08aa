import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import {
	createCoop,
	inviteLink,
	joinWithLink,
	memberNames,
	newDevice,
	propose,
	vote,
	waitForPeers
} from './fixtures';

const SYNC = { timeout: 30_000 };
const PHONE = { width: 390, height: 844 };

/** Opens a page of the Money area: the Money tab, then its own link. */
async function openMoney(page: Page, link?: string): Promise<void> {
	await page
		.getByRole('navigation', { name: 'Co-op' })
		.getByRole('link', { name: 'Money' })
		.click();
	await expect(page.getByRole('heading', { level: 2, name: 'Money' })).toBeVisible();
	if (link !== undefined) {
		await page
			.getByRole('navigation', { name: 'Money pages' })
			.getByRole('link', { name: link })
			.click();
	}
}

async function expectNoSideScroll(page: Page, where: string): Promise<void> {
	const wide = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(wide, `${where} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** Fills and submits the entry form; returns once it says the entry is recorded. */
async function record(
	page: Page,
	kind: 'Income' | 'Expense',
	fill: (form: ReturnType<Page['getByTestId']>) => Promise<void>
): Promise<void> {
	const form = page.getByTestId('entry-form');
	await form.getByText(kind, { exact: true }).click();
	await fill(form);
	await form.getByRole('button', { name: 'Record', exact: true }).click();
	await expect(form.getByTestId('entry-status')).toHaveText('Recorded.');
}

/** The ledger's entries as shown, one line of text each. */
async function ledgerLines(page: Page): Promise<string[]> {
	return (await page.getByTestId('transaction').allInnerTexts()).map((text) =>
		text
			.replace(/\s+/g, ' ')
			.replace(/ (Reverse|Reversed)$/, '')
			.trim()
	);
}

/** A small RFC 4180 reader: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') {
			row.push(field);
			field = '';
		} else if (char === '\r' && text[index + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			index++;
		} else field += char;
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	return rows;
}

test('two members keep the books: income with the co-op share, an expense, a reversal; both see the same ledger, dashboard and CSV', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const a = await newDevice(browser, { viewport: PHONE });
	const b = await newDevice(browser, { viewport: { width: 320, height: 700 } });
	const coop = 'Vélos Coop';
	await createCoop(a.page, coop, '/', 'Ada');

	// The co-op decides its share of job payments: 15%.
	await propose(a.page, 'A 15% share', async (page) => {
		await page.getByLabel('If it passes').selectOption('setting');
		await page.locator('#proposal-subject').selectOption('jobShare');
		await page.locator('#proposal-value').fill('1500');
	});
	await vote(a.page, 'Agree');
	await a.page.getByRole('button', { name: 'Close and count now' }).click();
	await a.page.getByRole('button', { name: 'Yes, close and count' }).click();
	await expect(a.page.getByTestId('tally-outcome')).toHaveText('Passed');

	const link = await inviteLink(a.page);
	await joinWithLink(b.page, link, coop, 'Bea');
	for (const { page } of [a, b]) {
		await expect(await memberNames(page)).toHaveText(['Ada', 'Bea'], SYNC);
	}

	await openMoney(a.page, 'Record');
	await expectNoSideScroll(a.page, 'record');
	const form = a.page.getByTestId('entry-form');
	const amount = form.getByLabel('Amount (EUR)');
	// Bad amounts are refused with a clear message, nothing recorded.
	for (const [typed, message] of [
		['12.345', 'Too many decimals for the co-op’s currency.'],
		['-5', 'The amount cannot be negative.'],
		['99999999999999999999', 'That amount is too large.'],
		['12,3,4', 'Write the amount with digits and at most one decimal mark, for example 1234.56.']
	] as const) {
		await amount.fill(typed);
		await form.getByRole('button', { name: 'Record', exact: true }).click();
		await expect(form.getByRole('alert')).toHaveText(message);
		await expect(amount).toHaveAttribute('aria-invalid', 'true');
	}

	await record(a.page, 'Income', async (form) => {
		await form.getByLabel('Amount (EUR)').fill('100');
		await form.getByLabel('Date').fill('2026-01-05');
		await form.getByLabel('Client').fill('Boulangerie Durand');
		await form.getByLabel('Whose work it pays').selectOption({ label: 'Bea' });
		await expect(form.getByTestId('entry-split')).toHaveText(
			'The co-op’s share at 15%: €15.00; owed to Bea: €85.00.'
		);
		await form.getByLabel('Note').fill('Deliveries, week 2');
	});
	await record(a.page, 'Expense', async (form) => {
		await form.getByLabel('Amount (EUR)').fill('30,50');
		await form.getByLabel('Date').fill('2026-01-06');
		await form.getByLabel('Category').fill('Repairs');
		await form.getByLabel('Paid to').fill('Bike shop');
		await form.getByLabel('Note').fill('Tyres');
	});
	await record(a.page, 'Expense', async (form) => {
		await form.getByLabel('Amount (EUR)').fill('999');
		await form.getByLabel('Date').fill('2026-01-07');
		await form.getByLabel('Category').fill('Repairs');
		await form.getByLabel('Note').fill('Typed wrong');
	});

	// The mistake is reversed, never edited.
	await openMoney(a.page, 'Books');
	await expectNoSideScroll(a.page, 'books');
	const mistake = a.page.getByTestId('transaction').filter({ hasText: 'Typed wrong' });
	await mistake.getByRole('button', { name: 'Reverse' }).click();
	await mistake.getByRole('button', { name: 'Record the reversal' }).click();
	await expect(mistake.getByRole('alert')).toBeVisible();
	await mistake.getByLabel('Why').fill('Amount typed wrong');
	await mistake.getByLabel('Date').fill('2026-01-07');
	await mistake.getByRole('button', { name: 'Record the reversal' }).click();
	await expect(mistake.getByTestId('reversed')).toHaveText('Reversed');
	await expect(a.page.getByTestId('transaction')).toHaveCount(4);
	await expect(a.page.getByTestId('transaction').first()).toContainText('Reversal of: Expense');
	await expect(a.page.getByTestId('ledger-total')).toHaveText('Sum of every line: €0.00');

	// Bea's device receives the same books.
	await waitForPeers(b.page);
	await openMoney(b.page, 'Books');
	await expect(b.page.getByTestId('transaction')).toHaveCount(4, SYNC);
	await expectNoSideScroll(b.page, 'books (320)');
	const lines = await ledgerLines(a.page);
	expect(await ledgerLines(b.page)).toEqual(lines);
	expect(lines.join('\n')).toContain('Owed to Bea');
	const balances = await a.page.getByTestId('balances').innerText();
	expect(await b.page.getByTestId('balances').innerText()).toEqual(balances);
	await expect(
		b.page.getByTestId('balance').and(b.page.locator('[data-account="bank"]'))
	).toHaveText('€69.50');

	// The same dashboard on both: the co-op's year, who is owed what.
	for (const { page } of [a, b]) {
		await openMoney(page);
		await page.getByText('Year', { exact: true }).click();
	}
	await expect(b.page.getByTestId('my-net')).toHaveText('€85.00');
	await expect(b.page.getByTestId('my-share')).toHaveText('€15.00');
	await expect(b.page.getByTestId('my-gross')).toHaveText('€100.00');
	await expect(a.page.getByTestId('my-net')).toHaveText('€0.00');
	for (const id of ['coop-income', 'coop-expenses', 'coop-surplus', 'coop-owed']) {
		const shown = (await a.page.getByTestId(id).textContent()) ?? '';
		await expect(b.page.getByTestId(id)).toHaveText(shown);
	}
	await expect(a.page.getByTestId('coop-income')).toHaveText('€15.00');
	await expect(a.page.getByTestId('coop-expenses')).toHaveText('€30.50');
	await expect(a.page.getByTestId('coop-surplus')).toHaveText('-€15.50');
	await expect(a.page.getByTestId('coop-owed')).toHaveText(/Bea\s*€85\.00/);
	// The figures shown are kept on the device, to show while the co-op next opens.
	const kept = await b.page.evaluate(
		(id) => JSON.parse(localStorage.getItem(`ours.money-glance.${id}`) ?? 'null') as unknown,
		new URL(b.page.url()).pathname.split('/')[2]
	);
	expect(kept).toMatchObject({
		currency: 'EUR',
		mine: { year: { net: 8500, share: 1500, gross: 10000 } },
		co: {
			year: { income: 1500, expenses: 3050, surplus: -1550 },
			owed: [{ name: 'Bea', owed: 8500 }],
			owedCount: 1
		}
	});
	await expectNoSideScroll(b.page, 'dashboard (320)');
	// The chart has its table.
	await b.page.getByText('Show as a table').first().click();
	await expect(b.page.getByRole('table', { name: 'My earnings by month' })).toBeVisible();

	// The CSV from each device parses back to the same totals.
	const totals: Record<string, string>[] = [];
	for (const { page } of [a, b]) {
		await openMoney(page, 'Books');
		await page.getByTestId('ledger-csv').click();
		const ready = page.getByTestId('ledger-export');
		const downloading = page.waitForEvent('download');
		await ready.getByRole('link', { name: 'Download' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toMatch(/^ledger-\d{4}-\d{2}-\d{2}\.csv$/);
		const [header, ...rows] = parseCsv(await readFile(await download.path(), 'utf8'));
		expect(header).toEqual([
			'date',
			'record',
			'kind',
			'account',
			'counterparty',
			'amount',
			'currency',
			'memo',
			'reverses'
		]);
		// Income 3 lines, two expenses 2 each, the reversal 2.
		expect(rows).toHaveLength(9);
		const byAccount: Record<string, number> = {};
		for (const row of rows) {
			const cents = Math.round(Number(row[5]) * 100);
			byAccount[row[3]!] = (byAccount[row[3]!] ?? 0) + cents;
		}
		expect(Object.values(byAccount).reduce((sum, value) => sum + value, 0)).toBe(0);
		expect(byAccount['bank']).toBe(6950);
		expect(byAccount['coop-share']).toBe(-1500);
		expect(byAccount['expense:repairs']).toBe(3050);
		totals.push(
			Object.fromEntries(
				Object.entries(byAccount).map(([account, cents]) => [account, String(cents)])
			)
		);
	}
	expect(totals[1]).toEqual(totals[0]);

	// The period report shows the same totals.
	await openMoney(b.page, 'Report');
	await b.page.getByLabel('From', { exact: true }).fill('2026-01-01');
	await b.page.getByLabel('To', { exact: true }).fill('2026-01-31');
	await expect(b.page.getByTestId('report-income')).toHaveText('€15.00');
	await expect(b.page.getByTestId('report-expenses')).toHaveText('€30.50');
	await expect(b.page.getByTestId('report-surplus')).toHaveText('-€15.50');
	await expectNoSideScroll(b.page, 'report (320)');

	await a.context.close();
	await b.context.close();
});

import { toMajor } from './money';
import type { LedgerView } from './view';

/**
 * The books as a CSV file an accountant opens in a spreadsheet (RFC 4180: comma-separated,
 * CRLF line ends, fields quoted when they hold a comma, a quote or a line break). One row per
 * posting, in the order of the transactions list; see docs/ledger.md, "Export".
 */

export const CSV_COLUMNS = [
	'date',
	'record',
	'kind',
	'account',
	'counterparty',
	'amount',
	'currency',
	'memo',
	'reverses'
] as const;

/**
 * A text cell, quoted if needed. Text members typed that a spreadsheet would read as a formula
 * (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, so opening
 * the file never runs anything.
 */
function textCell(value: string): string {
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The ledger as CSV text, with a header row. */
export function ledgerCsv(view: LedgerView): string {
	const currency = view.currency ?? '';
	const rows = [CSV_COLUMNS.join(',')];
	for (const transaction of view.transactions) {
		for (const posting of transaction.postings) {
			rows.push(
				[
					transaction.date,
					transaction.id,
					transaction.source === 'reverse' ? `${transaction.kind}-reversal` : transaction.kind,
					posting.account,
					textCell(posting.counterparty),
					toMajor(posting.amount, view.digits),
					currency,
					textCell(transaction.memo),
					transaction.reverses ?? ''
				].join(',')
			);
		}
	}
	return rows.join('\r\n') + '\r\n';
}

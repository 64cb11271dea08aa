import { toCsv, type CsvCell } from '../kernel/csv';
import { toMajor } from './money';
import type { LedgerView } from './view';

/**
 * The books as a CSV file an accountant opens in a spreadsheet (`toCsv`): one row per posting,
 * in the order of the transactions list; see docs/ledger.md, "Export".
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

/** The ledger as CSV text, with a header row. */
export function ledgerCsv(view: LedgerView): string {
	const currency = view.currency ?? '';
	const rows: CsvCell[][] = [];
	for (const transaction of view.transactions) {
		for (const posting of transaction.postings) {
			rows.push([
				transaction.date,
				transaction.id,
				transaction.source === 'reverse' ? `${transaction.kind}-reversal` : transaction.kind,
				posting.account,
				posting.counterparty,
				toMajor(posting.amount, view.digits),
				currency,
				transaction.memo,
				transaction.reverses ?? ''
			]);
		}
	}
	return toCsv(CSV_COLUMNS, rows, ['counterparty', 'memo']);
}

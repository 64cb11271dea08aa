import { stringify } from 'csv-stringify/browser/esm/sync';

/** A cell: numbers as they are, text as typed. */
export type CsvCell = string | number;

/** Starts a spreadsheet would read as a formula. */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * Rows as CSV for a spreadsheet (RFC 4180: comma-separated, CRLF line ends, a field quoted when
 * it holds a comma, a quote or a line break), the first row being the header. Cells of the
 * `typed` columns (text members wrote) that a spreadsheet would run as a formula get a leading
 * apostrophe, so opening the file never runs anything; other cells (ids, signed amounts) are
 * written as they are.
 */
export function toCsv(
	header: readonly string[],
	rows: readonly (readonly CsvCell[])[],
	typed: readonly string[]
): string {
	const guarded = new Set(typed.map((column) => header.indexOf(column)));
	const guard = (cell: CsvCell, index: number) =>
		typeof cell === 'string' && guarded.has(index) && FORMULA.test(cell) ? `'${cell}` : cell;
	return stringify([[...header], ...rows.map((row) => row.map(guard))], {
		record_delimiter: 'windows',
		// Set with `record_delimiter`, csv-stringify would leave line breaks in cells unquoted.
		quote_record_delimiter: true
	});
}

import { defineArea } from '../kernel/module';
import { LedgerFold } from './fold';
import { LEDGER_RECORDS, type LedgerBodies } from './records';

/** The ledger area: the co-op's books, double entry, with reversals, assertions and patronage. */
export const ledgerArea = defineArea<LedgerBodies, LedgerFold>({
	name: 'ledger',
	records: LEDGER_RECORDS,
	effects: [],
	provides: [],
	create: (use) => new LedgerFold(use)
});

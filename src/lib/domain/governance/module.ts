import { defineArea } from '../kernel/module';
import { GovernanceFold } from './fold';
import { GOVERNANCE_RECORDS, type GovernanceBodies } from './records';

/** The governance area: proposals, votes, delegations, closes; decisions act through effects. */
export const governanceArea = defineArea<GovernanceBodies, GovernanceFold>({
	name: 'governance',
	records: GOVERNANCE_RECORDS,
	effects: [],
	provides: [],
	create: (use) => new GovernanceFold(use)
});

import { defineArea } from '../kernel/module';
import { WORK_EFFECTS } from './effects';
import { WorkFold } from './fold';
import { WORK } from './queries';
import { WORK_RECORDS, type WorkBodies } from './records';

/** The work area: jobs, shifts, sign-ups and availability; assignment by the co-op's rule. */
export const workArea = defineArea<WorkBodies, WorkFold>({
	name: 'work',
	records: WORK_RECORDS,
	effects: WORK_EFFECTS,
	provides: [WORK],
	create: (use) => new WorkFold(use)
});

import { AUTHORS, defineArea } from '../kernel/module';
import { MEMBERSHIP_EFFECTS } from './effects';
import { MembershipFold } from './fold';
import { MEMBERSHIP } from './queries';
import { MEMBERSHIP_RECORDS, type MembershipBodies } from './records';

/** The membership area: who is in the co-op, with which devices; who a device writes for. */
export const membershipArea = defineArea<MembershipBodies, MembershipFold>({
	name: 'membership',
	records: MEMBERSHIP_RECORDS,
	effects: MEMBERSHIP_EFFECTS,
	provides: [AUTHORS, MEMBERSHIP],
	create: () => new MembershipFold()
});

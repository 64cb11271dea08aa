import { defineArea } from '../kernel/module';
import { CredentialsFold } from './fold';
import { CREDENTIALS_RECORDS, type CredentialsBodies } from './records';

/** The credentials area: requests for co-signed credentials, and their answers. */
export const credentialsArea = defineArea<CredentialsBodies, CredentialsFold>({
	name: 'credentials',
	records: CREDENTIALS_RECORDS,
	effects: [],
	provides: [],
	create: () => new CredentialsFold()
});

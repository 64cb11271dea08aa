import { deleteDB } from 'idb';
import { docDatabaseName } from './doc-persistence';
import { vaultDatabaseName } from './vault';

/**
 * Deletes what this device stored of a co-op: its shared document and its vault of records. The
 * co-op must be closed here first. Another tab holding it open delays the deletion (the browser
 * deletes once that tab lets go) without holding up the caller.
 */
export async function deleteCoopStorage(coopId: string): Promise<void> {
	await Promise.all(
		[docDatabaseName(coopId), vaultDatabaseName(coopId)].map(
			(name) =>
				new Promise<void>((resolve, reject) => {
					deleteDB(name, { blocked: () => resolve() }).then(resolve, reject);
				})
		)
	);
}

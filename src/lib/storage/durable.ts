/**
 * Writes that must survive the browser being killed, or the machine losing power.
 *
 * A write is safe only once its transaction has completed: the UI says "saved" after that, never
 * before (tests/e2e/durability.spec.ts kills the browser the moment it does; before, a vote and an
 * invite were lost every time). Completing is enough against a killed browser: Chromium 156 has
 * handed the data to the system by then, with its 'default' (relaxed) durability too. It is not
 * against the system itself going down: a relaxed commit is not flushed to disk. A transaction
 * opened 'strict' completes only once it is. Only what the UI calls saved pays for that flush;
 * records that peers send stay relaxed (a lost one comes back from them).
 */
export const STRICT: IDBTransactionOptions = { durability: 'strict' };

/** The store y-indexeddb keeps beside its updates, for values of its users; see `flushMarker`. */
const CUSTOM_STORE = 'custom';
/** The key of the one row this app writes there, only to flush what came before it. */
const FLUSH_KEY = 'ours:flushed';

/**
 * Resolves once every write already queued on `stores` of `db` is on disk.
 *
 * y-indexeddb writes each change in a transaction of its own, with the default durability, and
 * gives no way to ask for more. A strict transaction over the same store, opened after those,
 * runs only once they have committed (transactions whose scopes overlap run in order), and its
 * commit flushes the database's log, theirs included. A strict transaction that writes nothing
 * may commit without flushing, so it writes one small row to y-indexeddb's `custom` store.
 */
export function flushAfter(db: IDBDatabase, stores: readonly string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const transaction = db.transaction([...stores, CUSTOM_STORE], 'readwrite', STRICT);
		transaction.objectStore(CUSTOM_STORE).put(Date.now(), FLUSH_KEY);
		transaction.oncomplete = () => resolve();
		transaction.onerror = () => reject(transaction.error ?? new Error('flush failed'));
		transaction.onabort = () => reject(transaction.error ?? new Error('flush aborted'));
	});
}

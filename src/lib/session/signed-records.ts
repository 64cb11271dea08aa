import type * as Y from 'yjs';
import type { SigningKey } from '$lib/crypto/keys';
import type { SignedEnvelope } from '$lib/domain/kernel/envelope';
import type { DraftContext } from '$lib/domain/kernel/draft';
import type { InputResult } from '$lib/domain/kernel/input-result';
import {
	type DraftResult,
	type RecordType,
	type VerifiedRecord,
	signRecord,
	trustVaultRecord,
	verifyAll,
	verifyRecord
} from '$lib/domain/registry';
import {
	ClockDriftError,
	formatHlc,
	parseHlc,
	receive,
	tick,
	ZERO_CLOCK,
	type Hlc
} from '$lib/domain/kernel/hlc';
import { CoopProjector, type CoopState } from '$lib/domain/coop-state';
import type { Rejection } from '$lib/domain/kernel/reasons';
import { memberOfDevice } from '$lib/domain/membership/view';
import { junkSigner, mayBeSigned, screenEntry } from '$lib/domain/kernel/entry-screen';
import {
	addJunk,
	EMPTY_LEDGER,
	type JunkItem,
	type JunkLedger
} from '$lib/domain/kernel/junk-ledger';
import type { RecordVault, VaultRecord } from '$lib/storage/record-vault';
import { sameCanonical } from './same-record';
import { SliceQueue, yieldToEventLoop } from './slice-queue';
import { SLICE_MS } from '$lib/util/next-task';

/**
 * The bridge between a co-op's `Y.Map('records')` and the trust layer.
 *
 * - Open: the vault's records count as verified (no signature is checked again) and the roster is
 *   projected from them: that is all the UI waits for. The document may still be loading from
 *   disk meanwhile (`docLoaded`); once it has, the map is followed and compared with the vault a
 *   slice at a time (what is missing or altered is put back), and its other entries are verified.
 * - Every change to the map is judged, a slice at a time (`SliceQueue`): cheap checks first
 *   (`screenEntry`), then verification; valid entries go to the vault and the roster; junk is
 *   counted in the junk ledger (not kept entry by entry) and removed from the map. An entry
 *   that is not byte for byte the record the vault holds under its key (deleted, overwritten,
 *   or rewritten with an equal-looking value) is put back at once, in a transaction of its own
 *   (`RESTORE_ORIGIN`), as are the removals of junk.
 * - Commands write through `write`: drafts are stamped with the session's clock, signed with the
 *   device key and set in one Yjs transaction; `write` resolves once they are on disk.
 * Bad records never throw: they end up in the integrity report.
 */

/** Origin of the transactions that put back records a peer deleted or overwrote. */
export const RESTORE_ORIGIN = Symbol('ours/restore');
/** Origin of the transactions of local commands. */
export const WRITE_ORIGIN = Symbol('ours/write');

/** Verifies map entries; injectable so tests can count what is verified. */
export type Verifier = typeof verifyAll;

/** Builds one draft of a command from the author, co-op and stamp. */
export type DraftBuilder = (context: DraftContext) => DraftResult<RecordType>;

export type WriteResult = InputResult<{ readonly ids: readonly string[] }>;

/** What the UI shows of the records: the roster, and what this device had to undo. */
export interface RecordsState {
	/** The roster; its integrity report covers valid records only (rules and waiting). */
	readonly roster: CoopState;
	/** Entries that failed verification: counts, signers, and a sample. */
	readonly junk: JunkLedger;
	/** Records put back since the co-op was opened, after a peer deleted or overwrote them. */
	readonly restored: number;
	/** False once writing to the vault failed: the device then stops keeping what it sees. */
	readonly vaultHealthy: boolean;
}

export interface SignedRecordsOptions {
	readonly coopId: string;
	readonly doc: Y.Doc;
	readonly vault: RecordVault;
	readonly key: SigningKey;
	readonly verify?: Verifier;
	readonly now?: () => number;
	/**
	 * Resolves once `doc` holds what this device had stored. Until then the map is neither read
	 * nor repaired (an entry missing from a document still loading is not missing), and `open`
	 * does not wait for it. Without it, `doc` counts as loaded and `open` judges its entries first.
	 */
	readonly docLoaded?: Promise<void>;
}

/** The form every record type has (`area.event`), known to this version or not. */
const RECORD_TYPE_FORM = /^[a-z][a-z-]{0,30}(\.[a-z][a-z-]{0,30}){1,3}$/;
/** Entries verified together (their WebCrypto calls overlap). */
const BATCH = 64;
/** Valid records of a long job reach the roster at least this often (ms), not only at its end. */
const PROJECT_EVERY_MS = 2000;
/**
 * Junk is removed from the map in transactions of up to this many entries, or every
 * `REMOVE_EVERY_MS`: each transaction is a row in the stored document (y-indexeddb merges all
 * rows, a long task, every 500) and a message to every peer.
 */
const REMOVE_BATCH = 5000;
const REMOVE_EVERY_MS = 500;
/** The UI hears of junk counted (which changes nothing else) at most this often (ms). */
const JUNK_NOTICE_MS = 250;
/** The vault's junk ledger is written at most this often (ms), and on close. */
const LEDGER_SAVE_MS = 1000;

const now = (): number => performance.now();

/** What one slice of judging found: what to keep, put back, remove and count. */
interface SliceResult {
	readonly kept: VaultRecord[];
	readonly verified: VerifiedRecord[];
	readonly restore: string[];
	readonly remove: Array<readonly [string, unknown]>;
	readonly junk: JunkItem[];
}

export class SignedRecords {
	readonly #coopId: string;
	readonly #doc: Y.Doc;
	readonly #map: Y.Map<unknown>;
	readonly #vault: RecordVault;
	readonly #key: SigningKey;
	readonly #verify: Verifier;
	readonly #now: () => number;
	readonly #projector: CoopProjector;
	/** Id -> every valid record held (deep-frozen): the vault, in memory. */
	readonly #valid = new Map<string, object>();
	readonly #listeners = new Set<() => void>();
	readonly #slices = new SliceQueue();
	/** Ends the jobs still queued when the session closes, so nothing waits for them. */
	readonly #unfinished = new Set<() => void>();
	#clock: Hlc = ZERO_CLOCK;
	#queue: Promise<void> = Promise.resolve();
	#restored = 0;
	#junk: JunkLedger = EMPTY_LEDGER;
	#junkNotice: ReturnType<typeof setTimeout> | null = null;
	#ledgerSave: ReturnType<typeof setTimeout> | null = null;
	#ledgerWrite: Promise<void> = Promise.resolve();
	#vaultHealthy = true;
	#state: RecordsState | null = null;
	#closed = false;
	/** Resolves once the document is loaded and its entries judged; see `loaded`. */
	#loaded: Promise<void> = Promise.resolve();
	/** Ends the wait for a document that is still loading when the session closes. */
	#stopWaiting: () => void = () => {};
	/** Id -> when a record first reached this device in this session (not the vault's at open). */
	readonly #arrived = new Map<string, number>();
	/** Keys `#observe` has handled while `#attach` compares the map: it need not compare them. */
	#changedDuringAttach: Set<string> | null = null;
	/** Judges again the records from the future once the earliest is due (see kernel/time.ts). */
	#dueTimer: ReturnType<typeof setTimeout> | null = null;

	private constructor(options: SignedRecordsOptions) {
		this.#coopId = options.coopId;
		this.#doc = options.doc;
		this.#map = options.doc.getMap('records');
		this.#vault = options.vault;
		this.#key = options.key;
		this.#verify = options.verify ?? verifyAll;
		this.#now = options.now ?? Date.now;
		this.#projector = new CoopProjector(options.coopId, { now: this.#now });
	}

	/**
	 * Opens a co-op's records. Resolves once the vault's records are projected, and, without
	 * `docLoaded`, once every entry of the (loaded) document has been judged too.
	 */
	static async open(options: SignedRecordsOptions): Promise<SignedRecords> {
		const records = new SignedRecords(options);
		await records.#start(options.docLoaded);
		return records;
	}

	/** The device key that signs this session's records. */
	get device(): string {
		return this.#key.publicKey;
	}

	get state(): RecordsState {
		this.#state ??= Object.freeze({
			roster: this.#projector.snapshot(),
			junk: this.#junk,
			restored: this.#restored,
			vaultHealthy: this.#vaultHealthy
		});
		return this.#state;
	}

	/** A valid record this device holds, as it was signed; for recounts. */
	get(id: string): object | undefined {
		return this.#valid.get(id);
	}

	/**
	 * When a record first reached this device in this session (written here, or from a peer);
	 * 0 for records the vault held at open (seen earlier); `undefined` for records not held.
	 */
	/** The valid records of the given types, with their ids (membership evidence is built from them). */
	validOfTypes(
		types: ReadonlySet<string>
	): { readonly id: string; readonly record: SignedEnvelope }[] {
		const found: { id: string; record: SignedEnvelope }[] = [];
		for (const [id, record] of this.#valid) {
			if (types.has((record as SignedEnvelope).type))
				found.push({ id, record: record as SignedEnvelope });
		}
		return found;
	}

	arrivedAt(id: string): number | undefined {
		return this.#arrived.get(id) ?? (this.#valid.has(id) ? 0 : undefined);
	}

	/** The newest record held that sorts before `at`: what a record stamped `at` names as `after`. */
	newestBefore(at: string): string | null {
		return this.#projector.newestBefore(at);
	}

	/** Calls `listener` whenever `state` changes; returns a function that stops it. */
	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Resolves once every change seen so far has been judged (the stored document's included). */
	async settled(): Promise<void> {
		await this.#queue;
		await this.#slices.idle();
	}

	/**
	 * Resolves once the document has loaded and the map has been compared with the vault and
	 * judged: from then on what `state` shows includes every entry the device had stored.
	 */
	get loaded(): Promise<void> {
		return this.#loaded;
	}

	/**
	 * Writes one command: each builder makes a draft from the next stamp of the session's clock;
	 * all are signed, then set in one transaction. Input that makes a bad draft returns its message
	 * key, and nothing is written.
	 */
	async write(...builders: readonly DraftBuilder[]): Promise<WriteResult> {
		const drafts = [];
		for (const build of builders) {
			this.#clock = tick(this.#clock, this.#now());
			const result = build({ coop: this.#coopId, author: this.device, at: formatHlc(this.#clock) });
			if (!result.ok) return { ok: false, field: result.field, messageKey: result.messageKey };
			drafts.push(result.draft);
		}
		const signed = await Promise.all(drafts.map((draft) => signRecord(draft, this.#key)));
		const verified: VerifiedRecord[] = [];
		for (const { id, record } of signed) {
			const result = await verifyRecord(id, record, this.#coopId);
			// Only data from peers can make this fail (a device link's consent): refuse, write nothing.
			if (!result.ok) return { ok: false, field: '', messageKey: 'record_invalid' };
			verified.push(result.verified);
		}
		if (this.#closed) return { ok: false, field: '', messageKey: 'record_write_closed' };
		const kept = verified.map(({ id, record }) => ({ id, text: JSON.stringify(record) }));
		for (const { id, record } of verified) {
			this.#valid.set(id, record);
			this.#arrived.set(id, this.#now());
		}
		this.#doc.transact(() => {
			for (const { id, record } of verified) this.#map.set(id, record);
		}, WRITE_ORIGIN);
		this.#projector.add(verified);
		this.#changed();
		// The UI calls a command saved once this resolves: the records must be on disk by then.
		// The vault is enough, since reopening puts back into the map whatever it holds.
		if (!(await this.#keepDurably(kept))) {
			return { ok: false, field: '', messageKey: 'record_not_saved' };
		}
		return { ok: true, ids: signed.map(({ id }) => id) };
	}

	async close(): Promise<void> {
		this.#closed = true;
		this.#stopWaiting();
		this.#slices.stop();
		for (const finish of this.#unfinished) finish();
		if (this.#dueTimer !== null) clearTimeout(this.#dueTimer);
		this.#map.unobserve(this.#observe);
		this.#listeners.clear();
		if (this.#junkNotice !== null) clearTimeout(this.#junkNotice);
		await this.#queue;
		await this.#slices.idle();
		if (this.#ledgerSave !== null) {
			clearTimeout(this.#ledgerSave);
			this.#saveLedger();
		}
		await this.#ledgerWrite;
		await this.#vault.close();
	}

	async #start(docLoaded: Promise<void> | undefined): Promise<void> {
		// Handled from the start: the document may fail while the vault is still being read.
		const loading = docLoaded?.catch((error: unknown) => {
			// The map is then whatever peers bring; the vault's records are put back into it.
			console.warn('The stored document could not be loaded', error);
		});
		const { records, junk } = await this.#vault.load();
		this.#junk = junk;
		// Taken in and projected a slice at a time, so that the page answers meanwhile: in one go,
		// 100,000 records held a browser's thread for about a second.
		const fromDisk: VerifiedRecord[] = [];
		for (let index = 0; index < records.length;) {
			const until = now() + SLICE_MS;
			do {
				const [id, value] = records[index++]!;
				// The same record may have been kept twice; it is one record.
				if (this.#valid.has(id)) continue;
				const entry = trustVaultRecord(id, value);
				this.#valid.set(id, entry.record);
				fromDisk.push(entry);
			} while (index < records.length && (index % 256 !== 0 || now() < until));
			if (index < records.length) await yieldToEventLoop();
		}
		this.#follow(fromDisk);
		const project = this.#projector.addInSteps(fromDisk);
		while (project(SLICE_MS)) await yieldToEventLoop();
		while (this.#projector.prepareSnapshot(SLICE_MS)) await yieldToEventLoop();
		// The state composed in a task of its own, before the page reads it and renders.
		this.#projector.snapshot();
		await yieldToEventLoop();
		if (loading === undefined) {
			this.#loaded = this.#enqueue(() => this.#attach());
			await this.#loaded;
			return;
		}
		// The document keeps loading: the map is compared once it has, in the queue, so that
		// `settled()` includes it. Closing stops the wait.
		const closing = new Promise<void>((resolve) => (this.#stopWaiting = resolve));
		this.#loaded = this.#enqueue(async () => {
			await Promise.race([loading, closing]);
			await this.#attach();
		});
		this.#changed();
	}

	/**
	 * Starts following the loaded map, then compares it with the vault and judges its new
	 * entries. The comparison runs a slice at a time (in one go, 100,000 entries held a browser's
	 * thread for a third of a second): what is altered is put back slice by slice, then the
	 * vault's records the map lacks. A key a peer changes meanwhile is judged by `#observe` and
	 * then skipped here; if it was reached here first, `#observe` judges its new value too.
	 */
	async #attach(): Promise<void> {
		if (this.#closed) return;
		const changed = new Set<string>();
		this.#changedDuringAttach = changed;
		this.#map.observe(this.#observe);
		const fresh: Array<[string, unknown]> = [];
		try {
			const entries = this.#map.entries();
			for (let done = false; !done;) {
				const restore: string[] = [];
				const until = now() + SLICE_MS;
				for (let count = 1; ; count++) {
					const next = entries.next();
					if (next.done === true) {
						done = true;
						break;
					}
					const [key, value] = next.value;
					if (!changed.has(key)) this.#sort(key, value, fresh, restore);
					if (count % 256 === 0 && now() >= until) break;
				}
				this.#restore(restore, []);
				if (!done) await yieldToEventLoop();
				if (this.#closed) return;
			}
			const missing: string[] = [];
			let count = 0;
			let until = now() + SLICE_MS;
			for (const id of this.#valid.keys()) {
				if (!this.#map.has(id)) missing.push(id);
				if (++count % 1024 === 0 && now() >= until) {
					await yieldToEventLoop();
					if (this.#closed) return;
					until = now() + SLICE_MS;
				}
			}
			// Still missing: one deleted since was put back by `#observe`.
			this.#restore(
				missing.filter((id) => !this.#map.has(id)),
				[]
			);
		} finally {
			this.#changedDuringAttach = null;
		}
		this.#changed();
		await this.#judge(fresh);
	}

	/** Runs `step` after everything queued before it; a failing step does not stop later ones. */
	#enqueue(step: () => Promise<void>): Promise<void> {
		const next = this.#queue.then(step).catch((error: unknown) => {
			console.warn('Records could not be judged', error);
		});
		this.#queue = next;
		return next;
	}

	readonly #observe = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction): void => {
		// This session's own writes and restorations are already accounted for.
		const origin: unknown = transaction.origin;
		if (transaction.local && (origin === RESTORE_ORIGIN || origin === WRITE_ORIGIN)) return;
		const fresh: Array<[string, unknown]> = [];
		const restore: string[] = [];
		for (const key of event.keysChanged as Set<string>) {
			this.#changedDuringAttach?.add(key);
			if (!this.#map.has(key)) {
				if (this.#valid.has(key)) restore.push(key);
				continue;
			}
			this.#sort(key, this.#map.get(key), fresh, restore);
		}
		this.#restore(restore, []);
		void this.#judge(fresh);
	};

	/**
	 * Decides what an entry needs: nothing (it is byte for byte the record the vault holds under
	 * its key), to be put back (it is anything else under such a key), or to be judged.
	 */
	#sort(key: string, value: unknown, fresh: Array<[string, unknown]>, restore: string[]): void {
		const valid = this.#valid.get(key);
		if (valid === undefined) fresh.push([key, value]);
		else if (!sameCanonical(value, valid)) restore.push(key);
	}

	/**
	 * Puts back records the vault holds, as they were, and removes junk entries, in one
	 * transaction. An entry to remove is removed only if the map still holds the very value that
	 * was judged (Yjs hands out the same object each time): a newer value is judged on its own.
	 */
	#restore(ids: readonly string[], junk: ReadonlyArray<readonly [string, unknown]>): void {
		if ((ids.length === 0 && junk.length === 0) || this.#closed) return;
		let restored = 0;
		this.#doc.transact(() => {
			for (const id of ids) {
				const record = this.#valid.get(id);
				if (record === undefined) continue;
				this.#map.set(id, record);
				restored++;
			}
			for (const [key, value] of junk) {
				if (!this.#valid.has(key) && this.#map.get(key) === value) this.#map.delete(key);
			}
		}, RESTORE_ORIGIN);
		if (restored === 0) return;
		this.#restored += restored;
		this.#changed();
	}

	/**
	 * Judges entries in slices (see `SliceQueue`); resolves once all are judged, or the session
	 * closed. Valid records reach the roster when the job ends (or every `PROJECT_EVERY_MS`): a
	 * batch that sorts before what the roster holds makes it refold, so not after every slice.
	 */
	#judge(entries: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
		if (entries.length === 0 || this.#closed) return Promise.resolve();
		return new Promise((resolve) => {
			let next = 0;
			let verified: VerifiedRecord[] = [];
			let projectedAt = now();
			let junk: Array<readonly [string, unknown]> = [];
			let removedAt = now();
			const finish = () => {
				this.#unfinished.delete(finish);
				resolve();
			};
			const project = () => {
				this.#follow(verified);
				this.#projector.add(verified);
				this.#changed();
				verified = [];
				projectedAt = now();
			};
			this.#unfinished.add(finish);
			this.#slices.add({
				step: async () => {
					const start = now();
					const slice: SliceResult = { kept: [], verified, restore: [], remove: junk, junk: [] };
					while (next < entries.length && now() - start < SLICE_MS && !this.#closed) {
						const batch = entries.slice(next, next + BATCH);
						next += batch.length;
						await this.#judgeBatch(batch, slice);
					}
					if (this.#closed) {
						finish();
						return false;
					}
					const done = next >= entries.length;
					const remove = done || junk.length >= REMOVE_BATCH || now() - removedAt > REMOVE_EVERY_MS;
					this.#apply(slice, remove);
					if (remove) {
						junk = [];
						removedAt = now();
					}
					if (done || now() - projectedAt > PROJECT_EVERY_MS) project();
					if (done) finish();
					return !done;
				}
			});
		});
	}

	/** Cheap checks, then verification, of a few entries; adds what was found to `slice`. */
	async #judgeBatch(
		batch: ReadonlyArray<readonly [string, unknown]>,
		slice: SliceResult
	): Promise<void> {
		const values = new Map<string, unknown>();
		const screened: Array<readonly [string, unknown]> = [];
		for (const [key, value] of batch) {
			const rejection = screenEntry(key, value);
			if (rejection === null) {
				screened.push([key, value]);
				values.set(key, value);
			} else {
				slice.junk.push({ rejection, signer: null });
				this.#sortJunk(key, value, slice);
			}
		}
		if (screened.length === 0) return;
		const { verified, rejections } = await this.#verify(screened, this.#coopId, {
			knownValid: (id) => this.#valid.has(id)
		});
		const signers = await Promise.all(
			rejections.map((rejection) =>
				mayBeSigned(rejection)
					? junkSigner(rejection.id, values.get(rejection.id))
					: Promise.resolve(null)
			)
		);
		for (const entry of verified) {
			const { id, record } = entry;
			// Verified by an earlier batch already (set twice by peers): kept then.
			if (!this.#valid.has(id)) {
				slice.kept.push({ id, text: JSON.stringify(record) });
				slice.verified.push(entry);
				this.#arrived.set(id, this.#now());
			}
			this.#valid.set(id, record);
			// Overwritten while it was being verified, or valid but not canonical: put back.
			if (!sameCanonical(this.#map.get(id), record)) slice.restore.push(id);
		}
		rejections.forEach((rejection, index) => {
			const signer = signers[index] ?? null;
			slice.junk.push({ rejection, signer });
			if (this.#fromLaterVersion(rejection, values.get(rejection.id), signer)) return;
			this.#sortJunk(rejection.id, values.get(rejection.id), slice);
		});
	}

	/**
	 * A record of a type this version does not know, exactly as an active member's device signed it: a
	 * later version of the app wrote it (a new area). It is counted like junk here but left in the
	 * map, so devices that already run the later version keep it and this one reads it once
	 * updated. Removing it would make devices of two versions undo each other's work; a member who
	 * floods with such records is named on the Integrity page like any other signer of junk.
	 */
	#fromLaterVersion(rejection: Rejection, value: unknown, signer: string | null): boolean {
		if (signer === null || rejection.reason !== 'invalid-shape') return false;
		if (rejection.detail !== 'type: out-of-range') return false;
		const type = (value as { type?: unknown }).type;
		if (typeof type !== 'string' || !RECORD_TYPE_FORM.test(type)) return false;
		return memberOfDevice(this.#projector.snapshot(), signer)?.status === 'active';
	}

	/** Junk under a key the vault holds is replaced by the record; other junk is removed. */
	#sortJunk(key: string, value: unknown, slice: SliceResult): void {
		if (this.#valid.has(key)) slice.restore.push(key);
		else slice.remove.push([key, value]);
	}

	/** Applies one slice: repairs the map, keeps valid records, counts junk. */
	#apply(slice: SliceResult, remove: boolean): void {
		this.#restore(slice.restore, remove ? slice.remove : []);
		this.#keep(slice.kept);
		if (slice.junk.length === 0) return;
		this.#junk = addJunk(this.#junk, slice.junk);
		// `state` shows it at once; listeners (the UI) hear of it a few times a second at most.
		this.#state = null;
		this.#ledgerSave ??= setTimeout(() => this.#saveLedger(), LEDGER_SAVE_MS);
		this.#junkNotice ??= setTimeout(() => {
			this.#junkNotice = null;
			this.#changed();
		}, JUNK_NOTICE_MS);
	}

	/** Moves the clock past the latest record seen, unless that record comes from the future. */
	#follow(records: readonly VerifiedRecord[]): void {
		let latest: string | null = null;
		for (const { record } of records) if (latest === null || record.at > latest) latest = record.at;
		const remote = latest === null ? undefined : parseHlc(latest);
		if (remote === undefined) return;
		try {
			this.#clock = receive(this.#clock, remote, this.#now());
		} catch (error) {
			// A stamp far ahead is still judged like any other; our clock just does not follow it.
			if (!(error instanceof ClockDriftError)) throw error;
		}
	}

	#keep(records: readonly VaultRecord[]): void {
		if (records.length === 0) return;
		this.#vault.putRecords(records).catch((error: unknown) => this.#vaultFailed(error));
	}

	/** Writes the junk ledger (one row, replaced), after the writes before it. */
	#saveLedger(): void {
		this.#ledgerSave = null;
		const ledger = this.#junk;
		this.#ledgerWrite = this.#ledgerWrite
			.then(() => this.#vault.putJunk(ledger))
			.catch((error: unknown) => this.#vaultFailed(error));
	}

	#vaultFailed(error: unknown): void {
		console.warn('The vault could not be written', error);
		this.#vaultHealthy = false;
		this.#changed();
	}

	/** Keeps this device's own records, on disk before it resolves; false if that failed. */
	async #keepDurably(records: readonly VaultRecord[]): Promise<boolean> {
		try {
			await this.#vault.putRecords(records, true);
			return true;
		} catch (error) {
			this.#vaultFailed(error);
			return false;
		}
	}

	#changed(): void {
		this.#state = null;
		for (const listener of this.#listeners) listener();
		this.#scheduleDue();
	}

	/** Sets a timer for when the earliest record from the future is due, to judge it again. */
	#scheduleDue(): void {
		if (this.#dueTimer !== null) clearTimeout(this.#dueTimer);
		this.#dueTimer = null;
		const due = this.#projector.nextDue();
		if (due === null || this.#closed) return;
		// Timers cap at about 24.8 days; a later record is looked at again then.
		const wait = Math.min(Math.max(0, due - this.#now()) + 1, 2 ** 31 - 1);
		this.#dueTimer = setTimeout(() => {
			this.#dueTimer = null;
			if (this.#projector.advance()) this.#changed();
			else this.#scheduleDue();
		}, wait);
	}
}

import type * as Y from 'yjs';
import type { SigningKey } from '$lib/crypto/keys';
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
import type { Rejection } from '$lib/domain/kernel/reasons';
import { CoopProjector, type CoopState } from '$lib/domain/coop-state';
import type { RecordVault, VaultRecord, VaultRejection } from '$lib/storage/vault';
import { jsonText } from './json-text';

/**
 * The bridge between a co-op's `Y.Map('records')` and the trust layer.
 *
 * - Open: the vault's records count as verified (no signature is checked again) and the roster is
 *   projected from them: that is all the UI waits for. The document may still be loading from
 *   disk meanwhile (`docLoaded`); once it has, the map is compared with the vault (what is missing
 *   or altered is put back) and its other entries are verified.
 * - Every change to the map is judged: new entries are verified, then go to the vault and the
 *   roster; junk is remembered with its reason. An entry the vault holds that a peer deleted or
 *   overwrote is put back at once, in a transaction of its own (`RESTORE_ORIGIN`).
 * - Commands write through `write`: drafts are stamped with the session's clock, signed with the
 *   device key and set in one Yjs transaction.
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
	readonly roster: CoopState;
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

/** Rejections of values longer than this are not cached: they fail before any hashing anyway. */
const MAX_CACHED_TEXT = 8192;

/**
 * Whether a value of the map is the JSON value `expected` (a verified record), key order aside.
 * Comparing in place avoids writing out the text of every entry on open (100,000 records take
 * about 150 ms to stringify). Anything but plain objects, arrays and primitives differs.
 */
function sameJson(value: unknown, expected: unknown): boolean {
	if (value === expected) return true;
	if (typeof value !== 'object' || value === null) return false;
	if (typeof expected !== 'object' || expected === null) return false;
	if (Array.isArray(expected)) {
		if (!Array.isArray(value) || value.length !== expected.length) return false;
		return expected.every((item, index) => sameJson(value[index], item));
	}
	if (Object.getPrototypeOf(value) !== Object.prototype) return false;
	const actual = value as Record<string, unknown>;
	const keys = Object.keys(expected);
	if (Object.keys(actual).length !== keys.length) return false;
	return keys.every(
		(key) =>
			Object.hasOwn(actual, key) &&
			sameJson(actual[key], (expected as Record<string, unknown>)[key])
	);
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
	/** Id -> JSON text of the junk rejected under that id. */
	readonly #rejected = new Map<string, string>();
	readonly #listeners = new Set<() => void>();
	#clock: Hlc = ZERO_CLOCK;
	#queue: Promise<void> = Promise.resolve();
	#restored = 0;
	#vaultHealthy = true;
	#state: RecordsState | null = null;
	#closed = false;
	/** Resolves once the document is loaded and its entries judged; see `loaded`. */
	#loaded: Promise<void> = Promise.resolve();
	/** Ends the wait for a document that is still loading when the session closes. */
	#stopWaiting: () => void = () => {};
	/** Id -> when a record first reached this device in this session (not the vault's at open). */
	readonly #arrived = new Map<string, number>();
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
	settled(): Promise<void> {
		return this.#queue;
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
		const kept = signed.map(({ id, record }) => ({ id, text: JSON.stringify(record) }));
		for (const { id, record } of signed) this.#valid.set(id, record);
		for (const { id } of signed) this.#arrived.set(id, this.#now());
		this.#doc.transact(() => {
			for (const { id, record } of signed) this.#map.set(id, record);
		}, WRITE_ORIGIN);
		this.#projector.add(verified);
		this.#changed();
		this.#keep(kept, []);
		return { ok: true, ids: signed.map(({ id }) => id) };
	}

	async close(): Promise<void> {
		this.#closed = true;
		this.#stopWaiting();
		if (this.#dueTimer !== null) clearTimeout(this.#dueTimer);
		this.#map.unobserve(this.#observe);
		this.#listeners.clear();
		await this.#queue;
		await this.#vault.close();
	}

	async #start(docLoaded: Promise<void> | undefined): Promise<void> {
		// Handled from the start: the document may fail while the vault is still being read.
		const loading = docLoaded?.catch((error: unknown) => {
			// The map is then whatever peers bring; the vault's records are put back into it.
			console.warn('The stored document could not be loaded', error);
		});
		const { records, rejections } = await this.#vault.load();
		const fromDisk: VerifiedRecord[] = [];
		for (const [id, value] of records) {
			// The same record may have been kept twice; it is one record.
			if (this.#valid.has(id)) continue;
			const entry = trustVaultRecord(id, value);
			this.#valid.set(id, entry.record);
			fromDisk.push(entry);
		}
		this.#follow(fromDisk);
		this.#projector.add(fromDisk);
		const cached: Rejection[] = [];
		for (const { id, text, rejection } of rejections) {
			if (this.#valid.has(id)) continue;
			this.#rejected.set(id, text);
			cached.push(rejection);
		}
		this.#projector.reject(cached);
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

	/** Compares the loaded map with the vault, starts following it, and judges its new entries. */
	async #attach(): Promise<void> {
		if (this.#closed) return;
		// Synchronous from here to `observe`, so no change of the map can slip between the two.
		const missing = new Set(this.#valid.keys());
		const fresh: Array<[string, unknown]> = [];
		const restore: string[] = [];
		this.#map.forEach((value, key) => {
			missing.delete(key);
			this.#sort(key, value, fresh, restore);
		});
		this.#restore([...restore, ...missing]);
		this.#map.observe(this.#observe);
		this.#changed();
		await this.#judgeNow(fresh);
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
			if (!this.#map.has(key)) {
				if (this.#valid.has(key)) restore.push(key);
				continue;
			}
			this.#sort(key, this.#map.get(key), fresh, restore);
		}
		this.#restore(restore);
		this.#judge(fresh);
	};

	/** Decides what an entry needs: nothing, to be put back, or to be verified. */
	#sort(key: string, value: unknown, fresh: Array<[string, unknown]>, restore: string[]): void {
		const valid = this.#valid.get(key);
		if (valid !== undefined) {
			if (!sameJson(value, valid)) restore.push(key);
			return;
		}
		const text = jsonText(value);
		if (text !== null && this.#rejected.get(key) === text) return;
		fresh.push([key, value]);
	}

	/** Puts back records the vault holds, as they were. */
	#restore(ids: readonly string[]): void {
		if (ids.length === 0 || this.#closed) return;
		this.#doc.transact(() => {
			for (const id of ids) {
				const record = this.#valid.get(id);
				if (record !== undefined) this.#map.set(id, record);
			}
		}, RESTORE_ORIGIN);
		this.#restored += ids.length;
		this.#changed();
	}

	/** Verifies entries in the background, one batch after another. */
	#judge(entries: ReadonlyArray<[string, unknown]>): void {
		if (entries.length === 0) return;
		void this.#enqueue(() => this.#judgeNow(entries));
	}

	async #judgeNow(entries: ReadonlyArray<[string, unknown]>): Promise<void> {
		if (entries.length === 0 || this.#closed) return;
		const texts = new Map(entries.map(([key, value]) => [key, jsonText(value)]));
		const { verified, rejections } = await this.#verify(entries, this.#coopId, {
			knownValid: (id) => this.#valid.has(id)
		});
		if (this.#closed) return;
		const kept: VaultRecord[] = [];
		const restore: string[] = [];
		for (const { id, record } of verified) {
			// Verified by an earlier batch already (set twice by peers): kept then.
			if (!this.#valid.has(id)) {
				kept.push({ id, text: texts.get(id) ?? JSON.stringify(record) });
				this.#arrived.set(id, this.#now());
			}
			this.#valid.set(id, record);
			this.#rejected.delete(id);
			// Overwritten while it was being verified: the verified value is the one to keep.
			if (!sameJson(this.#map.get(id), record)) restore.push(id);
		}
		const junk: VaultRejection[] = [];
		for (const rejection of rejections) {
			const text = texts.get(rejection.id) ?? null;
			if (this.#valid.has(rejection.id) || text === null) continue;
			this.#rejected.set(rejection.id, text);
			if (text.length <= MAX_CACHED_TEXT) junk.push({ id: rejection.id, text, rejection });
		}
		this.#follow(verified);
		this.#projector.add(verified);
		this.#projector.reject(rejections);
		this.#restore(restore);
		this.#changed();
		this.#keep(kept, junk);
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

	#keep(records: readonly VaultRecord[], rejections: readonly VaultRejection[]): void {
		Promise.all([this.#vault.putRecords(records), this.#vault.putRejections(rejections)]).catch(
			(error: unknown) => {
				console.warn('The vault could not be written', error);
				this.#vaultHealthy = false;
				this.#changed();
			}
		);
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

import type { ReasonCode, Rejection } from './reasons';
import { VERIFY_REASONS } from './reasons';

/**
 * What a device remembers of the junk it found in a co-op's record map: counts, not entries.
 *
 * A member with the room key can write 100,000 junk entries in one go; keeping one row (or one
 * list item) per entry made the vault grow without bound and the Integrity page take seconds to
 * open. The ledger keeps counts per reason and per signer, a count of junk nobody can be held to,
 * and a short sample of the latest rejections: its size does not depend on the flood's.
 *
 * A signer is known only when the entry is exactly what its author signed (its key is the hash of
 * its canonical bytes, and the signature holds) and yet it fails: an honest app never signs such a
 * record, so its author made the junk. Anything else (a forged or missing signature, a valid record
 * of someone else stored under another key) is "unattributed": a replayer could frame an honest
 * member with it, so the ledger names nobody for it.
 */

/** Latest rejections kept as a sample, newest first. */
export const JUNK_SAMPLE = 100;
/** Distinct signers counted by name; junk of any further one is counted under `otherSigners`. */
export const JUNK_SIGNERS = 100;
/** Longest id or detail echoed in the sample (a key may be megabytes long). */
const MAX_ECHO = 100;

export interface JunkLedger {
	/** Every junk entry judged on this device. */
	readonly total: number;
	readonly byReason: Readonly<Partial<Record<ReasonCode, number>>>;
	/** Junk signed by each device key (see above), for up to `JUNK_SIGNERS` keys. */
	readonly bySigner: Readonly<Record<string, number>>;
	/** Signed junk by keys past the first `JUNK_SIGNERS`. */
	readonly otherSigners: number;
	/** Junk that cannot be attributed: unsigned, forged, or not what its signer signed. */
	readonly unattributed: number;
	/** The latest rejections, newest first, ids and details cut to a readable length. */
	readonly recent: readonly Rejection[];
}

/** One junk entry as judged: why, and who signed it if anyone provably did. */
export interface JunkItem {
	readonly rejection: Rejection;
	readonly signer: string | null;
}

export const EMPTY_LEDGER: JunkLedger = Object.freeze({
	total: 0,
	byReason: Object.freeze({}),
	bySigner: Object.freeze({}),
	otherSigners: 0,
	unattributed: 0,
	recent: Object.freeze([])
});

const cut = (text: string | null): string | null =>
	text === null || text.length <= MAX_ECHO ? text : `${text.slice(0, MAX_ECHO)}…`;

/** A rejection small enough to keep: what an attacker chose (id, detail) is cut short. */
function echo(rejection: Rejection): Rejection {
	return Object.freeze({
		...rejection,
		id: cut(rejection.id) ?? '',
		detail: cut(rejection.detail)
	});
}

/** The ledger with `items` counted; `ledger` is not changed. */
export function addJunk(ledger: JunkLedger, items: readonly JunkItem[]): JunkLedger {
	if (items.length === 0) return ledger;
	const byReason: Partial<Record<ReasonCode, number>> = { ...ledger.byReason };
	const bySigner: Record<string, number> = { ...ledger.bySigner };
	let otherSigners = ledger.otherSigners;
	let unattributed = ledger.unattributed;
	let signers = Object.keys(bySigner).length;
	for (const { rejection, signer } of items) {
		byReason[rejection.reason] = (byReason[rejection.reason] ?? 0) + 1;
		if (signer === null) {
			unattributed++;
		} else if (Object.hasOwn(bySigner, signer)) {
			bySigner[signer]! += 1;
		} else if (signers < JUNK_SIGNERS) {
			bySigner[signer] = 1;
			signers++;
		} else {
			otherSigners++;
		}
	}
	const latest = items
		.slice(-JUNK_SAMPLE)
		.reverse()
		.map((item) => echo(item.rejection));
	const recent = [...latest, ...ledger.recent].slice(0, JUNK_SAMPLE);
	return Object.freeze({
		total: ledger.total + items.length,
		byReason: Object.freeze(byReason),
		bySigner: Object.freeze(bySigner),
		otherSigners,
		unattributed,
		recent: Object.freeze(recent)
	});
}

/** Signers by how much junk they wrote, most first. */
export function signersByCount(ledger: JunkLedger): ReadonlyArray<readonly [string, number]> {
	return Object.entries(ledger.bySigner).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Reasons by count, most first. */
export function reasonsByCount(ledger: JunkLedger): ReadonlyArray<readonly [ReasonCode, number]> {
	return (Object.entries(ledger.byReason) as Array<[ReasonCode, number]>).sort(
		(a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)
	);
}

const count = (value: unknown): number =>
	typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;

const shortText = (value: unknown, max: number): string | null =>
	typeof value === 'string' && value.length <= max ? value : null;

const REASONS: ReadonlySet<string> = new Set(VERIFY_REASONS);

function readRejection(value: unknown): Rejection | null {
	if (typeof value !== 'object' || value === null) return null;
	const row = value as Record<string, unknown>;
	const id = shortText(row.id, MAX_ECHO + 1);
	if (id === null || typeof row.reason !== 'string' || !REASONS.has(row.reason)) return null;
	return Object.freeze({
		id,
		reason: row.reason as ReasonCode,
		type: shortText(row.type, MAX_ECHO),
		author: shortText(row.author, MAX_ECHO),
		at: shortText(row.at, MAX_ECHO),
		detail: shortText(row.detail, MAX_ECHO + 1)
	});
}

/**
 * A ledger read back from storage, checked field by field: a damaged row gives what it can
 * (counts it cannot read are zero), never an error.
 */
export function readLedger(value: unknown): JunkLedger {
	if (typeof value !== 'object' || value === null) return EMPTY_LEDGER;
	const row = value as Record<string, unknown>;
	const table = (field: unknown, keep: (key: string) => boolean, cap: number) => {
		if (typeof field !== 'object' || field === null) return {};
		const entries = Object.entries(field).filter(([key]) => keep(key));
		return Object.fromEntries(entries.slice(0, cap).map(([key, n]) => [key, count(n)]));
	};
	const recent = Array.isArray(row.recent) ? row.recent.slice(0, JUNK_SAMPLE) : [];
	return Object.freeze({
		total: count(row.total),
		byReason: Object.freeze(table(row.byReason, (key) => REASONS.has(key), REASONS.size)),
		bySigner: Object.freeze(table(row.bySigner, (key) => key.length <= MAX_ECHO, JUNK_SIGNERS)),
		otherSigners: count(row.otherSigners),
		unattributed: count(row.unattributed),
		recent: Object.freeze(recent.map(readRejection).filter((entry) => entry !== null))
	});
}

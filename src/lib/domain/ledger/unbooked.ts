import { firstNotBefore } from '../kernel/sorted';
import type { CompletedWork } from '../work/queries';
import { completionLog, jobPlace, type JobView, type WorkView } from '../work/view';
import { payableMember } from './earnings';
import { bookingLog, partKey, type Booking, type BookingLog, type LedgerView } from './view';

/**
 * Work not yet in the books: the parts of completed jobs with pay that no income in force pays.
 * Kept up to date rather than worked out again: for each pair of folds (the work area's and the
 * ledger's), an index takes in the completions and the bookings (see `BookingLog`) the views
 * added since it last looked, so one new record costs what it changes plus a copy of the list,
 * not a pass over every job and transaction. Both logs are only ever appended to, so an index
 * reads a pair of views in the order the folds made them; a pair read again after later ones (an
 * older state) is worked out in full, as is a view built by hand. See docs/ledger.md, "Completed
 * work in the books".
 */

/** A member's part of a completed job whose pay the books do not hold yet. */
export interface UnbookedWork {
	readonly job: JobView;
	readonly member: string;
	readonly minutes: number;
	readonly endedAt: number;
}

/** Latest first, then by job id, then by member (one part per member of a job). */
function before(
	a: { readonly endedAt: number; readonly job: string; readonly member: string },
	b: { readonly endedAt: number; readonly job: string; readonly member: string }
): number {
	if (a.endedAt !== b.endedAt) return b.endedAt - a.endedAt;
	if (a.job !== b.job) return a.job < b.job ? -1 : 1;
	return a.member < b.member ? -1 : a.member > b.member ? 1 : 0;
}

/** The list worked out from the whole of both views. */
export function unbookedScan(work: WorkView, ledger: LedgerView): UnbookedWork[] {
	const booked = new Set<string>();
	for (const transaction of ledger.transactions) {
		if (transaction.source !== 'entry' || transaction.kind !== 'income') continue;
		if (transaction.ref === '' || transaction.reversedBy !== null) continue;
		for (const { account } of transaction.postings) {
			const member = payableMember(account);
			if (member !== null) booked.add(partKey(transaction.ref, member));
		}
	}
	const out: UnbookedWork[] = [];
	for (const job of work.jobs) {
		if (job.pay === 0) continue;
		for (const assignee of job.assignees) {
			if (assignee.done === null || booked.has(partKey(job.id, assignee.member))) continue;
			out.push({
				job,
				member: assignee.member,
				minutes: assignee.done.minutes,
				endedAt: assignee.done.endedAt
			});
		}
	}
	return out.sort((a, b) => before({ ...a, job: a.job.id }, { ...b, job: b.job.id }));
}

/** A part of a paid job, completed. */
interface Part {
	readonly key: string;
	readonly endedAt: number;
	readonly job: string;
	readonly member: string;
	readonly row: CompletedWork;
	/** The job's place in the views' `jobs` (the same in every view of the fold), once looked up. */
	place: number;
	/** Its line as last given out, remade when the job's view changes. */
	line: UnbookedWork | null;
}

/** The place of `part` in `parts` (sorted by `before`), or where it would go. */
function placeOf(parts: readonly Part[], part: Part): number {
	return firstNotBefore(parts, (other) => before(other, part) < 0);
}

/**
 * Rows taken in at once beyond which (and beyond a quarter of the list) the list is made and
 * sorted again rather than kept row by row: each row kept in place moves the list's tail.
 */
const BULK = 16;

/** The list for one pair of folds, taking in what their logs added since it last looked. */
class Index {
	#work = 0;
	#books = 0;
	/** Part key -> how many income entries in force book it. */
	readonly #booked = new Map<string, number>();
	/** Part key -> the completed part of a paid job. */
	readonly #parts = new Map<string, Part>();
	/** The parts not booked, sorted by `before`. */
	readonly #open: Part[] = [];
	/** True while taking in many rows: the list is made again after, not kept row by row. */
	#bulk = false;
	#last: {
		readonly work: WorkView;
		readonly ledger: LedgerView;
		readonly out: readonly UnbookedWork[];
	} | null = null;

	/** The list for these views, or null if they are older than what the index took in. */
	read(
		work: WorkView,
		completions: { readonly rows: readonly CompletedWork[]; readonly upTo: number },
		ledger: LedgerView,
		bookings: BookingLog
	): readonly UnbookedWork[] | null {
		const last = this.#last;
		if (last?.work === work && last.ledger === ledger) return last.out;
		if (completions.upTo < this.#work || bookings.upTo < this.#books) return null;
		// Many rows at once (the first read): counted first, then the list sorted once.
		const rows = completions.upTo - this.#work + bookings.upTo - this.#books;
		this.#bulk = rows > BULK && rows > this.#open.length / 4;
		for (; this.#work < completions.upTo; this.#work++) {
			this.#completed(completions.rows[this.#work]!);
		}
		for (; this.#books < bookings.upTo; this.#books++) this.#booking(bookings.rows[this.#books]!);
		if (this.#bulk) {
			this.#open.length = 0;
			for (const part of this.#parts.values()) {
				if (!this.#booked.has(part.key)) this.#open.push(part);
			}
			this.#open.sort(before);
		}
		const out: UnbookedWork[] = [];
		for (const part of this.#open) {
			if (part.place < 0) part.place = jobPlace(work, part.job);
			const job = work.jobs[part.place]!;
			if (part.line?.job !== job) {
				part.line = Object.freeze({
					job,
					member: part.member,
					minutes: part.row.minutes,
					endedAt: part.endedAt
				});
			}
			out.push(part.line);
		}
		Object.freeze(out);
		this.#last = { work, ledger, out };
		return out;
	}

	#completed(row: CompletedWork): void {
		if (row.kind !== 'job' || row.pay === 0) return;
		const key = partKey(row.item, row.member);
		// A member completes their part of a job once (the fold refuses a second time).
		if (this.#parts.has(key)) return;
		const part: Part = {
			key,
			endedAt: row.endedAt,
			job: row.item,
			member: row.member,
			row,
			place: -1,
			line: null
		};
		this.#parts.set(key, part);
		if (!this.#bulk && !this.#booked.has(key))
			this.#open.splice(placeOf(this.#open, part), 0, part);
	}

	#booking({ part: key, change }: Booking): void {
		const was = this.#booked.get(key) ?? 0;
		const now = was + change;
		if (now === 0) this.#booked.delete(key);
		else this.#booked.set(key, now);
		const part = this.#parts.get(key);
		if (part === undefined || this.#bulk) return;
		if (was === 0 && now > 0) this.#open.splice(placeOf(this.#open, part), 1);
		else if (was > 0 && now === 0) this.#open.splice(placeOf(this.#open, part), 0, part);
	}
}

/** Per work fold's completions, per ledger fold's bookings: their index. */
const indexes = new WeakMap<readonly CompletedWork[], WeakMap<readonly Booking[], Index>>();

/**
 * The parts of completed jobs with pay that no income in force pays yet: an income entry
 * pointing at the job (`ref`) and crediting the member's payable, not reversed. Latest first
 * (by when the work ended), then by job id, then by member. A reversed income puts the part back
 * on the list, to be recorded again.
 */
export function unbookedWork(work: WorkView, ledger: LedgerView): readonly UnbookedWork[] {
	const completions = completionLog(work);
	const bookings = bookingLog(ledger);
	if (completions === null || bookings === null) return unbookedScan(work, ledger);
	let byBooks = indexes.get(completions.rows);
	if (byBooks === undefined) indexes.set(completions.rows, (byBooks = new WeakMap()));
	let index = byBooks.get(bookings.rows);
	if (index === undefined) byBooks.set(bookings.rows, (index = new Index()));
	return index.read(work, completions, ledger, bookings) ?? unbookedScan(work, ledger);
}

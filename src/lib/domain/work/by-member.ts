import type { WorkFold } from './fold';
import type { CompletedWork } from './queries';
import type { JobDraft, SignupDraft } from './state';

/**
 * The work area's per-member index: each member's completed work and what they hold and have not
 * done, kept up to date as the fold moves. A new completion adds one row to its member's list; a
 * job or sign-up that changes is looked at again on its own (the fold lists them: `touched`,
 * `touchedSignups`). So a page showing one member's figures reads that member's entries, never
 * every job of the co-op. Built once per fold (a checkpoint's copy starts its own).
 */

/** A job assigned to a member, or a shift they signed up for, not done yet. */
export interface HeldItem {
	readonly kind: 'job' | 'shift';
	/** The job's id or the sign-up's. */
	readonly id: string;
	readonly title: string;
	readonly startsAt: number;
	/** The job's expected minutes; the occurrence's length for a shift. */
	readonly minutes: number;
	readonly pay: number;
}

/** One member's work at one version of the fold. */
export interface MemberWork {
	/** Their completed parts of jobs and shifts (mentoring left out), in the order completed. */
	readonly completed: readonly CompletedWork[];
	/**
	 * Jobs assigned to them and not done (the job neither cancelled nor completed), and shifts
	 * they signed up for and still hold; in no particular order.
	 */
	readonly held: readonly HeldItem[];
}

/** Every member's work at one version of the fold. */
export interface WorkIndex {
	of(member: string): MemberWork;
}

const NONE: readonly never[] = Object.freeze([]);

interface Row {
	/** Its place in the fold's completions: an index made earlier ignores rows after its own. */
	readonly position: number;
	readonly row: CompletedWork;
}

/** An index as a version of the fold saw it: rows before `upTo`, the held lists of that time. */
class Snapshot implements WorkIndex {
	readonly #rows: ReadonlyMap<string, readonly Row[]>;
	readonly #upTo: number;
	readonly #held: ReadonlyMap<string, readonly HeldItem[]>;

	constructor(
		rows: ReadonlyMap<string, readonly Row[]>,
		upTo: number,
		held: ReadonlyMap<string, readonly HeldItem[]>
	) {
		this.#rows = rows;
		this.#upTo = upTo;
		this.#held = held;
	}

	of(member: string): MemberWork {
		const rows = this.#rows.get(member) ?? NONE;
		// Rows are appended in fold order: those a later version added are at the end.
		let end = rows.length;
		while (end > 0 && rows[end - 1]!.position >= this.#upTo) end--;
		const completed: CompletedWork[] = [];
		for (let index = 0; index < end; index++) completed.push(rows[index]!.row);
		return { completed, held: this.#held.get(member) ?? NONE };
	}
}

/** The index of one fold, taking in what the fold added since it last looked. */
class Tracker {
	/** Member -> their completed work, in fold order (only ever appended to). */
	readonly #rows = new Map<string, Row[]>();
	#completions = 0;
	#jobs = -1;
	#signups = -1;
	/** Member -> what they hold; each list is replaced, never changed, once an index shares it. */
	#held = new Map<string, readonly HeldItem[]>();
	/** Item id -> the members holding it now. */
	readonly #holders = new Map<string, readonly string[]>();
	#changed = true;
	/** The held lists as the last index given out has them. */
	#heldNow: ReadonlyMap<string, readonly HeldItem[]> = new Map();
	#upTo = -1;
	#last: Snapshot | null = null;

	update(fold: WorkFold): WorkIndex {
		for (; this.#completions < fold.completions.length; this.#completions++) {
			const row = fold.completions[this.#completions]!;
			if (row.kind === 'mentoring') continue;
			const rows = this.#rows.get(row.member);
			const entry = { position: this.#completions, row };
			if (rows === undefined) this.#rows.set(row.member, [entry]);
			else rows.push(entry);
		}
		if (this.#jobs < 0) {
			// First sight of this fold: every job and sign-up it holds.
			for (const job of fold.jobs.values()) this.#job(job);
			for (const signup of fold.signups.values()) this.#signup(fold, signup);
		} else {
			for (const id of new Set(fold.touched.slice(this.#jobs))) this.#job(fold.jobs.get(id)!);
			for (const id of new Set(fold.touchedSignups.slice(this.#signups))) {
				this.#signup(fold, fold.signups.get(id)!);
			}
		}
		this.#jobs = fold.touched.length;
		this.#signups = fold.touchedSignups.length;
		if (this.#changed) {
			// A copy of the map (not of the lists): an index given out before keeps its own.
			this.#heldNow = new Map(this.#held);
			this.#changed = false;
			this.#last = null;
		}
		if (this.#last === null || this.#upTo !== this.#completions) {
			this.#last = new Snapshot(this.#rows, this.#completions, this.#heldNow);
			this.#upTo = this.#completions;
		}
		return this.#last;
	}

	#job(job: JobDraft): void {
		const open = job.cancelled === null && job.completedAt === null;
		const members = open
			? job.assignees.filter((assignee) => assignee.done === null).map((a) => a.member)
			: [];
		this.#hold(job.id, members, {
			kind: 'job',
			id: job.id,
			title: job.title,
			startsAt: job.startsAt,
			minutes: job.minutes,
			pay: job.pay
		});
	}

	#signup(fold: WorkFold, signup: SignupDraft): void {
		const live = signup.done === null && signup.released === null && signup.cancelled === null;
		this.#hold(signup.id, live ? [signup.member] : [], {
			kind: 'shift',
			id: signup.id,
			title: fold.shifts.get(signup.shift)?.title ?? '',
			startsAt: signup.startsAt,
			minutes: Math.round((signup.endsAt - signup.startsAt) / 60_000),
			pay: signup.pay
		});
	}

	/** Makes `members` the holders of an item, changing only the lists of those who moved. */
	#hold(id: string, members: readonly string[], item: HeldItem): void {
		const before = this.#holders.get(id) ?? NONE;
		if (before.length === 0 && members.length === 0) return;
		for (const member of before) {
			if (members.includes(member)) continue;
			const list = this.#held.get(member)!.filter((held) => held.id !== id);
			if (list.length === 0) this.#held.delete(member);
			else this.#held.set(member, Object.freeze(list));
			this.#changed = true;
		}
		const frozen = Object.freeze(item);
		for (const member of members) {
			if (before.includes(member)) continue;
			this.#held.set(member, Object.freeze([...(this.#held.get(member) ?? NONE), frozen]));
			this.#changed = true;
		}
		if (members.length === 0) this.#holders.delete(id);
		else this.#holders.set(id, members);
	}
}

const trackers = new WeakMap<WorkFold, Tracker>();

/** The per-member index of the fold as it stands. */
export function workIndexOf(fold: WorkFold): WorkIndex {
	let tracker = trackers.get(fold);
	if (tracker === undefined) trackers.set(fold, (tracker = new Tracker()));
	return tracker.update(fold);
}

/** An index of rows and held items listed in full (for a view not made from a fold). */
export function workIndexFrom(
	completed: readonly CompletedWork[],
	held: readonly { readonly member: string; readonly item: HeldItem }[]
): WorkIndex {
	const rows = new Map<string, Row[]>();
	completed.forEach((row, position) => {
		if (row.kind === 'mentoring') return;
		const list = rows.get(row.member);
		if (list === undefined) rows.set(row.member, [{ position, row }]);
		else list.push({ position, row });
	});
	const items = new Map<string, HeldItem[]>();
	for (const { member, item } of held) {
		const list = items.get(member);
		if (list === undefined) items.set(member, [item]);
		else list.push(item);
	}
	return new Snapshot(rows, completed.length, items);
}

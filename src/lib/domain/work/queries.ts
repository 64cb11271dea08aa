import { queryKey } from '../kernel/module';

/**
 * What the work area tells areas registered after it (the books, patronage): the work done, with
 * its pay and minutes, per member, so they can count it without reading the work area's state.
 */

/** One member's part of a job, or one shift sign-up, done. */
export interface CompletedWork {
	/** The job, the sign-up or the mentoring session. */
	readonly item: string;
	/** `mentoring`: a logged session, when the co-op counts mentoring as work (pay 0). */
	readonly kind: 'job' | 'shift' | 'mentoring';
	readonly member: string;
	readonly minutes: number;
	/** The member's pay for it, in minor units of the co-op's currency. */
	readonly pay: number;
	/** When the work ended, as the worker's device signed it (ms since the epoch). */
	readonly endedAt: number;
	/** The UTC month it ended in, `YYYY-MM`. */
	readonly period: string;
	/** The completion record. */
	readonly record: string;
}

/** Who worked on a job, as feedback on it needs to know. */
export interface JobTeam {
	/** True once every assignee completed their part. */
	readonly completed: boolean;
	/** Assignees who completed their part. */
	readonly members: readonly string[];
	/** Members who assigned it as dispatchers (under the `assign` rule). */
	readonly dispatchers: readonly string[];
}

export interface WorkQueries {
	/** Work that ended in [from, until) (ms since the epoch), in the order it was completed. */
	completedWork(from: number, until: number): CompletedWork[];
	/** The team of a job at this point of the order; `undefined` for no such job. */
	jobTeam(job: string): JobTeam | undefined;
}

export const WORK = queryKey<WorkQueries>('work');

/** Completed work per member per period: minutes and pay summed (a pure helper over the rows). */
export function workTotals(
	rows: readonly CompletedWork[]
): { member: string; period: string; minutes: number; pay: number; items: number }[] {
	const totals = new Map<
		string,
		{ member: string; period: string; minutes: number; pay: number; items: number }
	>();
	for (const row of rows) {
		const key = `${row.period} ${row.member}`;
		const total = totals.get(key) ?? {
			member: row.member,
			period: row.period,
			minutes: 0,
			pay: 0,
			items: 0
		};
		total.minutes += row.minutes;
		total.pay += row.pay;
		total.items++;
		totals.set(key, total);
	}
	return [...totals.values()].sort((a, b) =>
		a.period !== b.period
			? a.period < b.period
				? -1
				: 1
			: a.member < b.member
				? -1
				: a.member > b.member
					? 1
					: 0
	);
}

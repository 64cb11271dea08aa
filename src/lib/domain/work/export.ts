import { toCsv } from '../kernel/csv';
import { periodOf } from './calendar';
import { workTotals, type CompletedWork } from './queries';
import type { WorkView } from './view';

/**
 * Jobs and hours as CSV for a spreadsheet (`toCsv`). Times are ISO 8601 in UTC; pay in minor
 * units.
 */

const iso = (instant: number | null) => (instant === null ? '' : new Date(instant).toISOString());

/** One row per job and person holding it (one row with an empty member if nobody does). */
export function jobsCsv(view: WorkView): string {
	const header = [
		'job',
		'title',
		'client',
		'place',
		'starts',
		'ends',
		'status',
		'rule',
		'member',
		'minutes',
		'ended',
		'pay'
	];
	const rows: (string | number)[][] = [];
	for (const job of view.jobs) {
		const base = [job.id, job.title, job.client, job.place, iso(job.startsAt), iso(job.endsAt)];
		if (job.assignees.length === 0) {
			rows.push([...base, job.status, job.rule, '', '', '', job.pay]);
			continue;
		}
		for (const assignee of job.assignees) {
			rows.push([
				...base,
				job.status,
				job.rule,
				assignee.member,
				assignee.done?.minutes ?? '',
				iso(assignee.done?.endedAt ?? null),
				job.pay
			]);
		}
	}
	return toCsv(header, rows, ['title', 'client', 'place']);
}

/** Hours done per member and period (UTC month), with pay: from completed jobs and shifts. */
export function hoursCsv(work: readonly CompletedWork[]): string {
	const rows = workTotals(work).map((total) => [
		total.period,
		total.member,
		total.items,
		total.minutes,
		(total.minutes / 60).toFixed(2),
		total.pay
	]);
	return toCsv(['period', 'member', 'items', 'minutes', 'hours', 'pay'], rows, []);
}

/**
 * The work done as the view holds it: each completed part of a job and each completed sign-up,
 * in completion order (the same rows the `WORK` query gives the books).
 */
export function completedWorkOf(view: WorkView): CompletedWork[] {
	const rows: (CompletedWork & { readonly at: string })[] = [];
	for (const job of view.jobs) {
		for (const { member, done } of job.assignees) {
			if (done === null) continue;
			rows.push({
				item: job.id,
				kind: 'job',
				member,
				minutes: done.minutes,
				pay: job.pay,
				endedAt: done.endedAt,
				period: periodOf(done.endedAt),
				record: done.id,
				at: done.at
			});
		}
	}
	for (const signup of view.signups) {
		const done = signup.done;
		if (done === null) continue;
		rows.push({
			item: signup.id,
			kind: 'shift',
			member: signup.member,
			minutes: done.minutes,
			pay: signup.pay,
			endedAt: done.endedAt,
			period: periodOf(done.endedAt),
			record: done.id,
			at: done.at
		});
	}
	rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.record < b.record ? -1 : 1));
	return rows.map(({ at, ...row }) => (void at, row));
}

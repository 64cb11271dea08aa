import { toCsv } from '../kernel/csv';
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

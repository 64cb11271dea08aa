import type { ProposalInput } from '$lib/domain/governance/commands';
import type { CoopState } from '$lib/domain/coop-state';
import {
	assignDraft,
	availabilityDraft,
	claimDraft,
	completeDraft,
	jobDraft,
	signupDraft,
	shiftDraft,
	type JobInput,
	type ShiftInput
} from '$lib/domain/work/commands';
import type { AvailabilityBody } from '$lib/domain/work/records';
import type { JobView } from '$lib/domain/work/view';
import { MINUTE, projectWorld, proposalOf, type Device, type Entry, type World } from './fixtures';

/** Builders for the work area's tests: jobs, claims and decisions that set the work rules. */

export const HOUR = 60 * MINUTE;
/** Monday 6 January 2025, 00:00 UTC: jobs and shifts are laid out from here. */
export const MONDAY = Date.UTC(2025, 0, 6);

export function jobInput(overrides: Partial<JobInput> = {}): JobInput {
	return {
		title: 'Deliver bread',
		details: '',
		client: 'Corner shop',
		place: '1 Main Street',
		startsAt: MONDAY + 9 * HOUR,
		endsAt: MONDAY + 11 * HOUR,
		window: false,
		pay: 2500,
		skills: [],
		people: 1,
		...overrides
	};
}

export function shiftInput(overrides: Partial<ShiftInput> = {}): ShiftInput {
	return {
		title: 'Lunch service',
		details: 'Deliveries around the market',
		place: 'Market hall',
		weekdays: [1, 2, 3, 4, 5],
		startTime: '11:30',
		endTime: '14:30',
		timeZone: 'Europe/Paris',
		firstDate: '2025-01-06',
		lastDate: '',
		slots: 3,
		skills: [],
		pay: 3600,
		...overrides
	};
}

export async function postJob(
	world: World,
	device: Device,
	overrides: Partial<JobInput> = {},
	at?: string
): Promise<Entry> {
	return world.write(
		device,
		jobDraft(world.advance(at === undefined ? 1000 : 0).context(device, at), jobInput(overrides))
	);
}

/** A claim written without looking at a view (as a device that has the job, offline). */
export async function claim(
	world: World,
	device: Device,
	job: string,
	at?: string
): Promise<Entry> {
	return world.write(
		device,
		claimDraft(world.advance(at === undefined ? 1000 : 0).context(device, at), viewWith(job), {
			job,
			member: device.id
		})
	);
}

export async function assign(
	world: World,
	device: Device,
	job: string,
	members: readonly string[],
	at?: string
): Promise<Entry> {
	return world.write(
		device,
		assignDraft(world.advance(at === undefined ? 1000 : 0).context(device, at), viewWith(job, 50), {
			job,
			members
		})
	);
}

export async function complete(
	world: World,
	device: Device,
	state: CoopState,
	target: string,
	minutes: number,
	endedAt: number,
	at?: string
): Promise<Entry> {
	return world.write(
		device,
		completeDraft(world.advance(at === undefined ? 1000 : 0).context(device, at), state.work, {
			target,
			member: device.id,
			minutes,
			endedAt
		})
	);
}

export async function postShift(
	world: World,
	device: Device,
	overrides: Partial<ShiftInput> = {}
): Promise<Entry> {
	return world.write(
		device,
		shiftDraft(world.advance(1000).context(device), shiftInput(overrides))
	);
}

export async function signup(
	world: World,
	device: Device,
	shift: string,
	date: string
): Promise<Entry> {
	return world.write(device, signupDraft(world.advance(1000).context(device), { shift, date }));
}

export async function available(
	world: World,
	device: Device,
	body: AvailabilityBody
): Promise<Entry> {
	return world.write(device, availabilityDraft(world.advance(1000).context(device), body));
}

/**
 * A view holding only an open job with `places` free places: what a device that has the job
 * (and nothing else yet) checks a claim against.
 */
export function viewWith(job: string, places = 1): CoopState['work'] {
	const open: JobView = {
		...jobInput(),
		minutes: 120,
		endsAt: Number.MAX_SAFE_INTEGER,
		id: job,
		poster: '',
		at: '',
		rule: 'claim',
		status: 'open',
		freePlaces: places,
		offers: [],
		assignees: [],
		released: [],
		whys: [],
		startedAt: null,
		completedAt: null,
		cancelled: null
	};
	return { jobs: [open], shifts: [], signups: [], availability: [], fairness: [], hours: {} };
}

/** Passes a setting change: `author` proposes, `confirmer` agrees, the author closes. */
export async function decideSetting(
	world: World,
	author: Device,
	confirmer: Device,
	subject: string,
	value: string
): Promise<void> {
	const input: Partial<ProposalInput> = { action: 'setting', subject, value, kind: 'consent' };
	const proposal = await world.propose(author, input);
	world.advance(MINUTE);
	await world.vote(confirmer, proposal.id, [0]);
	world.advance(MINUTE);
	const { basis } = proposalOf(await projectWorld(world), proposal);
	await world.closeConfirmed(author, proposal.id, { ...basis, after: proposal.id });
	world.advance(MINUTE);
}

export function jobOf(state: CoopState, entry: Entry): JobView {
	const job = state.work.jobs.find((candidate) => candidate.id === entry.id);
	if (job === undefined) throw new Error(`No job ${entry.id}`);
	return job;
}

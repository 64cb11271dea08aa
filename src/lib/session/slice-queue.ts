import { nextTask } from '$lib/util/next-task';

/**
 * Runs long jobs a slice at a time, taking turns, and lets the event loop run between slices.
 *
 * A member can flood the record map with 100,000 entries in one transaction; judging them in one
 * go held the main thread for seconds, and an honest record that arrived just after waited for
 * all of them. Here each job (the entries of one change of the map) does one slice, a few ms of
 * work, then goes to the back of the line: a small job that arrives behind a flood waits for one
 * slice of it, not all of it. A flooder who splits a flood into many changes gets many turns,
 * but each of its slices is still short, so the page stays responsive.
 */

/** One job: `step` does a slice and says whether there is more to do. */
export interface SlicedJob {
	step(): Promise<boolean>;
}

/** Lets timers, input, rendering, storage and the network run (see `nextTask`). */
export const yieldToEventLoop = nextTask;

export class SliceQueue {
	readonly #jobs: SlicedJob[] = [];
	#running: Promise<void> | null = null;
	#stopped = false;

	/** Queues a job; it starts after the slices already queued. */
	add(job: SlicedJob): void {
		if (this.#stopped) return;
		this.#jobs.push(job);
		this.#running ??= this.#run();
	}

	/** Resolves once no job is left (jobs added meanwhile included). */
	async idle(): Promise<void> {
		while (this.#running !== null) await this.#running;
	}

	/** Drops every job; the slice under way finishes. */
	stop(): void {
		this.#stopped = true;
		this.#jobs.length = 0;
	}

	async #run(): Promise<void> {
		// Never finishes synchronously, so `add` always sees the run it started until it ends.
		await Promise.resolve();
		try {
			while (this.#jobs.length > 0) {
				const job = this.#jobs.shift()!;
				let more = false;
				try {
					more = await job.step();
				} catch (error) {
					// One failing job must not stop the others; what it left is judged on reopen.
					console.warn('Records could not be judged', error);
				}
				if (more && !this.#stopped) this.#jobs.push(job);
				if (this.#jobs.length > 0) await yieldToEventLoop();
			}
		} finally {
			this.#running = null;
		}
	}
}

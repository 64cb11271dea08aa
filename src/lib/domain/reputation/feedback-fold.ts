import type { Verified } from '../kernel/envelope';
import { wallOf, type Stamp } from '../kernel/hlc';
import {
	ACCEPTED,
	rejected,
	UnexpectedEffectError,
	UnexpectedWaitError,
	type AreaFold,
	type FoldContext,
	type Outcome,
	type Settled,
	type Use,
	type Wait
} from '../kernel/module';
import { WORK, type WorkQueries } from '../work/queries';
import { summarise, type FeedbackQueries, type FeedbackSummary } from './queries';
import type { Criterion, FeedbackRecord } from './records';

/**
 * The feedback rules, in (at, id) order: feedback on a member's part of a completed job, by
 * another member who completed theirs or by a dispatcher who assigned it, once per author,
 * job and member; feedback rounds, answered by other members (once each) while the round is
 * open by the answer's stamp. Hiding answers until the close is the view's courtesy, not a rule
 * of the fold: the records are readable by anyone holding the room key. See docs/skills.md.
 */

export interface Feedback {
	readonly id: string;
	readonly job: string;
	readonly member: string;
	readonly by: string;
	/** True if the author was the job's dispatcher rather than a teammate. */
	readonly dispatcher: boolean;
	readonly scores: { readonly [C in Criterion]: number };
	readonly comment: string;
	readonly at: Stamp;
}

export interface Answer {
	readonly id: string;
	readonly by: string;
	readonly text: string;
	readonly at: Stamp;
}

export interface Round {
	readonly id: string;
	readonly by: string;
	readonly question: string;
	readonly closesAt: number;
	readonly at: Stamp;
	/** In order; replaced, never changed in place. */
	readonly answers: readonly Answer[];
}

const join = (...parts: string[]) => parts.join('\n');

export class FeedbackFold implements AreaFold, FeedbackQueries {
	version = 0;
	/** In fold order. */
	readonly feedback: Feedback[];
	/** `job \n member \n author` of each piece given. */
	readonly #given: Set<string>;
	readonly rounds: Map<string, Round>;
	readonly #work: WorkQueries;

	constructor(use: Use, from?: FeedbackFold) {
		this.#work = use(WORK);
		this.version = from?.version ?? 0;
		this.feedback = [...(from?.feedback ?? [])];
		this.#given = new Set(from === undefined ? [] : from.#given);
		this.rounds = new Map(from?.rounds);
	}

	clone(use: Use): FeedbackFold {
		return new FeedbackFold(use, this);
	}

	apply(entry: Verified<FeedbackRecord>, author: string | null, context: FoldContext): Outcome {
		const outcome = this.#judge(entry, author!, context);
		if (outcome.kind === 'accepted') this.version++;
		return outcome;
	}

	settle(wait: Wait): Settled {
		throw new UnexpectedWaitError(`feedback waits only through the kernel (${wait.on})`);
	}

	effect(effect: { readonly type: string }): boolean {
		throw new UnexpectedEffectError(`feedback applies no effect (${effect.type})`);
	}

	feedbackSummary(member: string): FeedbackSummary {
		return summarise(member, this.feedback);
	}

	#judge(entry: Verified<FeedbackRecord>, member: string, context: FoldContext): Outcome {
		const { record } = entry;
		switch (record.type) {
			case 'rep.feedback':
				return context.after(record.job) ?? this.#feedback(entry.id, record, member);
			case 'rep.round':
				this.rounds.set(entry.id, {
					id: entry.id,
					by: member,
					question: record.question,
					closesAt: record.closesAt,
					at: record.at,
					answers: []
				});
				return ACCEPTED;
			case 'rep.answer':
				return context.after(record.round) ?? this.#answer(entry.id, record, member);
			default:
				return record satisfies never;
		}
	}

	#feedback(id: string, record: FeedbackRecord<'rep.feedback'>, by: string): Outcome {
		const team = this.#work.jobTeam(record.job);
		if (team === undefined) return rejected('unknown-item', 'names no job');
		if (record.member === by) return rejected('self-feedback');
		if (!team.completed) return rejected('job-not-done');
		if (!team.members.includes(record.member)) return rejected('not-on-job', 'about');
		const teammate = team.members.includes(by);
		const dispatcher = team.dispatchers.includes(by);
		if (!teammate && !dispatcher) return rejected('not-on-job');
		const key = join(record.job, record.member, by);
		if (this.#given.has(key)) return rejected('duplicate', 'feedback already given');
		this.#given.add(key);
		this.feedback.push({
			id,
			job: record.job,
			member: record.member,
			by,
			dispatcher: !teammate,
			scores: record.scores,
			comment: record.comment,
			at: record.at
		});
		return ACCEPTED;
	}

	#answer(id: string, record: FeedbackRecord<'rep.answer'>, by: string): Outcome {
		const round = this.rounds.get(record.round);
		if (round === undefined) return rejected('unknown-item', 'names no round');
		if (round.by === by) return rejected('own-round');
		if (wallOf(record.at) >= round.closesAt) return rejected('round-closed');
		if (round.answers.some((answer) => answer.by === by)) {
			return rejected('duplicate', 'already answered');
		}
		this.rounds.set(round.id, {
			...round,
			answers: [...round.answers, { id, by, text: record.text, at: record.at }]
		});
		return ACCEPTED;
	}
}

/**
 * What other areas ask of the work area: a mentoring session was logged. The work area counts
 * it as work hours of both members of the pair when the co-op decided so
 * (`mentoringCountsAsWork`, read at the session's place in the order); see `WorkFold.effect`.
 */
export interface WorkEffect {
	readonly type: 'work.mentoring';
	/** The session record. */
	readonly session: string;
	/** The mentor and the mentee. */
	readonly members: readonly string[];
	readonly minutes: number;
	/** When it ended, ms since the epoch. */
	readonly endedAt: number;
}

export const WORK_EFFECTS = ['work.mentoring'] as const satisfies readonly WorkEffect['type'][];

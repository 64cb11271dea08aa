import { wallOf } from '$lib/domain/kernel/hlc';

/** The moment (ms since the epoch) a record stamp stands for, to show as a date. */
export function stampTime(stamp: string): number {
	return wallOf(stamp);
}

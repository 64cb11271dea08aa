import type { KernelFold } from './fold';
import type { Rejection } from './reasons';

/**
 * What was checked and what did not count. `checked = accepted + rejected + pending`.
 * Both lists are sorted by record id, so two devices with the same records show the same report.
 */
export interface IntegrityReport {
	readonly checked: number;
	readonly accepted: number;
	readonly rejected: number;
	readonly pending: number;
	readonly rejections: readonly Rejection[];
	/** Records waiting for something they depend on, with what they wait for. */
	readonly waiting: readonly Rejection[];
}

const byId = (a: Rejection, b: Rejection): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The report of a fold, with the entries that failed verification (which never reach it). */
export function integrityOf(
	fold: KernelFold,
	verifyRejections: readonly Rejection[]
): IntegrityReport {
	const settled = fold.settle();
	const rejections = [...verifyRejections, ...fold.rejections, ...settled.rejected].sort(byId);
	const waiting = settled.pending.sort(byId);
	return {
		checked: fold.accepted + rejections.length + waiting.length,
		accepted: fold.accepted,
		rejected: rejections.length,
		pending: waiting.length,
		rejections,
		waiting
	};
}

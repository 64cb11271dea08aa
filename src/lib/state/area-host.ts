import type { CoopState } from '$lib/domain/coop-state';
import type { Member } from '$lib/domain/membership/view';
import type { DraftBuilder, WriteResult } from '$lib/session/signed-records';

/** What an area's pages need from the open co-op: its state, who I am, and a way to write. */
export interface AreaHost {
	/** Reactive: reading it in an effect or template re-runs when records change. */
	roster(): CoopState;
	me(): Member | null;
	write(...builders: readonly DraftBuilder[]): Promise<WriteResult>;
}

import { createSubscriber } from 'svelte/reactivity';
import type { CoopSession } from '$lib/session/coop-session';
import type { SyncStatus } from '$lib/sync/sync-status';
import { diffText } from '$lib/util/text-diff';

export type { SyncStatus };

/** One open co-op as the UI sees it: plain values that update when the document changes. */
export class CoopView {
	readonly #session: CoopSession;
	readonly #notesChanged: () => void;
	#status = $state<SyncStatus>() as SyncStatus;
	#saved = $state(true);
	readonly #stops: Array<() => void>;

	constructor(session: CoopSession) {
		this.#session = session;
		const notes = session.notes;
		this.#notesChanged = createSubscriber((update) => {
			notes.observe(update);
			return () => notes.unobserve(update);
		});
		this.#stops = [
			session.sync.subscribe((status) => (this.#status = status)),
			session.persistence.onSavedChange((saved) => (this.#saved = saved))
		];
	}

	get id(): string {
		return this.#session.coop.id;
	}

	get name(): string {
		return this.#session.coop.name;
	}

	get roomKey(): string {
		return this.#session.coop.roomKey;
	}

	get notes(): string {
		this.#notesChanged();
		return this.#session.notes.toJSON();
	}

	get status(): SyncStatus {
		return this.#status;
	}

	/** Whether everything typed is written to this device, safe from a closed tab or a reload. */
	get saved(): boolean {
		return this.#saved;
	}

	/** Records what the member typed as the smallest edit to the shared text, in one transaction. */
	editNotes(value: string): void {
		const text = this.#session.notes;
		const edit = diffText(text.toJSON(), value);
		if (!edit) return;
		this.#session.doc.transact(() => {
			if (edit.remove > 0) text.delete(edit.index, edit.remove);
			if (edit.insert) text.insert(edit.index, edit.insert);
		});
	}

	async close(): Promise<void> {
		for (const stop of this.#stops) stop();
		await this.#session.close();
	}
}

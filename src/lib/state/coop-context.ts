import { getContext, setContext } from 'svelte';
import type { CoopView } from './coop.svelte';

/** The co-op open under `/coop/[id]`, as the pages below it see it. */
export interface OpenCoop {
	readonly view: CoopView;
}

const KEY = Symbol('ours-open-coop');

export function provideCoop(coop: OpenCoop): void {
	setContext(KEY, coop);
}

export function useCoop(): OpenCoop {
	return getContext<OpenCoop>(KEY);
}

import { queryKey } from '../kernel/module';
import type { GovernedSettings } from './values';

/** What the settings area tells other areas (the ledger asks who keeps the books, and the rates). */
export interface SettingsQueries {
	/** The co-op's currency (ISO 4217) as its genesis fixed it; `null` before the genesis. */
	currency(): string | null;
	/** The governed settings in force at this point of the fold. */
	governed(): GovernedSettings;
	/**
	 * The governed settings as decided before the wall time `wall` (ms since the epoch): the
	 * genesis's, then each decision taken before it.
	 */
	governedBefore(wall: number): GovernedSettings;
}

export const SETTINGS = queryKey<SettingsQueries>('settings');

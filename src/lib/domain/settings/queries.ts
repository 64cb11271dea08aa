import { queryKey } from '../kernel/module';
import type { GovernedSettings } from './values';

/** What the settings area tells other areas: the settings in force at this point of the order. */
export interface SettingsQueries {
	/** Every governed setting in force: the genesis's, then each decision's, in order. */
	governed(): GovernedSettings;
	/** ISO 4217 code of the co-op's currency (the genesis's, or the default before it). */
	currency(): string;
}

export const SETTINGS = queryKey<SettingsQueries>('settings');

import type { Stamp } from '../kernel/hlc';

/**
 * What other areas ask of the settings area: a passed decision changes a setting or adopts a
 * charter. Applied at the decision's place in the order; see `SettingsFold.effect`.
 */
export type SettingsEffect =
	| {
			readonly type: 'settings.change';
			/** A setting's key and new value, as the proposal carries them (text). */
			readonly key: string;
			readonly value: string;
			readonly at: Stamp;
			readonly proposal: string;
	  }
	| {
			readonly type: 'settings.charter';
			readonly text: string;
			readonly at: Stamp;
			readonly proposal: string;
	  };

export const SETTINGS_EFFECTS = [
	'settings.change',
	'settings.charter'
] as const satisfies readonly SettingsEffect['type'][];

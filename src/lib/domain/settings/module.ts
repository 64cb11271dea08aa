import { defineArea } from '../kernel/module';
import { SETTINGS_EFFECTS } from './effects';
import { SettingsFold } from './fold';
import { SETTINGS } from './queries';
import { SETTINGS_RECORDS, type SettingsBodies } from './records';

/** The settings area: the genesis, the governed settings and the charter. */
export const settingsArea = defineArea<SettingsBodies, SettingsFold>({
	name: 'settings',
	records: SETTINGS_RECORDS,
	effects: SETTINGS_EFFECTS,
	provides: [SETTINGS],
	create: () => new SettingsFold()
});

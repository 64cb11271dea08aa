import type { Stamp } from '../kernel/hlc';
import type { CharterVersion, SettingChange, SettingsFold } from './fold';
import type { CoopSettings, GovernedSettings } from './values';

export type { CharterVersion, SettingChange } from './fold';

/** The co-op as founded by its genesis record, with its name and settings as decided since. */
export interface CoopInfo {
	readonly id: string;
	readonly name: string;
	readonly created: number;
	/** The founder's member id. */
	readonly founder: string;
	readonly settings: CoopSettings;
	readonly at: Stamp;
	/** Id of the genesis record. */
	readonly genesisId: string;
}

/** The settings area's read model. */
export interface SettingsView {
	readonly coop: CoopInfo | null;
	/** Every governed setting in force: the genesis's, then each decision's, in order. */
	readonly settings: GovernedSettings;
	/** Adopted versions, oldest first; the last is in force. */
	readonly charter: readonly CharterVersion[];
	/** Oldest first. */
	readonly changes: readonly SettingChange[];
}

const views = new WeakMap<SettingsFold, { version: number; view: SettingsView }>();

/** The settings as the pages show them; built once per version of the fold. */
export function settingsView(fold: SettingsFold): SettingsView {
	const cached = views.get(fold);
	if (cached?.version === fold.version) return cached.view;
	const { founding } = fold;
	const settings = fold.governed();
	const view: SettingsView = {
		coop:
			founding === null
				? null
				: {
						id: founding.coop,
						name: settings.name,
						created: founding.created,
						founder: founding.founder,
						settings: {
							...founding.settings,
							inviteDays: settings.inviteDays,
							inviteMaxUses: settings.inviteMaxUses
						},
						at: founding.at,
						genesisId: founding.id
					},
		settings,
		// Copies: the view is frozen, and the fold goes on adding to its own lists.
		charter: fold.charter.map((version) => version),
		changes: fold.changes.map(({ change }) => change)
	};
	views.set(fold, { version: fold.version, view });
	return view;
}

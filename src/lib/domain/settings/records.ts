import { deriveCoopId } from '../kernel/coop-id';
import type { SignedUnion } from '../kernel/envelope';
import { format, integer, object, text, type Schema } from '../kernel/field-checks';
import { MAX_WALL } from '../kernel/hlc';
import { LIMITS } from '../kernel/limits';
import type { RecordKinds } from '../kernel/module';
import { id128, publicKey } from '../kernel/shape';
import type { CoopSettings } from './values';

/** The records of the settings area: the genesis, which founds the co-op. See docs/records.md. */

export interface GenesisBody {
	readonly name: string;
	/** Founding time, ms since the epoch. */
	readonly created: number;
	/** The founder's member id: equal to `author`. */
	readonly founder: string;
	/** Random salt that, with the founder's key, derives the co-op id. */
	readonly salt: string;
	readonly settings: CoopSettings;
}

export interface SettingsBodies {
	'coop.genesis': GenesisBody;
}

export type SettingsType = keyof SettingsBodies;
export type SettingsRecord<T extends SettingsType = SettingsType> = SignedUnion<SettingsBodies, T>;

const SETTINGS: Schema = {
	currency: format((value) => /^[A-Z]{3}$/.test(value), 3),
	locale: format((value) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value), LIMITS.locale),
	inviteDays: integer(1, LIMITS.inviteDays),
	inviteMaxUses: integer(1, LIMITS.inviteUses)
};

export const SETTINGS_RECORDS: RecordKinds<SettingsBodies> = {
	'coop.genesis': {
		body: {
			name: text({ min: 1, max: LIMITS.coopName }),
			created: integer(0, MAX_WALL),
			founder: publicKey,
			salt: id128,
			settings: object(SETTINGS)
		},
		// Nobody is a member before the genesis: it founds the co-op and its first member.
		author: 'any',
		cross: (draft) =>
			draft.founder === draft.author ? null : { field: 'founder', problem: 'mismatch' },
		proof: async (record, coopId) =>
			(await deriveCoopId(record.author, record.salt)) === coopId ? null : 'wrong-coop'
	}
};

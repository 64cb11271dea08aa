import { LIMITS } from '../kernel/limits';

/**
 * The co-op's settings, in one place: those fixed at founding (the genesis record's `settings`)
 * and those decisions change (name, invite defaults, work rules). A governed setting starts from
 * the genesis (name, invite defaults) or from `DEFAULT_GOVERNED`, and each passed decision about
 * it replaces it. See docs/governance.md, "Actions".
 */

/** Co-op-wide defaults fixed at founding, as the genesis record carries them. */
export interface CoopSettings {
	/** ISO 4217 code of the co-op's currency. */
	readonly currency: string;
	/** BCP 47 tag of the co-op's working language. */
	readonly locale: string;
	/** Default lifetime of a new invite, in days. */
	readonly inviteDays: number;
	/** Default number of uses of a new invite. */
	readonly inviteMaxUses: number;
}

/** Settings of a new co-op where the founder has not chosen otherwise. */
export const DEFAULT_SETTINGS: CoopSettings = Object.freeze({
	currency: 'EUR',
	locale: 'en',
	inviteDays: 7,
	inviteMaxUses: 1
});

/** How jobs find a member (used by the work layer). */
export const ASSIGNMENT_RULES = ['claim', 'rotation', 'assign'] as const;
export type AssignmentRule = (typeof ASSIGNMENT_RULES)[number];

/** The co-op's settings that decisions change. */
export interface GovernedSettings {
	/** The co-op's name. */
	readonly name: string;
	/** Default lifetime of a new invite, in days. */
	readonly inviteDays: number;
	/** Default number of uses of a new invite. */
	readonly inviteMaxUses: number;
	/** The co-op's share of each job payment, in basis points (1/100 of a percent). */
	readonly jobShare: number;
	readonly assignmentRule: AssignmentRule;
	/** Members who assign jobs under the `assign` rule (member ids, ascending). */
	readonly dispatchers: readonly string[];
	/** Most hours a member may take on in one week (jobs and shifts); 0 for no limit. */
	readonly maxWeeklyHours: number;
}

export type SettingKey = keyof GovernedSettings;
export const SETTING_KEYS = [
	'name',
	'inviteDays',
	'inviteMaxUses',
	'jobShare',
	'assignmentRule',
	'dispatchers',
	'maxWeeklyHours'
] as const satisfies readonly SettingKey[];

/** Settings a co-op has until a decision changes them (name and invites come from its genesis). */
export const DEFAULT_GOVERNED = {
	jobShare: 0,
	assignmentRule: 'claim',
	dispatchers: [] as readonly string[],
	maxWeeklyHours: 0
} as const;

/** Most dispatchers a co-op names. */
export const MAX_DISPATCHERS = 20;

/** A member id: 43 base64url characters (an Ed25519 public key). */
const MEMBER_ID = /^[A-Za-z0-9_-]{43}$/;

/** Longest charter, in code points. */
export const MAX_CHARTER = 20_000;

/** True for the name of a governed setting. */
export function isSettingKey(key: string): key is SettingKey {
	return (SETTING_KEYS as readonly string[]).includes(key);
}

/**
 * A setting's new value, as a proposal carries it (text), made into the change it makes to the
 * settings; `undefined` if it is not a valid value of that setting. Numbers are written in plain
 * decimal digits.
 */
export function settingPatch(
	key: SettingKey,
	value: string
): Partial<GovernedSettings> | undefined {
	const integer = (min: number, max: number) => {
		if (!/^(0|[1-9][0-9]{0,5})$/.test(value)) return undefined;
		const n = Number(value);
		return n >= min && n <= max ? n : undefined;
	};
	const patch = <K extends SettingKey>(k: K, parsed: GovernedSettings[K] | undefined) =>
		parsed === undefined ? undefined : ({ [k]: parsed } as Pick<GovernedSettings, K>);
	switch (key) {
		case 'name': {
			const length = [...value].length;
			const ok = length > 0 && length <= LIMITS.coopName && !value.includes('\n');
			return patch(key, ok ? value : undefined);
		}
		case 'inviteDays':
			return patch(key, integer(1, 365));
		case 'inviteMaxUses':
			return patch(key, integer(1, 100));
		case 'jobShare':
			return patch(key, integer(0, 10_000));
		case 'assignmentRule':
			return patch(
				key,
				ASSIGNMENT_RULES.find((rule) => rule === value)
			);
		case 'dispatchers': {
			// Member ids separated by single spaces, in ascending order (so one list has one text).
			if (value === '') return patch(key, []);
			const ids = value.split(' ');
			const ok =
				ids.length <= MAX_DISPATCHERS &&
				ids.every((id, index) => MEMBER_ID.test(id) && (index === 0 || ids[index - 1]! < id));
			return patch(key, ok ? ids : undefined);
		}
		case 'maxWeeklyHours':
			return patch(key, integer(0, 168));
		default:
			return key satisfies never;
	}
}

/** The value of a setting as a proposal carries it, or `undefined` if it is not valid. */
export function parseSetting(
	key: SettingKey,
	value: string
): GovernedSettings[SettingKey] | undefined {
	return settingPatch(key, value)?.[key];
}

import { isPublicKey } from '$lib/crypto/keys';
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

/** Who may record in the books: any active member, or only the treasurers the co-op named. */
export const BOOKKEEPING_RULES = ['any', 'treasurers'] as const;
export type BookkeepingRule = (typeof BOOKKEEPING_RULES)[number];

/** What a member's patronage is measured in: hours worked, pay earned, or hours weighted. */
export const PATRONAGE_BASES = ['hours', 'pay', 'weighted'] as const;
export type PatronageBasis = (typeof PATRONAGE_BASES)[number];

/** Most treasurers a co-op names. */
export const MAX_TREASURERS = 10;

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
	/** Who may record in the books (see docs/ledger.md). */
	readonly bookkeeping: BookkeepingRule;
	/** Member ids of the treasurers, ascending; they keep the books under `treasurers`. */
	readonly treasurers: readonly string[];
	/** What patronage is measured in; the basis in force when a period starts is the one used. */
	readonly patronageBasis: PatronageBasis;
	/** Share of the patronage surplus put into the reserve, in basis points. */
	readonly patronageReserve: number;
	/** Share of each member's allocation paid in cash, in basis points (at least 20%). */
	readonly patronageCash: number;
	/** Members who assign jobs under the `assign` rule (member ids, ascending). */
	readonly dispatchers: readonly string[];
	/** Most hours a member may take on in one week (jobs and shifts); 0 for no limit. */
	readonly maxWeeklyHours: number;
	/**
	 * Endorsements by other active members a member needs on a skill to be qualified for work
	 * that requires it; 0: listing the skill is enough (see docs/skills.md).
	 */
	readonly endorsementsToQualify: number;
	/** Whether logged mentoring sessions count as work hours (for both members of the pair). */
	readonly mentoringCountsAsWork: boolean;
	/**
	 * Members who must co-sign a member's work record before it is offered for export (1 to
	 * `MAX_CO_SIGNERS`; never more than the other active members, see `coSignersNeeded`).
	 */
	readonly coSignersRequired: number;
}

export type SettingKey = keyof GovernedSettings;
export const SETTING_KEYS = [
	'name',
	'inviteDays',
	'inviteMaxUses',
	'jobShare',
	'assignmentRule',
	'bookkeeping',
	'treasurers',
	'patronageBasis',
	'patronageReserve',
	'patronageCash',
	'dispatchers',
	'maxWeeklyHours',
	'endorsementsToQualify',
	'mentoringCountsAsWork',
	'coSignersRequired'
] as const satisfies readonly SettingKey[];

/** Settings a co-op has until a decision changes them (name and invites come from its genesis). */
export const DEFAULT_GOVERNED = {
	jobShare: 0,
	assignmentRule: 'claim',
	bookkeeping: 'any',
	treasurers: [],
	patronageBasis: 'hours',
	patronageReserve: 0,
	patronageCash: 2000,
	dispatchers: [],
	maxWeeklyHours: 0,
	endorsementsToQualify: 0,
	mentoringCountsAsWork: false,
	coSignersRequired: 2
} as const satisfies Partial<GovernedSettings>;

/** Most endorsements a co-op can ask for before a member is qualified. */
export const MAX_ENDORSEMENTS_TO_QUALIFY = 20;

/** Most co-signers a co-op can require on a work record (as many as one request may ask). */
export const MAX_CO_SIGNERS = 8;

/**
 * Co-signers a member's record needs: the co-op's setting, but never more than the other active
 * members, who are all that could sign it (a co-op of three cannot require four).
 */
export function coSignersNeeded(settings: GovernedSettings, activeMembers: number): number {
	return Math.max(1, Math.min(settings.coSignersRequired, activeMembers - 1));
}

/** Most dispatchers a co-op names. */
export const MAX_DISPATCHERS = 20;

/** Longest charter, in code points. */
export const MAX_CHARTER = 20_000;

/** Settings whose value is a list of member ids. */
export const MEMBER_LIST_SETTINGS = ['treasurers', 'dispatchers'] as const satisfies SettingKey[];

/** Settings given in basis points (1/100 of a percent), which people read as percentages. */
export const PERCENT_SETTINGS = [
	'jobShare',
	'patronageReserve',
	'patronageCash'
] as const satisfies SettingKey[];

/** Most members a list setting names. */
export const MEMBER_LIST_MAX = {
	treasurers: MAX_TREASURERS,
	dispatchers: MAX_DISPATCHERS
} as const;

/** Characters of a list's text per member it names: an id (43) and room for a separator. */
const LIST_CHARS_PER_MEMBER = 50;
/** Digits of the longest number a setting takes. */
const NUMBER_DIGITS = 6;
const longest = (words: readonly string[]) => Math.max(...words.map((word) => word.length));

/**
 * The longest text a proposal may carry as each setting's value, in UTF-16 units: the form
 * allows as much as the setting does, and `settingPatch` refuses anything longer.
 */
export const SETTING_VALUE_MAX: Readonly<Record<SettingKey, number>> = Object.freeze({
	name: LIMITS.coopName * 2,
	inviteDays: NUMBER_DIGITS,
	inviteMaxUses: NUMBER_DIGITS,
	jobShare: NUMBER_DIGITS,
	assignmentRule: longest(ASSIGNMENT_RULES),
	bookkeeping: longest(BOOKKEEPING_RULES),
	treasurers: MAX_TREASURERS * LIST_CHARS_PER_MEMBER,
	patronageBasis: longest(PATRONAGE_BASES),
	patronageReserve: NUMBER_DIGITS,
	patronageCash: NUMBER_DIGITS,
	dispatchers: MAX_DISPATCHERS * LIST_CHARS_PER_MEMBER,
	maxWeeklyHours: NUMBER_DIGITS,
	endorsementsToQualify: NUMBER_DIGITS,
	mentoringCountsAsWork: longest(['yes', 'no']),
	coSignersRequired: NUMBER_DIGITS
});

/** A member-list setting's value as a proposal carries it: the ids, one per line. */
export function memberListValue(ids: readonly string[]): string {
	return [...new Set(ids)].sort().join('\n');
}

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
	if (value.length > SETTING_VALUE_MAX[key]) return undefined;
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
		case 'bookkeeping':
			return patch(
				key,
				BOOKKEEPING_RULES.find((rule) => rule === value)
			);
		case 'treasurers':
			return patch(key, memberList(value, MAX_TREASURERS));
		case 'patronageBasis':
			return patch(
				key,
				PATRONAGE_BASES.find((basis) => basis === value)
			);
		case 'patronageReserve':
			return patch(key, integer(0, 10_000));
		case 'patronageCash':
			return patch(key, integer(2000, 10_000));
		case 'dispatchers':
			return patch(key, memberList(value, MAX_DISPATCHERS));
		case 'maxWeeklyHours':
			return patch(key, integer(0, 168));
		case 'endorsementsToQualify':
			return patch(key, integer(0, MAX_ENDORSEMENTS_TO_QUALIFY));
		case 'mentoringCountsAsWork':
			return patch(key, value === 'yes' ? true : value === 'no' ? false : undefined);
		case 'coSignersRequired':
			return patch(key, integer(1, MAX_CO_SIGNERS));
		default:
			return key satisfies never;
	}
}

/**
 * A list of member ids as a proposal carries it (separated by spaces, commas or new lines), made
 * ascending and distinct; `undefined` if one is not a member id or there are too many.
 */
function memberList(value: string, max: number): readonly string[] | undefined {
	const ids = [...new Set(value.split(/[\s,]+/).filter((id) => id !== ''))].sort();
	if (ids.length > max || !ids.every((id) => isPublicKey(id))) return undefined;
	return ids;
}

/** The value of a setting as a proposal carries it, or `undefined` if it is not valid. */
export function parseSetting(
	key: SettingKey,
	value: string
): GovernedSettings[SettingKey] | undefined {
	return settingPatch(key, value)?.[key];
}

import { m } from '$lib/paraglide/messages.js';
import {
	parseSetting,
	type BookkeepingRule,
	type GovernedSettings,
	type PatronageBasis,
	type SettingKey
} from '$lib/domain/settings/values';
import { formatPercent } from '$lib/util/format';
import { translate } from './messages';

/**
 * A governed setting's value in plain words, as the Charter page and a proposal show it: names
 * for member ids, percentages for basis points, hours and days with their unit.
 */

const BOOKKEEPING: Record<BookkeepingRule, () => string> = {
	any: m.charter_bookkeeping_any,
	treasurers: m.charter_bookkeeping_treasurers
};

const BASES: Record<PatronageBasis, () => string> = {
	hours: m.charter_basis_hours,
	pay: m.charter_basis_pay,
	weighted: m.charter_basis_weighted
};

function names(ids: readonly string[], nameOf: (member: string) => string): string {
	return ids.length === 0 ? m.charter_value_nobody() : ids.map(nameOf).join(', ');
}

/** The words for one setting's value. */
export function settingText<K extends SettingKey>(
	key: K,
	value: GovernedSettings[K],
	nameOf: (member: string) => string
): string {
	const settings = { [key]: value } as Pick<GovernedSettings, K> as Partial<GovernedSettings>;
	switch (key) {
		case 'name':
			return settings.name!;
		case 'inviteDays':
			return m.charter_value_days({ count: settings.inviteDays! });
		case 'inviteMaxUses':
			return m.charter_value_uses({ count: settings.inviteMaxUses! });
		case 'jobShare':
			return formatPercent(settings.jobShare!);
		case 'patronageReserve':
			return formatPercent(settings.patronageReserve!);
		case 'patronageCash':
			return formatPercent(settings.patronageCash!);
		case 'assignmentRule':
			return translate(`rule_${settings.assignmentRule!}`);
		case 'bookkeeping':
			return BOOKKEEPING[settings.bookkeeping!]();
		case 'patronageBasis':
			return BASES[settings.patronageBasis!]();
		case 'treasurers':
			return names(settings.treasurers!, nameOf);
		case 'dispatchers':
			return names(settings.dispatchers!, nameOf);
		case 'maxWeeklyHours': {
			const hours = settings.maxWeeklyHours!;
			return hours === 0 ? m.charter_value_no_limit() : m.charter_value_hours({ count: hours });
		}
		case 'endorsementsToQualify':
			return m.charter_value_endorsements({ count: settings.endorsementsToQualify! });
		case 'mentoringCountsAsWork':
			return settings.mentoringCountsAsWork ? m.rep_yes() : m.rep_no();
		case 'coSignersRequired':
			return m.rep_value_co_signers({ count: settings.coSignersRequired! });
		default:
			return key satisfies never;
	}
}

/** A proposal's new value for a setting in plain words (as carried, if it is not a valid one). */
export function proposedSettingText(
	key: SettingKey,
	value: string,
	nameOf: (member: string) => string
): string {
	const parsed = parseSetting(key, value);
	return parsed === undefined ? value : settingText(key, parsed, nameOf);
}

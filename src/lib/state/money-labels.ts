import { parseAccount } from '$lib/domain/ledger/accounts';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { formatMoney } from '$lib/util/format';
import { translate } from './messages';

/** How the money pages write accounts, kinds of entries, amounts and hours. */

/** An account in words: "Bank", "Owed to Bo", "Bo's capital", "Expense: repairs". */
export function accountLabel(account: string, nameOf: (member: string) => string): string {
	const parsed = parseAccount(account);
	if (parsed === null) return account;
	if (parsed.member !== null) {
		const name = nameOf(parsed.member);
		return parsed.class === 'payable'
			? m.money_account_payable({ name })
			: m.money_account_capital({ name });
	}
	if (parsed.class === 'expense') {
		return m.money_account_expense({ category: account.slice('expense:'.length) });
	}
	return translate(`money_account_${account.replace(/[:-]/g, '_')}`, () => account);
}

/** A kind of transaction in words ("Income", "Expense"), a reversal's too. */
export function kindLabel(kind: string, reversal = false): string {
	const name = translate(`money_kind_${kind}`, () => kind);
	return reversal ? m.money_kind_reversal({ kind: name }) : name;
}

/** Minutes as hours in the member's locale ("1.5 hours", "1,5 heure"). */
export function formatHours(minutes: number): string {
	return new Intl.NumberFormat(getLocale(), {
		style: 'unit',
		unit: 'hour',
		unitDisplay: 'short',
		maximumFractionDigits: 2
	}).format(minutes / 60);
}

/** A booking date `YYYY-MM-DD` as the member's locale writes it. */
export function formatDay(date: string): string {
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
		new Date(`${date}T00:00:00Z`)
	);
}

/** A month `YYYY-MM` in short ("Jan 2025"). */
export function formatMonth(month: string): string {
	return new Intl.DateTimeFormat(getLocale(), {
		month: 'short',
		year: '2-digit',
		timeZone: 'UTC'
	}).format(new Date(`${month}-01T00:00:00Z`));
}

/** A rate in basis points as a percentage ("15%"). */
export function formatRate(basisPoints: number): string {
	return new Intl.NumberFormat(getLocale(), { style: 'percent', maximumFractionDigits: 2 }).format(
		basisPoints / 10_000
	);
}

/** An amount formatter for a currency. */
export function moneyFormat(currency: string, digits: number): (amount: number) => string {
	return (amount) => formatMoney(amount, currency, digits);
}

import type { AreaHost } from './area-host';
import type { CoopState } from '$lib/domain/coop-state';
import type { InputResult } from '$lib/domain/kernel/input-result';
import type { MoneyAccount } from '$lib/domain/ledger/accounts';
import {
	assertDraft,
	booksContext,
	capitalDraft,
	expenseDraft,
	incomeDraft,
	patronageDraft,
	payoutDraft,
	reverseDraft
} from '$lib/domain/ledger/commands';
import { ledgerCsv } from '$lib/domain/ledger/csv';
import {
	completedWorkOf,
	coopDashboard,
	memberDashboard,
	patronageUnitsOf,
	periodReport,
	unbookedWork,
	type CoopDashboard,
	type MemberDashboard,
	type PeriodReport,
	type UnbookedWork
} from '$lib/domain/ledger/dashboard';
import { isIsoDate, isoDateOf, startOfDate } from '$lib/domain/ledger/dates';
import { wallOf } from '$lib/domain/kernel/hlc';
import { parseAmount, toMajor } from '$lib/domain/ledger/money';
import type { PatronageUnits } from '$lib/domain/ledger/patronage';
import { mayKeepBooks } from '$lib/domain/ledger/rules';
import type { LedgerView } from '$lib/domain/ledger/view';
import {
	DEFAULT_GOVERNED,
	type GovernedSettings,
	type PatronageBasis
} from '$lib/domain/settings/values';
import type { CompletedWork } from '$lib/domain/work/queries';
import type { WorkView } from '$lib/domain/work/view';
import type { DraftBuilder } from '$lib/session/signed-records';

export type { CoopDashboard, LedgerView, MemberDashboard, PeriodReport, UnbookedWork };
export type { MoneyAccount };
export type {
	AccountBalance,
	AllocationView,
	AssertionView,
	PatronageNotice,
	TransactionView
} from '$lib/domain/ledger/view';
export { patronageNotice } from '$lib/domain/ledger/view';
export { splitSurplus, type PatronageUnits } from '$lib/domain/ledger/patronage';

type Result<T extends object = object> = InputResult<T>;

const completedByView = new WeakMap<WorkView, readonly CompletedWork[]>();

export interface IncomeInput {
	readonly date: string;
	readonly memo: string;
	readonly amount: string;
	readonly into: MoneyAccount;
	readonly client: string;
	readonly ref: string;
	/** The member whose work it pays, or '' for the co-op's own income. */
	readonly member: string;
	readonly source: 'jobs' | 'other';
}

export interface ExpenseInput {
	readonly date: string;
	readonly memo: string;
	readonly amount: string;
	readonly category: string;
	readonly paidBy: string;
	readonly counterparty: string;
}

export interface PayoutInput {
	readonly date: string;
	readonly memo: string;
	readonly amount: string;
	readonly member: string;
	readonly from: MoneyAccount;
}

export interface CapitalInput {
	readonly date: string;
	readonly memo: string;
	readonly amount: string;
	readonly member: string;
	readonly account: MoneyAccount;
	readonly direction: 'in' | 'out';
}

/** The co-op's books as the pages use them: the view, the forms' commands, the dashboards. */
export class Money {
	readonly #host: AreaHost;

	constructor(host: AreaHost) {
		this.#host = host;
	}

	get #state(): CoopState {
		return this.#host.roster();
	}

	get books(): LedgerView {
		return this.#state.ledger;
	}

	/** The co-op's currency (EUR until the genesis has synced). */
	get currency(): string {
		return this.books.currency ?? 'EUR';
	}

	get digits(): number {
		return this.books.digits;
	}

	get settings(): GovernedSettings {
		return this.#state.governance.settings;
	}

	/** Whether this member may record in the books under the co-op's settings. */
	get mayRecord(): boolean {
		const me = this.#host.me();
		return me !== null && mayKeepBooks(this.settings, me.id);
	}

	/** Today's date (UTC), a form's default booking date. */
	today(now = Date.now()): string {
		return isoDateOf(now);
	}

	/** The work done, from the work area's records (worked out once per version of its view). */
	get completed(): readonly CompletedWork[] {
		const work = this.#state.work;
		let rows = completedByView.get(work);
		if (rows === undefined) completedByView.set(work, (rows = completedWorkOf(work)));
		return rows;
	}

	/** Completed jobs with pay that the books do not hold yet. */
	get unbooked(): readonly UnbookedWork[] {
		return unbookedWork(this.#state.work, this.books);
	}

	/** This member's dashboard, or null for a device that is not a member's. */
	myDashboard(now = Date.now()): MemberDashboard | null {
		const me = this.#host.me();
		if (me === null) return null;
		return memberDashboard({
			ledger: this.books,
			work: this.#state.work,
			member: me.id,
			today: this.today(now),
			jobShare: this.settings.jobShare
		});
	}

	coopDashboard(now = Date.now()): CoopDashboard {
		return coopDashboard(this.books, this.today(now));
	}

	/** The books from `from` to `to`, for the printed report. */
	report(from: string, to: string): PeriodReport {
		return periodReport(this.books, from, to);
	}

	/** The ledger as CSV text. */
	csv(): string {
		return ledgerCsv(this.books);
	}

	/** Each member's patronage in a period, counted from the work done. */
	patronageUnits(from: string, to: string, basis: PatronageBasis): PatronageUnits[] {
		return patronageUnitsOf(this.completed, from, to, basis);
	}

	/** Checks a typed amount as the forms do: minor units, or the message key of the problem. */
	amount(text: string): { ok: true; amount: number } | { ok: false; messageKey: string } {
		const parsed = parseAmount(text, this.currency);
		return parsed.ok ? parsed : { ok: false, messageKey: `ledger_amount_${parsed.problem}` };
	}

	get #books() {
		const state = this.#state;
		return booksContext(
			state.members.map((member) => member.id),
			state.governance.settings.jobShare
		);
	}

	#write(builder: DraftBuilder): Promise<Result<{ readonly id: string }>> {
		return this.#host
			.write(builder)
			.then((result) => (result.ok ? { ok: true as const, id: result.ids[0]! } : result));
	}

	#refused(): Promise<Result<{ readonly id: string }>> {
		return Promise.resolve({ ok: false, field: '', messageKey: 'money_not_bookkeeper' });
	}

	recordIncome(input: IncomeInput): Promise<Result<{ readonly id: string }>> {
		if (!this.mayRecord) return this.#refused();
		const books = this.#books;
		const currency = this.currency;
		return this.#write((context) => incomeDraft(context, { ...input, currency }, books));
	}

	/** Records each completed job's pay in one step: a client's payment per member who did it. */
	async bookWork(
		parts: readonly UnbookedWork[],
		input: { readonly date: string; readonly into: MoneyAccount }
	): Promise<Result> {
		if (!this.mayRecord) return this.#refused();
		if (parts.length === 0) return { ok: true };
		const books = this.#books;
		const currency = this.currency;
		const digits = this.digits;
		return this.#host.write(
			...parts.map(
				(part): DraftBuilder =>
					(context) =>
						incomeDraft(
							context,
							{
								date: input.date,
								memo: part.job.title,
								amount: toMajor(part.job.pay, digits),
								currency,
								into: input.into,
								client: part.job.client,
								ref: part.job.id,
								member: part.member,
								source: 'jobs'
							},
							books
						)
			)
		);
	}

	recordExpense(input: ExpenseInput): Promise<Result<{ readonly id: string }>> {
		if (!this.mayRecord) return this.#refused();
		const books = this.#books;
		const currency = this.currency;
		return this.#write((context) => expenseDraft(context, { ...input, currency }, books));
	}

	recordPayout(input: PayoutInput): Promise<Result<{ readonly id: string }>> {
		if (!this.mayRecord) return this.#refused();
		const books = this.#books;
		const currency = this.currency;
		return this.#write((context) => payoutDraft(context, { ...input, currency }, books));
	}

	recordCapital(input: CapitalInput): Promise<Result<{ readonly id: string }>> {
		if (!this.mayRecord) return this.#refused();
		const books = this.#books;
		const currency = this.currency;
		return this.#write((context) => capitalDraft(context, { ...input, currency }, books));
	}

	reverse(entry: string, date: string, reason: string): Promise<Result<{ readonly id: string }>> {
		if (!this.mayRecord) return this.#refused();
		const books = this.books;
		return this.#write((context) => reverseDraft(context, { entry, date, reason }, books));
	}

	assert(account: string, date: string, balance: string): Promise<Result<{ readonly id: string }>> {
		if (!this.mayRecord) return this.#refused();
		const currency = this.currency;
		return this.#write((context) => assertDraft(context, { account, date, balance, currency }));
	}

	/** The patronage basis of a period starting on `from`: the one decided before it started. */
	basisFor(from: string): PatronageBasis {
		const start = isIsoDate(from) ? startOfDate(from) : Date.now();
		const change = this.#state.governance.settingChanges.findLast(
			(candidate) => candidate.key === 'patronageBasis' && wallOf(candidate.at) < start
		);
		return (change?.value as PatronageBasis | undefined) ?? DEFAULT_GOVERNED.patronageBasis;
	}

	/** Adopts the year's split: records the allocation computed with the rules in force. */
	adoptPatronage(input: {
		readonly from: string;
		readonly to: string;
		readonly date: string;
		readonly surplus: string;
		readonly units: readonly PatronageUnits[];
	}): Promise<Result<{ readonly id: string }>> {
		if (!this.mayRecord) return this.#refused();
		const { patronageReserve, patronageCash } = this.settings;
		const basis = this.basisFor(input.from);
		const currency = this.currency;
		return this.#write((context) =>
			patronageDraft(context, {
				...input,
				currency,
				basis,
				reserveRate: patronageReserve,
				cashRate: patronageCash
			})
		);
	}
}

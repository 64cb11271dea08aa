import type { Verified } from '../kernel/envelope';
import type { Stamp } from '../kernel/hlc';
import {
	ACCEPTED,
	rejected,
	UnexpectedWaitError,
	type AreaFold,
	type FoldContext,
	type Outcome,
	type Settled,
	type Wait
} from '../kernel/module';
import type { MembershipEffect } from '../membership/effects';
import type { SettingsEffect } from './effects';
import type { GenesisBody, SettingsRecord } from './records';
import type { SettingsQueries } from './queries';
import {
	DEFAULT_GOVERNED,
	DEFAULT_SETTINGS,
	isSettingKey,
	settingPatch,
	type GovernedSettings,
	type SettingKey
} from './values';

/**
 * The settings rules: the genesis founds the co-op (once), and passed decisions change settings
 * and adopt charters, in (at, id) order.
 */

/** The genesis, as applied. */
export interface Founding extends GenesisBody {
	readonly id: string;
	readonly at: Stamp;
	readonly coop: string;
}

/** A version of the charter, adopted by a decision. */
export interface CharterVersion {
	readonly text: string;
	readonly at: Stamp;
	/** The proposal that adopted it. */
	readonly proposal: string;
}

/** A setting changed by a decision. */
export interface SettingChange {
	readonly key: SettingKey;
	readonly value: GovernedSettings[SettingKey];
	readonly at: Stamp;
	readonly proposal: string;
}

export class SettingsFold implements AreaFold, SettingsQueries {
	version = 0;
	#governed: { readonly version: number; readonly settings: GovernedSettings } | null = null;
	founding: Founding | null = null;
	readonly charter: CharterVersion[];
	/** Each change, with what it changes in the settings. */
	readonly changes: { readonly change: SettingChange; readonly patch: Partial<GovernedSettings> }[];

	constructor(from?: SettingsFold) {
		this.version = from?.version ?? 0;
		this.founding = from?.founding ?? null;
		this.charter = [...(from?.charter ?? [])];
		this.changes = [...(from?.changes ?? [])];
	}

	clone(): SettingsFold {
		return new SettingsFold(this);
	}

	governed(): GovernedSettings {
		if (this.#governed?.version === this.version) return this.#governed.settings;
		const genesis = this.founding?.settings ?? DEFAULT_SETTINGS;
		let settings: GovernedSettings = {
			name: this.founding?.name ?? '',
			inviteDays: genesis.inviteDays,
			inviteMaxUses: genesis.inviteMaxUses,
			...DEFAULT_GOVERNED
		};
		for (const { patch } of this.changes) settings = { ...settings, ...patch };
		this.#governed = { version: this.version, settings };
		return settings;
	}

	currency(): string {
		return (this.founding?.settings ?? DEFAULT_SETTINGS).currency;
	}

	apply(entry: Verified<SettingsRecord>, _author: null, context: FoldContext): Outcome {
		const { record } = entry;
		switch (record.type) {
			case 'coop.genesis':
				return this.#genesis(entry, record, context);
			default:
				return record.type satisfies never;
		}
	}

	settle(wait: Wait): Settled {
		throw new UnexpectedWaitError(`The settings area never waits (${wait.on})`);
	}

	effect(effect: SettingsEffect): boolean {
		switch (effect.type) {
			case 'settings.change': {
				const { key, value, at, proposal } = effect;
				if (!isSettingKey(key) || this.founding === null) return false;
				const patch = settingPatch(key, value);
				if (patch === undefined) return false;
				this.changes.push({ change: { key, value: patch[key]!, at, proposal }, patch });
				break;
			}
			case 'settings.charter':
				this.charter.push({ text: effect.text, at: effect.at, proposal: effect.proposal });
				break;
			default:
				return effect satisfies never;
		}
		this.version++;
		return true;
	}

	#genesis(entry: Verified, record: SettingsRecord<'coop.genesis'>, context: FoldContext): Outcome {
		if (this.founding !== null) return rejected('duplicate', 'the co-op is already founded');
		const { name, created, founder, salt, settings, at, coop } = record;
		this.founding = { id: entry.id, name, created, founder, salt, settings, at, coop };
		const found: MembershipEffect = { type: 'member.found', member: record.author, at };
		context.emit(found);
		this.version++;
		return ACCEPTED;
	}
}

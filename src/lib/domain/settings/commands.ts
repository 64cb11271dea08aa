import { draftBuilder, line, type DraftContext, type DraftResultIn } from '../kernel/draft';
import { SETTINGS_RECORDS, type SettingsBodies } from './records';
import { DEFAULT_SETTINGS, type CoopSettings } from './values';

/** Builders of the settings area's drafts from what a member typed (see `draftBuilder`). */

const build = draftBuilder(SETTINGS_RECORDS);

/** The genesis of a new co-op; `coop` and `salt` come from `newCoopId(author)`. */
export function genesisDraft(
	context: DraftContext,
	input: {
		readonly name: string;
		readonly created: number;
		readonly salt: string;
		readonly settings?: Partial<CoopSettings>;
	}
): DraftResultIn<SettingsBodies, 'coop.genesis'> {
	return build('coop.genesis', context, {
		name: line(input.name),
		created: input.created,
		founder: context.author,
		salt: input.salt,
		settings: { ...DEFAULT_SETTINGS, ...input.settings }
	});
}

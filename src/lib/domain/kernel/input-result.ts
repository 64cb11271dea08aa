import type { Problem } from './field-checks';

/**
 * The one result of anything a member types or asks for (a form, a command): done, with what
 * it made, or refused, with the field at fault and the message key the UI shows for it.
 */

/** Why input was refused. */
export interface InputRefusal {
	readonly ok: false;
	/** The field at fault (dotted path), or '' for the input as a whole. */
	readonly field: string;
	/** e.g. `record_display_name_too_long`: a key of messages/en.json. */
	readonly messageKey: string;
	/** For a record field, what is wrong with it (the message key is made of field and problem). */
	readonly problem?: Problem;
}

/** Done (with `T`'s fields), or refused. */
export type InputResult<T extends object = object> = ({ readonly ok: true } & T) | InputRefusal;

import { codePoints, line, paragraph } from './text';
import { LIMITS } from './limits';

/** The limits of LIMITS that bound a text a member types, in code points. */
export type TextLimit =
	| 'coopName'
	| 'displayName'
	| 'bio'
	| 'contact'
	| 'proposalTitle'
	| 'proposalText'
	| 'tag'
	| 'reason'
	| 'comment'
	| 'memo'
	| 'counterparty'
	| 'jobTitle'
	| 'jobDetails'
	| 'client'
	| 'place'
	| 'skill'
	| 'endorsementNote'
	| 'goalNote'
	| 'sessionNote'
	| 'feedbackComment'
	| 'roundQuestion'
	| 'roundAnswer';

/** Past this share of its limit, a field shows how much it holds. */
export const COUNT_FROM = 0.8;

/** How full a field is, as the record it goes into will count it. */
export interface FieldLength {
	/** Code points of the text as the record will hold it. */
	readonly count: number;
	readonly max: number;
	/** Whether to show the count: near the limit or past it. */
	readonly near: boolean;
	/** Code points too many (0 within the limit). */
	readonly over: number;
}

/**
 * Measures `value` as the command will store it: normalised (NFC, trimmed, and for one line,
 * runs of whitespace folded) and counted in Unicode code points, so an emoji counts once and
 * the counter agrees with the check the record must pass.
 */
export function fieldLength(value: string, limit: TextLimit, multiline: boolean): FieldLength {
	const max = LIMITS[limit];
	const count = codePoints(multiline ? paragraph(value) : line(value));
	return { count, max, near: count > max * COUNT_FROM, over: Math.max(0, count - max) };
}

import { m } from '$lib/paraglide/messages.js';

type Message = () => string;

/**
 * The text of a message key produced outside the UI (draft problems such as
 * `record_display_name_too_long`, rejection reasons). Item indices in keys (`skills_3`) are
 * folded to `item`, and an unknown key falls back to a generic message rather than showing a code.
 */
export function translate(key: string, fallback: Message = m.record_invalid): string {
	const folded = key.replace(/_\d+_/g, '_item_');
	const message: unknown = (m as unknown as Record<string, unknown>)[folded];
	return typeof message === 'function' ? (message as Message)() : fallback();
}

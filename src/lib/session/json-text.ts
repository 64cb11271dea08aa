/**
 * The JSON text of a value from the shared map, or `null` if it has none. Peers can store values
 * JSON cannot write (a bigint throws, `undefined` has no text); those are junk, never an error.
 */
export function jsonText(value: unknown): string | null {
	try {
		const text: unknown = JSON.stringify(value);
		return typeof text === 'string' ? text : null;
	} catch {
		return null;
	}
}

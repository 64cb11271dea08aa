/**
 * One line per event on standard output, so `journalctl -u ours-peer` reads like a history:
 * time, co-op (shortened), event, details. The app's console rules keep `console.log` out of the
 * code, and a service's log wants plain lines anyway.
 */
export type Logger = (event: string, details?: Record<string, string | number>) => void;

export function logger(scope: string): Logger {
	return (event, details = {}) => {
		const fields = Object.entries(details).map(([key, value]) => `${key}=${String(value)}`);
		const line = [new Date().toISOString(), scope, event, ...fields].join(' ');
		process.stdout.write(`${line}\n`);
	};
}

/** A co-op id is long; its first characters tell co-ops apart in a log. */
export const shortId = (id: string): string => id.slice(0, 8);

import { pino } from 'pino';

/**
 * JSON lines on stdout. Writes are synchronous: the relay logs only rare events (never per
 * message, never a payload), and a line written just before exit must not be lost.
 * @param {import('pino').LevelWithSilent} level
 */
export function createLogger(level) {
	return pino(
		{
			name: 'ours-relay',
			level,
			timestamp: pino.stdTimeFunctions.isoTime
		},
		pino.destination({ dest: 1, sync: true })
	);
}

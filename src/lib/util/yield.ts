/** `scheduler.yield`, where the browser has it (Chromium 129 and later). */
const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;

/**
 * Lets timers, input and rendering run (a resolved promise would not). Where the browser can,
 * the work goes on as soon as they have, ahead of other tasks (`scheduler.yield`); elsewhere in
 * a new task, which after a few in a row the browser delays by 4 ms.
 */
export const yieldToEventLoop = (): Promise<void> =>
	typeof scheduler?.yield === 'function'
		? scheduler.yield()
		: new Promise((resolve) => setTimeout(resolve, 0));

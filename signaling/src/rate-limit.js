/**
 * A token bucket: `burst` tokens to start with, refilled at `rate` tokens per second, one taken
 * per frame. It lets a client send its subscriptions and announcements in one burst on connect,
 * and still bounds what any connection can make the relay do per second.
 */
export class TokenBucket {
	/**
	 * @param {number} rate Tokens added per second.
	 * @param {number} burst Capacity.
	 * @param {number} now Current time in milliseconds.
	 */
	constructor(rate, burst, now) {
		this.rate = rate / 1000;
		this.burst = burst;
		this.tokens = burst;
		this.last = now;
	}

	/**
	 * Takes one token.
	 * @param {number} now Current time in milliseconds; a clock that never goes back.
	 * @returns {boolean} false when the bucket is empty.
	 */
	take(now) {
		const tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.rate);
		this.last = now;
		if (tokens < 1) {
			this.tokens = tokens;
			return false;
		}
		this.tokens = tokens - 1;
		return true;
	}
}

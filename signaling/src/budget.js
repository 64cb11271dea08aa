/**
 * Fan-out budgets. The per-connection rate limit bounds frames in, but one frame in a topic of a
 * thousand subscribers is a thousand writes out: twenty connections each under the rate limit
 * can ask the relay for gigabytes per second and starve everyone. So the relay also bounds the
 * work publishes cause, counted as delivered bytes (each delivery as its size plus a fixed cost
 * for the write), per topic and per remote address.
 *
 * Each budget is a token bucket of delivered bytes: `rate` per second, holding at most
 * `burstSeconds` worth. When demand exceeds it, the heaviest publishers are refused first: a publish is
 * admitted only while the bucket holds more than a reserve that grows with its publisher's recent
 * demand, from nearly nothing for a peer sending a few signals to half the bucket for one asking
 * for far more than the whole budget. Under a flood the bucket then hovers around the reserve of
 * the flooders, which light, honest publishers are always above.
 */

/** Bytes a delivery counts for on top of its frame: the fixed cost of one write. */
export const deliveryOverhead = 128;

/**
 * Seconds of budget a bucket holds: room for the burst of signaling when a peer joins a large
 * room, and, under a flood, the half of it that only light publishers reach.
 */
const burstSeconds = 2;

/** A publisher's demand is what it asked for over about the last second. */
const demandWindowMs = 1000;

/** What one publisher asked the relay to deliver recently: an exponentially decaying sum. */
export class Demand {
	#sum = 0;
	#at = 0;

	/**
	 * Records a publish, admitted or not (a refused flooder stays heavy), and returns the
	 * publisher's recent demand.
	 * @param {number} cost Bytes the publish would deliver.
	 * @param {number} now Milliseconds, from a clock that never goes back.
	 * @returns {number} Bytes per second.
	 */
	add(cost, now) {
		this.#sum = this.#sum * Math.exp((this.#at - now) / demandWindowMs) + cost;
		this.#at = now;
		return (this.#sum * 1000) / demandWindowMs;
	}
}

/** @typedef {{ tokens: number, at: number }} Bucket */

/** One budget per key (a topic, or a remote address), all with the same rate. */
export class FanoutBudget {
	/** @type {Map<string, Bucket>} */
	#buckets = new Map();

	/** @param {number} rate Delivered bytes per second per key; 0 for no budget. */
	constructor(rate) {
		this.rate = rate;
		this.burst = rate * burstSeconds;
	}

	/**
	 * The bucket's level now (without taking anything).
	 * @param {string} key
	 * @param {number} now
	 */
	#level(key, now) {
		const bucket = this.#buckets.get(key);
		if (!bucket) return this.burst;
		return Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.rate) / 1000);
	}

	/**
	 * Whether `key` can take a publish from a publisher whose recent demand is `demand`.
	 * @param {string} key
	 * @param {number} demand Bytes per second, from Demand.add.
	 * @param {number} now
	 */
	allows(key, demand, now) {
		if (this.rate === 0) return true;
		const reserve = ((this.burst / 2) * demand) / (demand + this.rate);
		return this.#level(key, now) >= reserve;
	}

	/**
	 * Spends `cost`. The bucket may go below zero by one publish: a publish larger than the
	 * whole budget is still delivered once the bucket is full enough, and repaid after.
	 * @param {string} key
	 * @param {number} cost
	 * @param {number} now
	 */
	take(key, cost, now) {
		if (this.rate === 0) return;
		const tokens = this.#level(key, now) - cost;
		const bucket = this.#buckets.get(key);
		if (bucket) {
			bucket.tokens = tokens;
			bucket.at = now;
		} else {
			this.#buckets.set(key, { tokens, at: now });
		}
	}

	/**
	 * Forgets keys whose bucket has refilled: they are as if never used, so the map holds only
	 * keys busy recently.
	 * @param {number} now
	 */
	sweep(now) {
		for (const key of this.#buckets.keys()) {
			if (this.#level(key, now) >= this.burst) this.#buckets.delete(key);
		}
	}

	/** Keys with a bucket in use. */
	get size() {
		return this.#buckets.size;
	}
}

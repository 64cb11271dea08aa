/**
 * Which connections are subscribed to which topic. A topic exists only while it has
 * subscribers, so the map never holds names nobody uses any more.
 * @template T
 */
export class TopicRegistry {
	/** @type {Map<string, Set<T>>} */
	#topics = new Map();

	/** Number of topics with at least one subscriber. */
	get size() {
		return this.#topics.size;
	}

	/**
	 * @param {string} topic
	 * @returns {ReadonlySet<T> | undefined}
	 */
	subscribers(topic) {
		return this.#topics.get(topic);
	}

	/**
	 * @param {string} topic
	 * @param {T} subscriber
	 * @returns {boolean} true when the topic was created by this call.
	 */
	add(topic, subscriber) {
		const subscribers = this.#topics.get(topic);
		if (subscribers) {
			subscribers.add(subscriber);
			return false;
		}
		this.#topics.set(topic, new Set([subscriber]));
		return true;
	}

	/**
	 * @param {string} topic
	 * @param {T} subscriber
	 * @returns {boolean} true when the topic was deleted by this call (its last subscriber left).
	 */
	remove(topic, subscriber) {
		const subscribers = this.#topics.get(topic);
		if (!subscribers?.delete(subscriber) || subscribers.size > 0) return false;
		this.#topics.delete(topic);
		return true;
	}

	/** @returns {IterableIterator<string>} */
	names() {
		return this.#topics.keys();
	}
}

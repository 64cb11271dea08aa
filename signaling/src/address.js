/**
 * The key a remote address is budgeted under. An IPv6 host usually holds a whole /64 (2^64
 * addresses), so budgeting each address alone would let one host spread a flood over as many
 * keys as it likes: IPv6 addresses count by their /64 prefix. IPv4 addresses, including those
 * an IPv6 socket reports as `::ffff:a.b.c.d`, count one by one.
 * @param {string | undefined} address As Node reports it (`socket.remoteAddress`).
 * @returns {string}
 */
export function addressKey(address) {
	if (!address) return '';
	const bare = address.replace(/%.*$/, '').toLowerCase();
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
	if (mapped) return /** @type {string} */ (mapped[1]);
	if (!bare.includes(':')) return bare;
	const [head = '', tail] = bare.split('::');
	const front = head === '' ? [] : head.split(':');
	const back = tail === undefined || tail === '' ? [] : tail.split(':');
	/** @type {string[]} */
	const zeros = Array.from({ length: Math.max(0, 8 - front.length - back.length) }, () => '0');
	const groups = [...front, ...zeros, ...back];
	const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
	return `${prefix.join(':')}::/64`;
}

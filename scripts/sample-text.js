/**
 * `size` characters of varied meeting text for sync tests and benchmarks: words in a fixed
 * pseudo-random order, one long paragraph (a textarea takes typed line breaks one by one, far too
 * slowly for megabytes of them). The same size always gives the same text.
 * @param {number} size
 * @returns {string}
 */
export function sampleText(size) {
	const words = 'bike depot rota budget member vote tyre route café déjà'.split(' ');
	const parts = [];
	let length = 0;
	let seed = 0x2545f491;
	while (length < size) {
		seed ^= seed << 13;
		seed ^= seed >>> 17;
		seed ^= seed << 5;
		const word = `${words[(seed >>> 0) % words.length]}${(seed >>> 8) % 1000}`;
		parts.push(word);
		length += word.length + 1;
	}
	return parts.join(' ').slice(0, size);
}

// How the records normalise and count the text a member types. Free of imports, so a form field
// can count as the record will without loading the rest of the domain.

/** One line of text: NFC, runs of whitespace (newlines included) folded to one space, trimmed. */
export function line(text: string): string {
	return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Free text: NFC, Windows and old Mac line ends made `\n`, tabs made spaces, trimmed. */
export function paragraph(text: string): string {
	return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').trim();
}

/** Number of Unicode code points, counted without allocating for short strings. */
export function codePoints(text: string): number {
	let count = 0;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 0xd800 && code <= 0xdbff) index++;
		count++;
	}
	return count;
}

/**
 * The JSON-LD contexts a credential may name. No JSON-LD processing is done (see
 * docs/reputation.md): the eddsa-jcs-2022 signature covers the JSON as written, and a verifier
 * reads the terms of the contexts it knows by their plain names. A context it does not know could
 * redefine any term, so a document naming one is refused rather than read with a guess.
 */

export const CREDENTIALS_V2 = 'https://www.w3.org/ns/credentials/v2';
export const EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';
export const OPEN_BADGES_V3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

export const KNOWN_CONTEXTS: ReadonlySet<string> = new Set([
	CREDENTIALS_V2,
	EXAMPLES_V2,
	OPEN_BADGES_V3,
	// Earlier 3.0 releases of the Open Badges context define the same terms.
	'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
	'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
	'https://purl.imsglobal.org/spec/ob/v3p0/context.json'
]);

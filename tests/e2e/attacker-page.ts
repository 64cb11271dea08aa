// The script of the attacker page in attack.spec.ts: raw Yjs, the app's sync layer (so it speaks
// exactly the app's wire protocol, chunking included) and crypto helpers (to forge records with
// well-formed ids and signatures). Bundled by the test; never part of the app.
import * as Y from 'yjs';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import { generateSigningKey } from '$lib/crypto/keys';
import { signBytes } from '$lib/crypto/sign';
import { PeerSync } from '$lib/sync/peer-sync';

Object.assign(window, {
	attacker: { Y, PeerSync, canonicalBytes, sha256Base64url, generateSigningKey, signBytes }
});

// The script of the flooder page in flood.spec.ts: a member's device that is not the app but raw
// Yjs, the app's sync layer (its wire protocol) and the domain's signing code, so it joins with
// an invite like anyone and then writes what it likes. Bundled by the test; never part of the app.
import * as Y from 'yjs';
import { encodeBase64url } from '$lib/crypto/base64url';
import { canonicalBytes } from '$lib/crypto/canonical-json';
import { sha256Base64url } from '$lib/crypto/hash';
import { generateSigningKey } from '$lib/crypto/keys';
import { signBytes } from '$lib/crypto/sign';
import { joinDraft, profileDraft } from '$lib/domain/membership/commands';
import { formatHlc } from '$lib/domain/kernel/hlc';
import { proveInvite } from '$lib/domain/membership/proofs';
import { signRecord } from '$lib/domain/registry';
import { PeerSync, roomName } from '$lib/sync/peer-sync';
import { WebrtcProvider } from 'y-webrtc';

Object.assign(window, {
	flooder: {
		Y,
		PeerSync,
		WebrtcProvider,
		roomName,
		encodeBase64url,
		canonicalBytes,
		sha256Base64url,
		signBytes,
		generateSigningKey,
		joinDraft,
		profileDraft,
		formatHlc,
		proveInvite,
		signRecord
	}
});

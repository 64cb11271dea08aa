import { isBase64urlOf } from '$lib/crypto/base64url';
import { isPublicKey } from '$lib/crypto/keys';
import { isSignature } from '$lib/crypto/sign';
import {
	checkObject,
	isPlainObject,
	format,
	integer,
	literal,
	object,
	oneOf,
	tagList,
	text,
	type FieldProblem,
	type Schema
} from './field-checks';
import { isStamp, MAX_WALL, wallOf } from './hlc';
import { LIMITS } from './limits';
import {
	RECORD_TYPES,
	RECORD_VERSION,
	type RecordDraft,
	type RecordType,
	type SignedRecord
} from './record-types';

/**
 * The schema of every record type, as a table: one line per field. `checkRecordShape` and
 * `checkDraftShape` are the only doors from untrusted JSON to typed records.
 */

const publicKey = format(isPublicKey, 43);
const signature = format(isSignature, 86);
const id128 = format((value) => isBase64urlOf(value, 16), 22);

const ENVELOPE: Schema = {
	v: literal(RECORD_VERSION),
	type: oneOf(RECORD_TYPES),
	coop: id128,
	author: publicKey,
	at: format(isStamp, 18)
};

const SETTINGS: Schema = {
	currency: format((value) => /^[A-Z]{3}$/.test(value), 3),
	locale: format((value) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value), LIMITS.locale),
	inviteDays: integer(1, LIMITS.inviteDays),
	inviteMaxUses: integer(1, LIMITS.inviteUses)
};

const BODIES: { readonly [T in RecordType]: Schema } = {
	'coop.genesis': {
		name: text({ min: 1, max: LIMITS.coopName }),
		created: integer(0, MAX_WALL),
		founder: publicKey,
		salt: id128,
		settings: object(SETTINGS)
	},
	'member.invite': {
		inviteId: publicKey,
		expiresAt: integer(0, MAX_WALL),
		maxUses: integer(1, LIMITS.inviteUses)
	},
	'member.invite-revoked': { inviteId: publicKey },
	'member.join': { inviteId: publicKey, proof: signature },
	'member.device-link': { member: publicKey, device: publicKey, consent: signature },
	'member.profile': {
		displayName: text({ min: 1, max: LIMITS.displayName }),
		bio: text({ max: LIMITS.bio, multiline: true }),
		skills: tagList(LIMITS.skills, LIMITS.skill),
		contact: text({ max: LIMITS.contact, multiline: true })
	},
	'member.leave': {}
};

function schemasFor(signed: boolean): ReadonlyMap<string, Schema> {
	return new Map(
		RECORD_TYPES.map((type) => [
			type,
			signed ? { ...ENVELOPE, ...BODIES[type], sig: signature } : { ...ENVELOPE, ...BODIES[type] }
		])
	);
}

const DRAFT_SCHEMAS = schemasFor(false);
const SIGNED_SCHEMAS = schemasFor(true);

/** Rules that tie fields of one record together. */
function crossFieldProblem(draft: RecordDraft): FieldProblem | null {
	switch (draft.type) {
		case 'coop.genesis':
			return draft.founder === draft.author ? null : { field: 'founder', problem: 'mismatch' };
		case 'member.invite': {
			const wall = wallOf(draft.at);
			const lifetime = draft.expiresAt - wall;
			return lifetime > 0 && lifetime <= LIMITS.inviteLifetimeMs
				? null
				: { field: 'expiresAt', problem: 'out-of-range' };
		}
		case 'member.device-link':
			// A device cannot vouch for itself: the link must come from a device already in the member.
			return draft.device === draft.author ? { field: 'device', problem: 'mismatch' } : null;
		default:
			return null;
	}
}

/** Outcome of a shape check. */
export type ShapeResult<T> =
	{ readonly ok: true; readonly value: T } | ({ readonly ok: false } & FieldProblem);

function checkShape(
	value: unknown,
	schemas: ReadonlyMap<string, Schema>
): ShapeResult<RecordDraft> {
	if (!isPlainObject(value)) return { ok: false, field: '$', problem: 'wrong-type' };
	// The type chooses the schema, so it is read first (as an own data property only).
	const type: unknown = Object.getOwnPropertyDescriptor(value, 'type')?.value;
	const schema = typeof type === 'string' ? schemas.get(type) : undefined;
	if (schema === undefined) {
		return { ok: false, field: 'type', problem: type === undefined ? 'missing' : 'out-of-range' };
	}
	const problem = checkObject(value, schema);
	if (problem !== null) return { ok: false, ...problem };
	// The table has checked every field, so the value has the type's shape.
	const draft = value as unknown as RecordDraft;
	const cross = crossFieldProblem(draft);
	return cross === null ? { ok: true, value: draft } : { ok: false, ...cross };
}

/** Checks an untrusted value against the schema of a signed record of its type. */
export function checkRecordShape(value: unknown): ShapeResult<SignedRecord> {
	return checkShape(value, SIGNED_SCHEMAS) as ShapeResult<SignedRecord>;
}

/** Checks a value against the schema of an unsigned record (a draft) of its type. */
export function checkDraftShape(value: unknown): ShapeResult<RecordDraft> {
	return checkShape(value, DRAFT_SCHEMAS);
}

import { isBase64urlOf } from '$lib/crypto/base64url';
import { isPublicKey } from '$lib/crypto/keys';
import { isSignature } from '$lib/crypto/sign';
import {
	boolean,
	checkObject,
	isPlainObject,
	list,
	format,
	integer,
	literal,
	object,
	oneOf,
	tagList,
	text,
	type Check,
	type FieldProblem,
	type Schema
} from './field-checks';
import {
	hasOptions,
	MAX_CHARTER,
	MAX_OPTIONS,
	parseSetting,
	PROPOSAL_ACTIONS,
	PROPOSAL_KINDS,
	SETTING_KEYS,
	THRESHOLDS,
	THRESHOLDS_BY_KIND,
	type SettingKey
} from './governance-types';
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
/** A record id: base64url SHA-256. */
const recordIdCheck = format((value) => isBase64urlOf(value, 32), 43);
/** A member id, or empty. */
const publicKeyOrEmpty: Check = (value) => (value === '' ? null : publicKey(value));

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
	'member.leave': {},
	'member.delegate': { to: publicKeyOrEmpty, tag: text({ max: LIMITS.tag }) },
	'proposal.open': {
		title: text({ min: 1, max: LIMITS.proposalTitle }),
		text: text({ max: LIMITS.proposalText, multiline: true }),
		kind: oneOf(PROPOSAL_KINDS),
		options: tagList(MAX_OPTIONS, LIMITS.option),
		closesAt: integer(0, MAX_WALL),
		quorum: integer(0, 100),
		threshold: oneOf(THRESHOLDS),
		hidden: boolean,
		tag: text({ max: LIMITS.tag }),
		action: oneOf(PROPOSAL_ACTIONS),
		subject: text({ max: 43 }),
		value: text({ max: MAX_CHARTER, multiline: true })
	},
	'proposal.vote': {
		proposal: recordIdCheck,
		choice: list(integer(0, MAX_OPTIONS), MAX_OPTIONS),
		reason: text({ max: LIMITS.reason, multiline: true })
	},
	'proposal.comment': {
		proposal: recordIdCheck,
		text: text({ min: 1, max: LIMITS.comment, multiline: true })
	},
	'proposal.close': {
		proposal: recordIdCheck,
		eligible: list(publicKey, LIMITS.closeIds, { ascending: true }),
		votes: list(recordIdCheck, LIMITS.closeIds, { ascending: true }),
		delegations: list(recordIdCheck, LIMITS.closeIds, { ascending: true })
	}
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
		case 'proposal.open':
			return proposalProblem(draft);
		default:
			return null;
	}
}

/** The rules that tie a proposal's kind, options, dates, threshold and action together. */
function proposalProblem(draft: RecordDraft<'proposal.open'>): FieldProblem | null {
	const lifetime = draft.closesAt - wallOf(draft.at);
	if (lifetime <= 0 || lifetime > LIMITS.proposalLifetimeMs) {
		return { field: 'closesAt', problem: 'out-of-range' };
	}
	const options = draft.options.length;
	if (hasOptions(draft.kind) ? options < 2 : options > 0) {
		return { field: 'options', problem: options === 0 ? 'empty' : 'out-of-range' };
	}
	if (!THRESHOLDS_BY_KIND[draft.kind].includes(draft.threshold)) {
		return { field: 'threshold', problem: 'out-of-range' };
	}
	if (draft.action !== 'none' && draft.kind !== 'consent') {
		return { field: 'action', problem: 'mismatch' };
	}
	const subjectOk = (() => {
		switch (draft.action) {
			case 'admit':
			case 'remove':
				return publicKey(draft.subject) === null;
			case 'setting':
				return (SETTING_KEYS as readonly string[]).includes(draft.subject);
			default:
				return draft.subject === '';
		}
	})();
	if (!subjectOk) return { field: 'subject', problem: 'bad-format' };
	const valueOk = (() => {
		switch (draft.action) {
			case 'admit':
				return text({ min: 1, max: LIMITS.displayName })(draft.value) === null;
			case 'setting':
				return parseSetting(draft.subject as SettingKey, draft.value) !== undefined;
			case 'charter':
				return draft.value !== '';
			default:
				return draft.value === '';
		}
	})();
	return valueOk ? null : { field: 'value', problem: 'out-of-range' };
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

import type { SigningKey } from '$lib/crypto/keys';
import type { DraftUnion, SignedUnion, Verified } from './kernel/envelope';
import type { InputResult } from './kernel/input-result';
import { Registry } from './kernel/registry';
import type { ShapeResult } from './kernel/shape';
import { signChecked, unsignedPart as unsigned } from './kernel/sign';
import {
	trustVaultRecord as trustVault,
	verifyAll as verifyAllWith,
	verifyRecord as verifyRecordWith,
	type VerifyOptions,
	type VerifyResult
} from './kernel/verify';
import { credentialsArea } from './credentials/module';
import type { CredentialsBodies } from './credentials/records';
import { governanceArea } from './governance/module';
import { ledgerArea } from './ledger/module';
import type { LedgerBodies } from './ledger/records';
import type { GovernanceBodies } from './governance/records';
import { membershipArea } from './membership/module';
import type { MembershipBodies } from './membership/records';
import type { Rejection } from './kernel/reasons';
import { settingsArea } from './settings/module';
import type { SettingsBodies } from './settings/records';
import { feedbackArea, skillsArea } from './reputation/module';
import type { ReputationBodies } from './reputation/records';
import { workArea } from './work/module';
import type { WorkBodies } from './work/records';

/**
 * The one place areas are registered. Everything about record types is derived from this list:
 * the types, their schemas, size limits and proofs, which area folds each, and the order in which
 * areas are created (an area may use the queries of those before it). See docs/architecture.md,
 * "How to add an area".
 */
export const REGISTRY = new Registry([
	settingsArea,
	membershipArea,
	governanceArea,
	ledgerArea,
	skillsArea,
	workArea,
	feedbackArea,
	credentialsArea
]);

/** Every record's body, by type: the union of the areas' body maps. */
export type RecordBodies = SettingsBodies &
	MembershipBodies &
	GovernanceBodies &
	LedgerBodies &
	WorkBodies &
	CredentialsBodies &
	ReputationBodies;
export type RecordType = keyof RecordBodies;

/** Every record type, in registration order. */
export const RECORD_TYPES = REGISTRY.types as readonly RecordType[];

/** An unsigned record of type `T`. */
export type DraftOf<T extends RecordType> = DraftUnion<RecordBodies, T>;
/** A signed record of type `T`. */
export type SignedOf<T extends RecordType> = SignedUnion<RecordBodies, T>;
/** Any unsigned record of the types in `T`, as a union that narrows on `type`. */
export type RecordDraft<T extends RecordType = RecordType> = DraftUnion<RecordBodies, T>;
/** Any signed record of the types in `T` (shape-checked, not necessarily verified). */
export type SignedRecord<T extends RecordType = RecordType> = SignedUnion<RecordBodies, T>;
/** A verified record of the types in `T`. */
export type VerifiedRecord<T extends RecordType = RecordType> = Verified<SignedRecord<T>>;

/** A draft of type `T`, or what is wrong with the input. */
export type DraftResult<T extends RecordType> = InputResult<{ readonly draft: DraftOf<T> }>;

/** Checks an untrusted value against the schema of a signed record of its type. */
export function checkRecordShape(value: unknown): ShapeResult<SignedRecord> {
	return REGISTRY.shapes.signed(value) as ShapeResult<SignedRecord>;
}

/** Checks a value against the schema of an unsigned record (a draft) of its type. */
export function checkDraftShape(value: unknown): ShapeResult<RecordDraft> {
	return REGISTRY.shapes.draft(value) as ShapeResult<RecordDraft>;
}

/** Signs a draft with the author's key; returns the record and its id. */
export function signRecord<T extends RecordType>(
	draft: DraftOf<T>,
	key: SigningKey
): Promise<{ id: string; record: SignedOf<T> }> {
	return signChecked(REGISTRY.shapes, draft, key);
}

/** The record without its signature: the part that is signed. */
export function unsignedPart(record: SignedRecord): RecordDraft {
	return unsigned(record) as RecordDraft;
}

export type RecordVerifyResult =
	| { readonly ok: true; readonly verified: VerifiedRecord }
	| { readonly ok: false; readonly rejection: Rejection };

/** Verifies one entry of a co-op's record map against the registered areas (never throws). */
export function verifyRecord(
	key: string,
	value: unknown,
	coopId: string,
	options: VerifyOptions = {}
): Promise<RecordVerifyResult> {
	return verifyRecordWith(REGISTRY, key, value, coopId, options) as Promise<RecordVerifyResult>;
}

/** Verifies many entries; results keep the input order within each list. */
export function verifyAll(
	entries: Iterable<readonly [string, unknown]>,
	coopId: string,
	options: VerifyOptions = {}
): Promise<{ verified: VerifiedRecord[]; rejections: Rejection[] }> {
	return verifyAllWith(REGISTRY, entries, coopId, options) as Promise<{
		verified: VerifiedRecord[];
		rejections: Rejection[];
	}>;
}

/** A record this device verified before, as its own storage kept it (see `kernel/verify.ts`). */
export function trustVaultRecord(id: string, value: unknown): VerifiedRecord {
	return trustVault(id, value) as VerifiedRecord;
}

export type { VerifyOptions, VerifyResult };

import type { JsonValue } from '$lib/crypto/canonical-json';

/**
 * What a work record claims, read for people (the preview before asking, the printable page):
 * plain data picked out of the JSON with every field checked, since a record read here may come
 * from anywhere. A field that is missing or of the wrong kind is left out, never guessed.
 */

export interface EndorsementLine {
	readonly endorser: string;
	readonly name: string;
	readonly date: string;
	readonly comment: string;
}

export interface SkillLine {
	readonly name: string;
	readonly level: string;
	readonly endorsements: readonly EndorsementLine[];
}

export interface WorkRecordSummary {
	readonly title: string;
	readonly coop: string;
	readonly member: string;
	readonly since: string;
	readonly until: string;
	readonly items: number;
	readonly minutes: number;
	/** `null` when the record carries no skills. */
	readonly skills: readonly SkillLine[] | null;
	/** `null` when the record carries no feedback summary. */
	readonly feedback: {
		readonly count: number;
		readonly jobs: number;
		readonly max: number;
		readonly criteria: readonly {
			readonly criterion: string;
			readonly counts: readonly number[];
		}[];
	} | null;
	/** The did:key of each proof's signer, in order. */
	readonly signers: readonly string[];
}

type Obj = { readonly [key: string]: JsonValue };

const obj = (value: JsonValue | undefined): Obj =>
	typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
const arr = (value: JsonValue | undefined): readonly JsonValue[] =>
	Array.isArray(value) ? (value as readonly JsonValue[]) : [];
const str = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const num = (value: JsonValue | undefined): number =>
	typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;

export function summariseWorkRecord(credential: Obj): WorkRecordSummary {
	const subject = obj(credential['credentialSubject']);
	const work = obj(subject['work']);
	const skills = subject['skills'] === undefined ? null : obj(subject['skills']);
	const feedback = subject['feedback'] === undefined ? null : obj(subject['feedback']);
	const proof = credential['proof'];
	const proofs: readonly JsonValue[] =
		proof === undefined ? [] : Array.isArray(proof) ? arr(proof) : [proof];
	return {
		title: str(credential['name']),
		coop: str(obj(credential['issuer'])['name']),
		member: str(subject['name']),
		since: str(subject['activityStartDate']),
		until: str(subject['activityEndDate']),
		items: num(work['items']),
		minutes: num(work['minutes']),
		skills:
			skills === null
				? null
				: arr(skills['items']).map((value) => {
						const skill = obj(value);
						return {
							name: str(skill['name']),
							level: str(skill['level']),
							endorsements: arr(skill['endorsements']).map((entry) => {
								const endorsement = obj(entry);
								const endorser = obj(endorsement['endorser']);
								return {
									endorser: str(endorser['id']),
									name: str(endorser['name']),
									date: str(endorsement['date']),
									comment: str(endorsement['endorsementComment'])
								};
							})
						};
					}),
		feedback:
			feedback === null
				? null
				: {
						count: num(feedback['count']),
						jobs: num(feedback['jobs']),
						max: num(obj(feedback['scale'])['max']),
						criteria: arr(feedback['criteria']).map((value) => {
							const criterion = obj(value);
							return {
								criterion: str(criterion['criterion']),
								counts: arr(criterion['counts']).map((count) => num(count))
							};
						})
					},
		signers: proofs.map((proof) => str(obj(proof)['verificationMethod']).split('#')[0]!)
	};
}

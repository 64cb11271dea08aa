import type { Verified } from '../kernel/envelope';
import type { Stamp } from '../kernel/hlc';
import {
	ACCEPTED,
	rejected,
	UnexpectedEffectError,
	UnexpectedWaitError,
	type AreaFold,
	type FoldContext,
	type Outcome,
	type Settled,
	type Use,
	type Wait
} from '../kernel/module';
import { LIMITS } from '../kernel/limits';
import { MEMBERSHIP, type MembershipQueries } from '../membership/queries';
import { SETTINGS, type SettingsQueries } from '../settings/queries';
import type { WorkEffect } from '../work/effects';
import type { SkillsQueries } from './queries';
import { skillKey, type GoalStatus, type SkillLevel, type SkillsRecord } from './records';

/**
 * The skills rules, in (at, id) order once the kernel has resolved the author to an active
 * member: members list skills with a level; other members endorse a listed skill (one standing
 * endorsement per endorser, member and skill; never one's own) and may withdraw it; members set
 * learning goals, pair up for mentoring (asked, then accepted by the other) and log sessions.
 * Entries are replaced, never changed in place, so a copy (checkpoint) copies only the maps.
 * See docs/skills.md.
 */

export interface SkillEntry {
	readonly member: string;
	/** Name as the member last wrote it. */
	readonly name: string;
	readonly level: SkillLevel;
	readonly at: Stamp;
	/** When it first moved from learning to "can do" or "can teach" (progress), if it did. */
	readonly learnedAt: Stamp | null;
	/** Whether it was ever listed as learning. */
	readonly learning: boolean;
}

export interface Endorsement {
	readonly id: string;
	readonly by: string;
	readonly member: string;
	/** The skill's key (without case). */
	readonly skill: string;
	readonly note: string;
	readonly at: Stamp;
	readonly withdrawn: { readonly id: string; readonly at: Stamp } | null;
}

export interface Goal {
	readonly member: string;
	readonly skill: string;
	readonly note: string;
	readonly status: GoalStatus;
	readonly at: Stamp;
}

export interface Pair {
	readonly id: string;
	/** Who asked, and who was asked. */
	readonly by: string;
	readonly asked: string;
	readonly mentor: string;
	readonly mentee: string;
	readonly skill: string;
	readonly at: Stamp;
	readonly accepted: Stamp | null;
}

export interface Session {
	readonly id: string;
	readonly pair: string;
	readonly by: string;
	readonly mentor: string;
	readonly mentee: string;
	readonly minutes: number;
	readonly endedAt: number;
	readonly note: string;
	readonly at: Stamp;
	/** Whether the work area counted it as work hours (the co-op's setting at that point). */
	readonly counted: boolean;
}

const join = (...parts: string[]) => parts.join('\n');

export class SkillsFold implements AreaFold, SkillsQueries {
	version = 0;
	/** `member \n key` -> the skill as listed. */
	readonly skills: Map<string, SkillEntry>;
	/** Member -> how many skills they list. */
	readonly #listed: Map<string, number>;
	readonly endorsements: Map<string, Endorsement>;
	/** `member \n key` -> endorser -> the standing endorsement's id (inner maps are replaced). */
	readonly #standing: Map<string, ReadonlyMap<string, string>>;
	/** `member \n key` -> the goal. */
	readonly goals: Map<string, Goal>;
	readonly pairs: Map<string, Pair>;
	/** `mentor \n mentee \n key` -> the pair asked (accepted or not). */
	readonly #pairOf: Map<string, string>;
	readonly sessions: Session[];
	readonly #members: MembershipQueries;
	readonly #settings: SettingsQueries;

	constructor(use: Use, from?: SkillsFold) {
		this.#members = use(MEMBERSHIP);
		this.#settings = use(SETTINGS);
		this.version = from?.version ?? 0;
		this.skills = new Map(from?.skills);
		this.#listed = new Map(from === undefined ? [] : from.#listed);
		this.endorsements = new Map(from?.endorsements);
		this.#standing = new Map(from === undefined ? [] : from.#standing);
		this.goals = new Map(from?.goals);
		this.pairs = new Map(from?.pairs);
		this.#pairOf = new Map(from === undefined ? [] : from.#pairOf);
		this.sessions = [...(from?.sessions ?? [])];
	}

	clone(use: Use): SkillsFold {
		return new SkillsFold(use, this);
	}

	apply(entry: Verified<SkillsRecord>, author: string | null, context: FoldContext): Outcome {
		const outcome = this.#judge(entry, author!, context);
		if (outcome.kind === 'accepted') this.version++;
		return outcome;
	}

	settle(wait: Wait): Settled {
		throw new UnexpectedWaitError(`skills wait only through the kernel (${wait.on})`);
	}

	effect(effect: { readonly type: string }): boolean {
		throw new UnexpectedEffectError(`skills apply no effect (${effect.type})`);
	}

	/** The endorsements needed in force at this point of the order. */
	threshold(): number {
		return this.#settings.governed().endorsementsToQualify;
	}

	/** Standing endorsements of a member's skill by members active at this point. */
	endorsementsOf(member: string, skill: string): Endorsement[] {
		const out: Endorsement[] = [];
		for (const [by, id] of this.#standing.get(join(member, skillKey(skill))) ?? []) {
			if (this.#members.isActive(by)) out.push(this.endorsements.get(id)!);
		}
		return out;
	}

	isQualified(member: string, skill: string): boolean {
		if (!this.#members.isActive(member)) return false;
		const key = skillKey(skill);
		const listed = this.skills.get(join(member, key));
		const able = listed !== undefined && listed.level !== 'learning';
		const needed = this.threshold();
		if (needed === 0) {
			return able || this.#members.skillsOf(member).some((own) => skillKey(own) === key);
		}
		if (!able) return false;
		let count = 0;
		for (const by of this.#standing.get(join(member, key))?.keys() ?? []) {
			if (this.#members.isActive(by) && ++count >= needed) return true;
		}
		return false;
	}

	/** Active member -> the skills (keys, ascending) they are qualified for at this point. */
	qualifiedSkills(): Record<string, string[]> {
		const candidates = new Map<string, Set<string>>();
		const add = (member: string, key: string) => {
			let keys = candidates.get(member);
			if (keys === undefined) candidates.set(member, (keys = new Set()));
			keys.add(key);
		};
		for (const entry of this.skills.values()) add(entry.member, skillKey(entry.name));
		for (const member of this.#members.activeMembers()) {
			for (const own of this.#members.skillsOf(member)) add(member, skillKey(own));
		}
		const out: Record<string, string[]> = {};
		for (const [member, keys] of [...candidates].sort(([a], [b]) => (a < b ? -1 : 1))) {
			const qualified = [...keys].filter((key) => this.isQualified(member, key)).sort();
			if (qualified.length > 0) out[member] = qualified;
		}
		return out;
	}

	#judge(entry: Verified<SkillsRecord>, member: string, context: FoldContext): Outcome {
		const { record } = entry;
		switch (record.type) {
			case 'rep.skill':
				return this.#skill(record, member);
			case 'rep.endorse':
				return this.#endorse(entry.id, record, member);
			case 'rep.unendorse':
				return context.after(record.endorsement) ?? this.#unendorse(entry.id, record, member);
			case 'rep.goal':
				this.goals.set(join(member, skillKey(record.skill)), {
					member,
					skill: record.skill,
					note: record.note,
					status: record.status,
					at: record.at
				});
				return ACCEPTED;
			case 'rep.pair':
				return this.#pair(entry.id, record, member);
			case 'rep.pair-accept':
				return context.after(record.pair) ?? this.#accept(record, member);
			case 'rep.session':
				return context.after(record.pair) ?? this.#session(entry.id, record, member, context);
			default:
				return record satisfies never;
		}
	}

	#skill(record: SkillsRecord<'rep.skill'>, member: string): Outcome {
		const key = join(member, skillKey(record.skill));
		const before = this.skills.get(key);
		if (record.level === 'none') {
			if (before === undefined) return rejected('unknown-skill', 'not listed');
			this.skills.delete(key);
			this.#listed.set(member, (this.#listed.get(member) ?? 1) - 1);
			return ACCEPTED;
		}
		if (before === undefined) {
			const count = this.#listed.get(member) ?? 0;
			if (count >= LIMITS.memberSkills) return rejected('too-many-skills');
			this.#listed.set(member, count + 1);
		}
		const learning = (before?.learning ?? false) || record.level === 'learning';
		const learnedAt =
			before?.learnedAt ?? (learning && record.level !== 'learning' ? record.at : null);
		this.skills.set(key, {
			member,
			name: record.skill,
			level: record.level,
			at: record.at,
			learnedAt,
			learning
		});
		return ACCEPTED;
	}

	#endorse(id: string, record: SkillsRecord<'rep.endorse'>, by: string): Outcome {
		if (record.member === by) return rejected('self-endorsement');
		if (!this.#members.isActive(record.member)) return rejected('not-a-member', 'endorsed');
		const key = skillKey(record.skill);
		if (!this.skills.has(join(record.member, key))) {
			return rejected('unknown-skill', 'the member does not list it');
		}
		const standing = join(record.member, key);
		const endorsers = this.#standing.get(standing);
		if (endorsers?.has(by) === true) return rejected('duplicate', 'already endorsed');
		this.endorsements.set(id, {
			id,
			by,
			member: record.member,
			skill: key,
			note: record.note,
			at: record.at,
			withdrawn: null
		});
		this.#standing.set(standing, new Map(endorsers).set(by, id));
		return ACCEPTED;
	}

	#unendorse(id: string, record: SkillsRecord<'rep.unendorse'>, by: string): Outcome {
		const endorsement = this.endorsements.get(record.endorsement);
		if (endorsement === undefined) return rejected('unknown-item', 'names no endorsement');
		if (endorsement.by !== by) return rejected('not-endorser');
		if (endorsement.withdrawn !== null) return rejected('duplicate', 'already withdrawn');
		this.endorsements.set(endorsement.id, { ...endorsement, withdrawn: { id, at: record.at } });
		const standing = join(endorsement.member, endorsement.skill);
		const endorsers = new Map(this.#standing.get(standing));
		endorsers.delete(by);
		this.#standing.set(standing, endorsers);
		return ACCEPTED;
	}

	#pair(id: string, record: SkillsRecord<'rep.pair'>, by: string): Outcome {
		if (record.member === by) return rejected('self-pair');
		if (!this.#members.isActive(record.member)) return rejected('not-a-member', 'asked');
		const [mentor, mentee] = record.role === 'mentor' ? [by, record.member] : [record.member, by];
		const key = join(mentor, mentee, skillKey(record.skill));
		if (this.#pairOf.has(key)) return rejected('duplicate', 'already paired on this skill');
		this.pairs.set(id, {
			id,
			by,
			asked: record.member,
			mentor,
			mentee,
			skill: record.skill,
			at: record.at,
			accepted: null
		});
		this.#pairOf.set(key, id);
		return ACCEPTED;
	}

	#accept(record: SkillsRecord<'rep.pair-accept'>, member: string): Outcome {
		const pair = this.pairs.get(record.pair);
		if (pair === undefined) return rejected('unknown-item', 'names no pair');
		if (pair.asked !== member) return rejected('not-asked');
		if (pair.accepted !== null) return rejected('duplicate', 'already accepted');
		this.pairs.set(pair.id, { ...pair, accepted: record.at });
		return ACCEPTED;
	}

	#session(
		id: string,
		record: SkillsRecord<'rep.session'>,
		member: string,
		context: FoldContext
	): Outcome {
		const pair = this.pairs.get(record.pair);
		if (pair === undefined) return rejected('unknown-item', 'names no pair');
		if (pair.mentor !== member && pair.mentee !== member) return rejected('not-in-pair');
		if (pair.accepted === null) return rejected('pair-not-accepted');
		const effect: WorkEffect = {
			type: 'work.mentoring',
			session: id,
			members: [pair.mentor, pair.mentee],
			minutes: record.minutes,
			endedAt: record.endedAt
		};
		const counted = context.emit(effect);
		this.sessions.push({
			id,
			pair: pair.id,
			by: member,
			mentor: pair.mentor,
			mentee: pair.mentee,
			minutes: record.minutes,
			endedAt: record.endedAt,
			note: record.note,
			at: record.at,
			counted
		});
		return ACCEPTED;
	}
}

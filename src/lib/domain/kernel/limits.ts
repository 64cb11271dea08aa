/**
 * Size limits of records. Records come from untrusted peers and every device stores and checks
 * all of them, so each field is bounded; lengths of text count Unicode code points.
 */
export const LIMITS = {
	/** Canonical JSON of a whole signed record, in UTF-8 bytes (but see the two below). */
	recordBytes: 8192,
	/** A proposal, which may carry a whole charter. */
	proposalBytes: 96 * 1024,
	/** A close, which lists the ids of every vote and delegation that counts. */
	closeBytes: 160 * 1024,
	coopName: 80,
	displayName: 60,
	bio: 500,
	skills: 20,
	skill: 30,
	contact: 200,
	/** Uses of one invite. */
	inviteUses: 100,
	/** An invite lives at most this long after its stamp. */
	inviteLifetimeMs: 365 * 24 * 60 * 60 * 1000,
	/** Default invite lifetime in a co-op's settings, in days. */
	inviteDays: 365,
	locale: 35,
	proposalTitle: 120,
	proposalText: 5000,
	option: 100,
	tag: 30,
	reason: 500,
	comment: 2000,
	/** Members, votes and delegations one close can list (each): one per member at most. */
	closeIds: 1000,
	/** A ledger entry's memo, and a posting's counterparty (a client's name or a member id). */
	memo: 200,
	counterparty: 80,
	/** Postings of one ledger entry, and its record's size (20 postings of long names fit). */
	postings: 20,
	entryBytes: 12 * 1024,
	/** Members one patronage allocation lists, and its record's size. */
	patronageMembers: 500,
	patronageBytes: 96 * 1024,
	/** Longest time a proposal stays open after its stamp. */
	proposalLifetimeMs: 366 * 24 * 60 * 60 * 1000,
	jobTitle: 120,
	jobDetails: 2000,
	client: 120,
	place: 200,
	/** People one job or one shift occurrence takes. */
	jobPeople: 50,
	/** Longest job, from its start to its end. */
	jobSpanMs: 14 * 24 * 60 * 60 * 1000,
	/** Largest pay of one job or shift slot, in minor units of the co-op's currency. */
	pay: 100_000_000,
	/** Weekly availability windows of one member, and periods of time off. */
	availabilityWindows: 28,
	timeOff: 20,
	timeZone: 64,
	/** Skills one member lists with a level, and an endorsement's sentence. */
	memberSkills: 40,
	endorsementNote: 280,
	/** A learning goal's note, and a mentoring session's. */
	goalNote: 280,
	sessionNote: 280,
	/** Longest mentoring session, in minutes. */
	sessionMinutes: 600,
	feedbackComment: 1000,
	roundQuestion: 300,
	roundAnswer: 2000,
	/** A feedback round stays open at most this long after its stamp. */
	roundLifetimeMs: 366 * 24 * 60 * 60 * 1000
} as const;

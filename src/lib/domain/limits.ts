/**
 * Size limits of records. Records come from untrusted peers and every device stores and checks
 * all of them, so each field is bounded; lengths of text count Unicode code points.
 */
export const LIMITS = {
	/** Canonical JSON of a whole signed record, in UTF-8 bytes. */
	recordBytes: 8192,
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
	locale: 35
} as const;

import { m } from '$lib/paraglide/messages.js';
import { translate } from './messages';

/** A verifier's problem code in plain words (`cred_problem_<code>`). */
export const problemText = (code: string): string => translate(`cred_problem_${code}`);

/** How a co-signer became a member, as the membership evidence shows it. */
export const howText = (how: string | undefined): string =>
	how === 'founder'
		? m.cred_how_founder()
		: how === 'invited'
			? m.cred_how_invited()
			: m.cred_how_device();

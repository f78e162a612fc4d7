// How the bytes a terminal sends split into keys. A key with no character of its own arrives as an escape sequence:
// CSI (`ESC [`, parameters, intermediates, a final byte: arrows, PgUp, function keys) or SS3 (`ESC O` and one
// character: arrows and F1-F4 in the terminal's application mode). A `q` inside one is part of the key, not a quit.
const SEQUENCE = String.raw`\u001b(?:\[[0-?]*[ -/]*[@-~]|O.)`;

/** One key a match: a sequence, else one character. An ESC before anything else is Esc, then that key. */
export const KEYS = new RegExp(`${SEQUENCE}|[^]`, 'gs');

/**
 * One read a match, as ink hands them over when keys are typed one at a time: a sequence, an ESC with the character
 * after it (Alt+key), a lone ESC, or the plain text between them.
 */
export const READS = new RegExp(String.raw`${SEQUENCE}|\u001b.?|[^\u001b]+`, 'gs');

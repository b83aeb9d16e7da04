// The bounds of the filter's look-up requests, shared by the webview that builds them and the host that checks them.

/** The most look-up terms one request may carry. */
export const MAX_LOOKUP_TERMS = 4;
/** The longest text one term may hold: Linux's PATH_MAX. */
export const MAX_LOOKUP_TEXT = 4096;

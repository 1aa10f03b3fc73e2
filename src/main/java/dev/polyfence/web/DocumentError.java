package dev.polyfence.web;

/**
 * One item of a problem's {@code errors}: where in the request body, as a JSON Pointer
 * (RFC 6901, {@code ""} for the body itself), and what is wrong there.
 */
record DocumentError(String pointer, String message) {
}

package dev.polyfence.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Whether the client of a request has closed its connection, asked while its translation
 * or plan runs. The servlet API cannot tell (a closed connection shows only when the
 * answer is written), so {@link ClientConnectionValve} puts one of these on every request
 * Tomcat serves; elsewhere (MockMvc) the client is never seen to go.
 */
@FunctionalInterface
interface ClientConnection {

	String ATTRIBUTE = ClientConnection.class.getName();

	/** A client whose connection cannot be watched. */
	ClientConnection UNWATCHED = () -> false;

	/**
	 * Whether the client has closed its connection (or its sending half). Only asked once
	 * the request body has been read whole, on the request's own thread.
	 */
	boolean gone();

	static ClientConnection of(HttpServletRequest request) {
		return request.getAttribute(ATTRIBUTE) instanceof ClientConnection connection ? connection : UNWATCHED;
	}

}

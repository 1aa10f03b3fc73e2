package dev.polyfence.app;

/**
 * A cloud could not be read (credentials, permissions, network, the provider's own
 * errors). The message says what was being read where; it never holds credentials.
 */
public class CloudAccessException extends RuntimeException {

	public CloudAccessException(String message, Throwable cause) {
		super(message, cause);
	}

}

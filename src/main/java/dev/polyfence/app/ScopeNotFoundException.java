package dev.polyfence.app;

/** A bound scope (a VPC, a resource group, a network) does not exist in the cloud. */
public class ScopeNotFoundException extends RuntimeException {

	public ScopeNotFoundException(String message) {
		super(message);
	}

}

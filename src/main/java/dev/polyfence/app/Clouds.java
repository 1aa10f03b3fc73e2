package dev.polyfence.app;

/**
 * The cloud adapters this instance has; each may be null, and a plan that needs a missing
 * one says so in an error finding.
 */
public record Clouds(AwsEnvironment aws, AzureEnvironment azure, GcpEnvironment gcp) {

	public static Clouds aws(AwsEnvironment aws) {
		return new Clouds(aws, null, null);
	}

	public static Clouds azure(AzureEnvironment azure) {
		return new Clouds(null, azure, null);
	}

	public static Clouds gcp(GcpEnvironment gcp) {
		return new Clouds(null, null, gcp);
	}
}

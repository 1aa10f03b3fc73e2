package dev.polyfence.cloud.aws;

import dev.polyfence.cloud.ProviderCalls;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Times every EC2 call at the SDK's edge, so no call the adapter makes (pages, waits,
 * retries inside the SDK) escapes the count: the operation is the SDK's own name for the
 * call ({@code DescribeSecurityGroups}), the outcome {@code ok}, EC2's error code
 * ({@code RequestLimitExceeded}, {@code InvalidGroup.NotFound}), the HTTP status when an
 * error has no code, {@code timeout} when the call timeout ran out, or
 * {@code client-error}.
 */
final class Ec2CallMetrics implements ExecutionInterceptor {

	/**
	 * The SDK requires attribute names to be unique in the JVM, so there is one instance
	 * of it.
	 */
	private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("PolyfenceCallStartedNanos");

	static final String TIMEOUT = "timeout";

	private final ProviderCalls calls;

	Ec2CallMetrics(ProviderCalls calls) {
		this.calls = calls;
	}

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		attributes.putAttribute(STARTED, System.nanoTime());
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		record(attributes, ProviderCalls.OK);
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		record(attributes, outcome(context.exception()));
	}

	private void record(ExecutionAttributes attributes, String outcome) {
		Long started = attributes.getAttribute(STARTED);
		long nanos = started == null ? 0 : System.nanoTime() - started;
		calls.record(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), outcome, nanos);
	}

	static String outcome(Throwable e) {
		if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
				&& service.awsErrorDetails().errorCode() != null) {
			return service.awsErrorDetails().errorCode();
		}
		if (e instanceof SdkServiceException service) {
			return Integer.toString(service.statusCode());
		}
		if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
			return TIMEOUT;
		}
		return ProviderCalls.CLIENT_ERROR;
	}

}

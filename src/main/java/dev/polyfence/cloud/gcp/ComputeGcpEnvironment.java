package dev.polyfence.cloud.gcp;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallsClient;
import dev.polyfence.app.CloudAccessException;
import dev.polyfence.app.GcpEnvironment;
import dev.polyfence.app.ScopeNotFoundException;
import dev.polyfence.cloud.ProviderCalls;
import dev.polyfence.plan.gcp.GcpChange;
import dev.polyfence.plan.gcp.GcpLiveState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The {@link GcpEnvironment} port over google-cloud-compute's {@link FirewallsClient}:
 * the rules of one network, read page by page; inserts, patches (updates where a merge
 * patch cannot say it) and deletes, each waited for until its operation is DONE, within a
 * deadline. The client retries reads but not changes, so changes are retried here on 429
 * and 5xx with jittered backoff.
 */
public final class ComputeGcpEnvironment implements GcpEnvironment, AutoCloseable {

	/** How long one operation may take before the apply stops and says so. */
	static final long OPERATION_DEADLINE_SECONDS = 300;

	/** Attempts per change; the client retries reads itself but not changes. */
	static final int ATTEMPTS = 6;

	/** The {@code cloud} tag of Compute calls. */
	static final String CLOUD = "gcp";

	/**
	 * The outcome of an operation that was not DONE within
	 * {@link #OPERATION_DEADLINE_SECONDS}.
	 */
	static final String TIMEOUT = "timeout";

	private final FirewallsClient client;

	private final Duration baseDelay;

	private final Duration maxDelay;

	private final ProviderCalls calls;

	public ComputeGcpEnvironment(FirewallsClient client) {
		this(client, ProviderCalls.none(CLOUD));
	}

	/**
	 * @param calls where every Compute call is recorded
	 */
	public ComputeGcpEnvironment(FirewallsClient client, ProviderCalls calls) {
		this(client, Duration.ofMillis(500), Duration.ofSeconds(20), calls);
	}

	/**
	 * @param baseDelay the first backoff (doubled each attempt, with full jitter, up to
	 * {@code maxDelay})
	 */
	public ComputeGcpEnvironment(FirewallsClient client, Duration baseDelay, Duration maxDelay) {
		this(client, baseDelay, maxDelay, ProviderCalls.none(CLOUD));
	}

	public ComputeGcpEnvironment(FirewallsClient client, Duration baseDelay, Duration maxDelay, ProviderCalls calls) {
		this.client = client;
		this.baseDelay = baseDelay;
		this.maxDelay = maxDelay;
		this.calls = calls;
	}

	@Override
	public GcpLiveState read(String project, String network) {
		try {
			List<dev.polyfence.translate.gcp.Firewall> firewalls = measured("firewalls.list", () -> {
				List<dev.polyfence.translate.gcp.Firewall> all = new ArrayList<>();
				for (Firewall f : client.list(project).iterateAll()) {
					if (network.equals(FirewallProtos.networkName(f.getNetwork()))) {
						all.add(FirewallProtos.fromProto(f));
					}
				}
				return all;
			});
			return new GcpLiveState(project, network, firewalls);
		}
		catch (NotFoundException e) {
			throw new ScopeNotFoundException("project " + project + " was not found");
		}
		catch (ApiException e) {
			throw new CloudAccessException("reading the firewall rules of project " + project + " failed: "
					+ e.getStatusCode().getCode() + ": " + e.getMessage(), e);
		}
	}

	@Override
	public ChangeRunner runner(String project, String network) {
		return change -> {
			for (int attempt = 1;; attempt++) {
				try {
					run(project, change, attempt);
					return change.name();
				}
				catch (ApiException e) {
					if (attempt < ATTEMPTS && retryable(e)) {
						sleep(backoff(attempt));
						continue;
					}
					throw new IllegalStateException(what(change) + " in project " + project + " failed after " + attempt
							+ " attempt" + (attempt == 1 ? "" : "s") + ": " + e.getStatusCode().getCode() + ": "
							+ e.getMessage(), e);
				}
			}
		};
	}

	private void run(String project, GcpChange change, int attempt) {
		if (change instanceof GcpChange.Insert insert) {
			Firewall want = FirewallProtos.toProto(insert.firewall());
			try {
				measured("firewalls.insert", () -> wait(client.insertAsync(project, want)));
			}
			catch (AlreadyExistsException e) {
				// A retried insert whose first try went through: done, if what is there
				// is what was asked.
				if (attempt == 1) {
					throw e;
				}
				Firewall there = measured("firewalls.get", () -> client.get(project, insert.name()));
				if (!FirewallProtos.fromProto(there).equals(insert.firewall())) {
					throw e;
				}
			}
		}
		else if (change instanceof GcpChange.Replace replace) {
			Firewall now = measured("firewalls.get", () -> client.get(project, replace.name()));
			Firewall want = FirewallProtos.toProto(replace.firewall());
			if (mergePatchCanSay(now, want)) {
				measured("firewalls.patch", () -> wait(client.patchAsync(project, replace.name(), want)));
			}
			else {
				measured("firewalls.update", () -> wait(client.updateAsync(project, replace.name(), want)));
			}
		}
		else {
			try {
				measured("firewalls.delete", () -> wait(client.deleteAsync(project, change.name())));
			}
			catch (NotFoundException e) {
				// A retried delete whose first try went through.
				if (attempt == 1) {
					throw e;
				}
			}
		}
	}

	/**
	 * Throttling (429) and server errors (500, 503) are retried; everything else is an
	 * answer.
	 */
	static boolean retryable(ApiException e) {
		StatusCode.Code code = e.getStatusCode().getCode();
		return code == StatusCode.Code.RESOURCE_EXHAUSTED || code == StatusCode.Code.UNAVAILABLE
				|| code == StatusCode.Code.INTERNAL;
	}

	/**
	 * Exponential backoff with full jitter: a random wait up to base * 2^(attempt-1),
	 * capped.
	 */
	private Duration backoff(int attempt) {
		long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
		return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while backing off", e);
		}
	}

	/**
	 * A JSON merge patch cannot set a field to null, so it cannot switch a rule between
	 * allowed and denied or empty a list; those take an update, which replaces every
	 * field.
	 */
	static boolean mergePatchCanSay(Firewall now, Firewall want) {
		return now.getAllowedCount() > 0 == want.getAllowedCount() > 0
				&& !(now.getSourceRangesCount() > 0 && want.getSourceRangesCount() == 0)
				&& !(now.getDestinationRangesCount() > 0 && want.getDestinationRangesCount() == 0)
				&& !(now.getSourceTagsCount() > 0 && want.getSourceTagsCount() == 0)
				&& !(now.getSourceServiceAccountsCount() > 0 && want.getSourceServiceAccountsCount() == 0)
				&& !(now.getTargetTagsCount() > 0 && want.getTargetTagsCount() == 0)
				&& !(now.getTargetServiceAccountsCount() > 0 && want.getTargetServiceAccountsCount() == 0)
				&& !(now.hasLogConfig() && now.getLogConfig().getEnable() && !want.hasLogConfig());
	}

	/**
	 * Times one call (a mutation until its operation is DONE) in
	 * {@value ProviderCalls#METRIC}: the operation is the Compute method, the outcome
	 * {@code ok}, the client's status code ({@code NOT_FOUND},
	 * {@code RESOURCE_EXHAUSTED}), {@value #TIMEOUT} or {@code client-error}.
	 */
	private <T> T measured(String operation, Supplier<T> call) {
		long started = System.nanoTime();
		String outcome = ProviderCalls.CLIENT_ERROR;
		try {
			T result = call.get();
			outcome = ProviderCalls.OK;
			return result;
		}
		catch (ApiException e) {
			outcome = e.getStatusCode().getCode().name();
			throw e;
		}
		catch (RuntimeException e) {
			outcome = e.getCause() instanceof TimeoutException ? TIMEOUT : ProviderCalls.CLIENT_ERROR;
			throw e;
		}
		finally {
			calls.record(operation, outcome, System.nanoTime() - started);
		}
	}

	private void measured(String operation, Runnable call) {
		measured(operation, () -> {
			call.run();
			return null;
		});
	}

	private static void wait(com.google.api.gax.longrunning.OperationFuture<?, ?> operation) {
		try {
			operation.get(OPERATION_DEADLINE_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for a firewall operation", e);
		}
		catch (ExecutionException e) {
			throw e.getCause() instanceof ApiException api ? api : new IllegalStateException(
					"firewall operation failed: " + e.getCause().getMessage(), e.getCause());
		}
		catch (TimeoutException e) {
			throw new IllegalStateException("a firewall operation was not DONE within " + OPERATION_DEADLINE_SECONDS
					+ " s; a fresh plan shows where it stands", e);
		}
	}

	private static String what(GcpChange change) {
		return (change instanceof GcpChange.Insert ? "inserting"
				: change instanceof GcpChange.Replace ? "changing" : "deleting") + " firewall rule " + change.name();
	}

	@Override
	public void close() {
		client.close();
	}

}

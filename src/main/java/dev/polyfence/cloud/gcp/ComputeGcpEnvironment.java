package dev.polyfence.cloud.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallsClient;
import dev.polyfence.app.CloudAccessException;
import dev.polyfence.app.GcpEnvironment;
import dev.polyfence.app.ScopeNotFoundException;
import dev.polyfence.plan.gcp.GcpChange;
import dev.polyfence.plan.gcp.GcpLiveState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link GcpEnvironment} port over google-cloud-compute's {@link FirewallsClient}: the rules of
 * one network, read page by page; inserts, patches (updates where a merge patch cannot say it) and
 * deletes, each waited for until its operation is DONE, within a deadline.
 */
public final class ComputeGcpEnvironment implements GcpEnvironment, AutoCloseable {

	/** How long one operation may take before the apply stops and says so. */
	static final long OPERATION_DEADLINE_SECONDS = 300;

	private final FirewallsClient client;

	public ComputeGcpEnvironment(FirewallsClient client) {
		this.client = client;
	}

	@Override
	public GcpLiveState read(String project, String network) {
		try {
			List<dev.polyfence.translate.gcp.Firewall> firewalls = new ArrayList<>();
			for (Firewall f : client.list(project).iterateAll()) {
				if (network.equals(FirewallProtos.networkName(f.getNetwork()))) {
					firewalls.add(FirewallProtos.fromProto(f));
				}
			}
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
			try {
				if (change instanceof GcpChange.Insert insert) {
					wait(client.insertAsync(project, FirewallProtos.toProto(insert.firewall())));
				}
				else if (change instanceof GcpChange.Replace replace) {
					Firewall now = client.get(project, replace.name());
					Firewall want = FirewallProtos.toProto(replace.firewall());
					wait(mergePatchCanSay(now, want) ? client.patchAsync(project, replace.name(), want)
							: client.updateAsync(project, replace.name(), want));
				}
				else {
					wait(client.deleteAsync(project, change.name()));
				}
				return change.name();
			}
			catch (ApiException e) {
				throw new IllegalStateException(what(change) + " in project " + project + " failed: "
						+ e.getStatusCode().getCode() + ": " + e.getMessage(), e);
			}
		};
	}

	/**
	 * A JSON merge patch cannot set a field to null, so it cannot switch a rule between allowed and
	 * denied or empty a list; those take an update, which replaces every field.
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

	private static void wait(com.google.api.gax.longrunning.OperationFuture<?, ?> operation) {
		try {
			operation.get(OPERATION_DEADLINE_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for a firewall operation", e);
		}
		catch (ExecutionException e) {
			throw e.getCause() instanceof ApiException api ? api
					: new IllegalStateException("firewall operation failed: " + e.getCause().getMessage(), e.getCause());
		}
		catch (TimeoutException e) {
			throw new IllegalStateException("a firewall operation was not DONE within " + OPERATION_DEADLINE_SECONDS
					+ " s; a fresh plan shows where it stands", e);
		}
	}

	private static String what(GcpChange change) {
		return (change instanceof GcpChange.Insert ? "inserting" : change instanceof GcpChange.Replace ? "changing"
				: "deleting") + " firewall rule " + change.name();
	}

	@Override
	public void close() {
		client.close();
	}
}

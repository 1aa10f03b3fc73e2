package dev.polyfence.cloud.aws;

import dev.polyfence.app.AwsEnvironment;
import dev.polyfence.app.CloudAccessException;
import dev.polyfence.app.ScopeNotFoundException;
import dev.polyfence.cloud.ProviderCalls;
import dev.polyfence.plan.ManagedTags;
import dev.polyfence.plan.aws.AwsLiveState;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The {@link AwsEnvironment} port over the EC2 SDK: one client per region, made from the
 * service's own settings (endpoint override and retries from configuration, credentials
 * from the SDK's default chain), never from a request.
 */
public final class Ec2AwsEnvironment implements AwsEnvironment, AutoCloseable {

	private final Function<String, Ec2ClientSettings> settings;

	private final ProviderCalls calls;

	private final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();

	/**
	 * @param settings the client settings for a region; calls are not measured
	 */
	public Ec2AwsEnvironment(Function<String, Ec2ClientSettings> settings) {
		this(settings, ProviderCalls.none(Ec2Clients.CLOUD));
	}

	/**
	 * @param settings the client settings for a region
	 * @param calls where every EC2 call is recorded
	 */
	public Ec2AwsEnvironment(Function<String, Ec2ClientSettings> settings, ProviderCalls calls) {
		this.settings = settings;
		this.calls = calls;
	}

	@Override
	public AwsLiveState read(String region, String vpcId) {
		try {
			return new Ec2LiveStateReader(client(region)).read(vpcId);
		}
		catch (VpcNotFound e) {
			throw new ScopeNotFoundException("VPC " + vpcId + " does not exist in " + region);
		}
		catch (RuntimeException e) {
			throw new CloudAccessException("reading VPC " + vpcId + " in " + region + " failed: " + e.getMessage(), e);
		}
	}

	@Override
	public ChangeRunner runner(String region, String vpcId, String policyName, AwsLiveState seen) {
		Map<String, String> securityGroups = new HashMap<>();
		seen.securityGroups().forEach(g -> {
			String group = ManagedTags.groupOf(g.tags(), policyName);
			if (group != null) {
				securityGroups.put(group, g.groupId());
			}
		});
		Map<String, String> acls = new HashMap<>();
		seen.networkAcls().forEach(a -> {
			String group = ManagedTags.groupOf(a.tags(), policyName);
			if (group != null) {
				acls.put(group, a.networkAclId());
			}
		});
		Ec2ChangeExecutor executor = Ec2ChangeExecutor.forLiveState(client(region), seen, securityGroups, acls);
		return change -> executor.execute(change).created().orElse(null);
	}

	private Ec2Client client(String region) {
		return clients.computeIfAbsent(region, r -> Ec2Clients.create(settings.apply(r), calls));
	}

	@Override
	public void close() {
		clients.values().forEach(Ec2Client::close);
		clients.clear();
	}

}

package dev.polyfence.policy;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the groups live in each cloud (spec section 3). Each cloud's part is null when
 * the document has none; translation then uses default names and reports what it could
 * not resolve.
 */
public record Bindings(Aws aws, Azure azure, Gcp gcp) {

	public static final Bindings NONE = new Bindings(null, null, null);

	/**
	 * AWS: the VPC, the ephemeral range used for NACL return entries, and per group its
	 * SG, subnets and addresses.
	 */
	public record Aws(String region, String vpcId, PortRange ephemeralPorts, Integer securityGroupRuleQuota,
			Integer networkAclEntryQuota, boolean managesNetworkAcls, Map<String, AwsGroup> groups) {

		public static final PortRange DEFAULT_EPHEMERAL_PORTS = new PortRange(1024, 65535);

		public Aws {
			ephemeralPorts = ephemeralPorts == null ? DEFAULT_EPHEMERAL_PORTS : ephemeralPorts;
			groups = groups == null ? Map.of() : Map.copyOf(groups);
		}

		/**
		 * Bindings whose groups with subnets get network ACLs
		 * ({@code networkAcls: managed}).
		 */
		public Aws(String region, String vpcId, PortRange ephemeralPorts, Integer securityGroupRuleQuota,
				Integer networkAclEntryQuota, Map<String, AwsGroup> groups) {
			this(region, vpcId, ephemeralPorts, securityGroupRuleQuota, networkAclEntryQuota, true, groups);
		}

		public Optional<AwsGroup> group(String name) {
			return Optional.ofNullable(groups.get(name));
		}
	}

	public record AwsGroup(String securityGroupName, List<String> subnetIds, List<IPAddress> cidrs) {
		public AwsGroup {
			subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
			cidrs = cidrs == null ? List.of() : List.copyOf(cidrs);
		}
	}

	/**
	 * Azure: where the NSGs go, the first priority of this policy's band, and per group
	 * its NSG, ASG and addresses.
	 */
	public record Azure(String subscriptionId, String resourceGroup, String location, Integer priorityBase,
			Map<String, AzureGroup> groups) {

		public static final int DEFAULT_PRIORITY_BASE = 100;

		public Azure {
			priorityBase = priorityBase == null ? DEFAULT_PRIORITY_BASE : priorityBase;
			groups = groups == null ? Map.of() : Map.copyOf(groups);
		}

		public Optional<AzureGroup> group(String name) {
			return Optional.ofNullable(groups.get(name));
		}
	}

	public record AzureGroup(String networkSecurityGroupName, String applicationSecurityGroupName,
			List<IPAddress> cidrs) {
		public AzureGroup {
			cidrs = cidrs == null ? List.of() : List.copyOf(cidrs);
		}
	}

	/**
	 * GCP: the project and network, the first priority of this policy, and per group its
	 * tags or service account.
	 */
	public record Gcp(String project, String network, Integer priorityBase, Map<String, GcpGroup> groups) {

		public static final int DEFAULT_PRIORITY_BASE = 1000;

		public Gcp {
			priorityBase = priorityBase == null ? DEFAULT_PRIORITY_BASE : priorityBase;
			groups = groups == null ? Map.of() : Map.copyOf(groups);
		}

		public Optional<GcpGroup> group(String name) {
			return Optional.ofNullable(groups.get(name));
		}
	}

	/**
	 * Exactly one of targetTags (non-empty) and serviceAccount is set by a valid
	 * document.
	 */
	public record GcpGroup(List<String> targetTags, String serviceAccount, List<IPAddress> cidrs) {
		public GcpGroup {
			targetTags = targetTags == null ? List.of() : List.copyOf(targetTags);
			cidrs = cidrs == null ? List.of() : List.copyOf(cidrs);
		}
	}
}

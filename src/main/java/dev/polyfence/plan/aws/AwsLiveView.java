package dev.polyfence.plan.aws;

import dev.polyfence.plan.ManagedTags;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.SecurityGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Live state seen in the shape of a translation, so the evaluators can judge what a VPC
 * enforces now: each policy group gets its managed security group (none yet: no rules),
 * and the ACL its first bound subnet is associated with, managed or not (a subnet on the
 * default ACL is governed by it).
 */
public final class AwsLiveView {

	private AwsLiveView() {
	}

	public static AwsOutput of(Policy policy, Bindings.Aws aws, AwsLiveState live) {
		Map<String, String> namesById = new HashMap<>();
		live.securityGroups().forEach(g -> namesById.put(g.groupId(), g.groupName()));
		List<SecurityGroup> groups = new ArrayList<>();
		List<NetworkAcl> acls = new ArrayList<>();
		for (String group : policy.groups()) {
			live.securityGroups()
				.stream()
				.filter(g -> group.equals(ManagedTags.groupOf(g.tags(), policy.name())))
				.findFirst()
				.ifPresent(g -> groups.add(new SecurityGroup(group, g.groupName(), g.description(), live.vpcId(),
						permissions(g, false, namesById), permissions(g, true, namesById))));
			List<String> subnets = aws == null ? List.of()
					: aws.group(group).map(Bindings.AwsGroup::subnetIds).orElse(List.of());
			if (!subnets.isEmpty()) {
				live.associationOf(subnets.get(0))
					.ifPresent(a -> acls.add(new NetworkAcl(group, live.vpcId(), subnets, a.getKey().entries())));
			}
		}
		return new AwsOutput(groups, acls);
	}

	private static List<IpPermission> permissions(AwsLiveState.LiveSecurityGroup g, boolean egress,
			Map<String, String> namesById) {
		return g.rules()
			.stream()
			.filter(r -> r.egress() == egress)
			.map(r -> SgRuleKey.of(r, namesById).toPermission())
			.toList();
	}

}

package dev.polyfence.app;

import dev.polyfence.plan.FlowChange;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsLiveView;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.SecurityGroup;
import dev.polyfence.verify.AwsEvaluator;
import dev.polyfence.verify.Decision;
import dev.polyfence.verify.Flow;
import dev.polyfence.verify.PolicyEvaluator;
import dev.polyfence.verify.RepresentativeFlows;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which flows a plan opens and which it closes: representative flows of the policy
 * evaluated on what the cloud enforces now and on what it will enforce after the apply,
 * with the same evaluators that prove the translations.
 */
final class FlowDeltas {

	/**
	 * Per source (the policy, the live state): enough to show what moves, few enough to
	 * evaluate on every plan.
	 */
	static final int FLOWS = 2000;

	private FlowDeltas() {
	}

	static List<FlowChange> aws(Policy policy, Bindings bindings, AwsOutput desired, AwsLiveState live) {
		Map<String, List<IPAddress>> cidrs = new LinkedHashMap<>();
		bindings.aws().groups().forEach((g, b) -> cidrs.put(g, b.cidrs()));
		AwsOutput current = withEveryGroup(policy, AwsLiveView.of(policy, bindings.aws(), live));
		java.util.Set<Flow> candidates = new java.util.LinkedHashSet<>(RepresentativeFlows.of(policy, cidrs, FLOWS));
		candidates.addAll(RepresentativeFlows.of(current, cidrs, FLOWS));
		List<Flow> flows = candidates.stream().limit(2L * FLOWS).toList();
		AwsEvaluator now = new AwsEvaluator(policy, bindings, current);
		AwsEvaluator after = new AwsEvaluator(policy, bindings, desired);
		PolicyEvaluator rules = new PolicyEvaluator(policy);
		List<FlowChange> changes = new ArrayList<>();
		for (Flow flow : flows) {
			Cancellation.check();
			boolean before = now.evaluate(flow).allowedWithReplies();
			boolean then = after.evaluate(flow).allowedWithReplies();
			if (before != then) {
				Decision d = rules.decide(flow);
				String rule = d.ingressRule() != null ? d.ingressRule() : d.egressRule();
				changes
					.add(new FlowChange("aws", then ? FlowChange.ALLOWED : FlowChange.BLOCKED, flow.source().toString(),
							flow.destination().toString(), RepresentativeFlows.service(flow), rule));
			}
		}
		return changes;
	}

	/**
	 * A group with no managed security group yet has none of its rules: an empty group
	 * stands for that.
	 */
	private static AwsOutput withEveryGroup(Policy policy, AwsOutput live) {
		Set<String> present = new TreeSet<>();
		live.securityGroups().forEach(g -> present.add(g.group()));
		List<SecurityGroup> groups = new ArrayList<>(live.securityGroups());
		for (String group : policy.groups()) {
			if (!present.contains(group)) {
				groups.add(new SecurityGroup(group, "(none yet)", "", null, List.of(), List.of()));
			}
		}
		return new AwsOutput(groups, live.networkAcls());
	}

}

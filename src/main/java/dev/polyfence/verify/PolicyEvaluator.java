package dev.polyfence.verify;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import java.util.Objects;

/**
 * The neutral semantics of spec section 2, read literally: for each workload end, the
 * first rule of the right direction that applies to its group and matches the peer and
 * the service decides; otherwise the policy's default does. A flow is allowed when every
 * workload end allows it.
 */
public final class PolicyEvaluator {

	private final Policy policy;

	public PolicyEvaluator(Policy policy) {
		this.policy = Objects.requireNonNull(policy, "policy");
	}

	/**
	 * The policy's decision for a flow.
	 * @throws IllegalArgumentException when both ends are outside addresses (no policy
	 * judges that), or a workload's group is not in the policy
	 */
	public Decision decide(Flow flow) {
		Judgement egress = egress(flow);
		Judgement ingress = ingress(flow);
		return new Decision(egress.allows() && ingress.allows(), ingress.ruleName(), egress.ruleName());
	}

	/**
	 * One line per judged side, for failure messages: which rule or default decided and
	 * how.
	 */
	public String explain(Flow flow) {
		Judgement egress = egress(flow);
		Judgement ingress = ingress(flow);
		return "egress " + egress + "; ingress " + ingress;
	}

	private Judgement egress(Flow flow) {
		requireWorkloadEnd(flow);
		if (flow.source() instanceof Endpoint.Workload w) {
			return judge(w.group(), Direction.EGRESS, flow.destination(), flow);
		}
		return Judgement.NOT_JUDGED;
	}

	private Judgement ingress(Flow flow) {
		requireWorkloadEnd(flow);
		if (flow.destination() instanceof Endpoint.Workload w) {
			return judge(w.group(), Direction.INGRESS, flow.source(), flow);
		}
		return Judgement.NOT_JUDGED;
	}

	private Judgement judge(String group, Direction direction, Endpoint peer, Flow flow) {
		if (!policy.groups().contains(group)) {
			throw new IllegalArgumentException("workload group " + group + " is not in policy " + policy.name());
		}
		for (Rule rule : policy.rulesFor(group, direction)) {
			if (rule.peers().stream().anyMatch(p -> peerMatches(p, peer))
					&& rule.effectiveServices().stream().anyMatch(s -> serviceMatches(s, flow))) {
				return new Judgement(group, rule.action(), rule.name());
			}
		}
		return new Judgement(group, policy.defaults().of(direction), null);
	}

	private boolean peerMatches(Peer peer, Endpoint endpoint) {
		if (peer instanceof Peer.Any) {
			return true;
		}
		if (peer instanceof Peer.Group g) {
			return endpoint instanceof Endpoint.Workload w && w.group().equals(g.name());
		}
		return Addresses.anyContains(policy.blocksOf(peer), endpoint.address());
	}

	static boolean serviceMatches(Service service, Flow flow) {
		if (service.protocol().isAny()) {
			return true;
		}
		if (service.protocol().number() != flow.protocol()) {
			return false;
		}
		if (flow.hasPort()) {
			if (service.ports().isEmpty()) {
				return true;
			}
			for (PortRange range : service.ports()) {
				if (range.contains(flow.port())) {
					return true;
				}
			}
			return false;
		}
		if (flow.isIcmp()) {
			return (service.icmpType() == null || service.icmpType() == flow.icmpType())
					&& (service.icmpCode() == null || service.icmpCode() == flow.icmpCode());
		}
		return true;
	}

	private static void requireWorkloadEnd(Flow flow) {
		if (!(flow.source() instanceof Endpoint.Workload) && !(flow.destination() instanceof Endpoint.Workload)) {
			throw new IllegalArgumentException("no policy judges a flow between two outside addresses: " + flow);
		}
	}

	/**
	 * One side's outcome: the group judged, the action, and the deciding rule (null for
	 * the default).
	 */
	private record Judgement(String group, Action action, String ruleName) {

		static final Judgement NOT_JUDGED = new Judgement(null, Action.ALLOW, null);

		boolean allows() {
			return action == Action.ALLOW;
		}

		@Override
		public String toString() {
			if (group == null) {
				return "not judged (outside)";
			}
			return "of " + group + ": " + (ruleName == null ? "default" : "rule " + ruleName) + " -> " + action.wire();
		}
	}

}

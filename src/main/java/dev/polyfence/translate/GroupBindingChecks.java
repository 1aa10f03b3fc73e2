package dev.polyfence.translate;

import dev.polyfence.policy.Policy;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks of the group addresses bound in one cloud, shared by the translators. */
public final class GroupBindingChecks {

	private GroupBindingChecks() {
	}

	/**
	 * Reports groups whose bound addresses overlap (address-based output could not tell
	 * their workloads apart) and, when the cloud has bindings, groups without addresses.
	 */
	public static void check(Policy policy, Map<String, List<IPAddress>> cidrs, Target target, boolean bound,
			List<Finding> findings) {
		List<String> groups = policy.groups();
		List<AddressSet> addresses = new ArrayList<>();
		for (String group : groups) {
			addresses.add(AddressSet.of(cidrs.getOrDefault(group, List.of())));
		}
		for (int i = 0; i < groups.size(); i++) {
			AddressSet a = addresses.get(i);
			for (int j = i + 1; j < groups.size(); j++) {
				AddressSet b = addresses.get(j);
				if (a.intersects(b)) {
					findings.add(Finding.of(FindingCode.GROUP_ADDRESSES_OVERLAP, target, null,
							"the cidrs bound to groups " + groups.get(i) + " and " + groups.get(j) + " overlap ("
									+ a.intersect(b) + "); a workload is in exactly one group"));
				}
			}
			if (bound && a.isEmpty()) {
				findings.add(Finding.of(FindingCode.GROUP_ADDRESSES_UNBOUND, target, null,
						"group " + groups.get(i) + " has no cidrs bound in " + target.wire()
								+ ": it is matched by reference only, and CIDR and "
								+ "address-set peers are assumed not to hold its workloads"));
			}
		}
	}

}

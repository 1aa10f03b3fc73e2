package dev.polyfence.plan.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.ManagedTags;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.NetworkAclEntry;
import dev.polyfence.translate.aws.SecurityGroup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stable rule numbers and the order of ACL and security group calls, on hand-made live
 * and desired states of one group whose ACL a subnet uses.
 */
class NetworkAclPlanTest {

	private static final Policy POLICY = new Policy("shop", "", Defaults.STANDARD, Map.of(), List.of("web"), List.of());

	private static final String BLOCKED = "203.0.113.0/24";

	@Test
	void unchangedEntriesKeepTheirLiveNumbersWhateverTheTranslatorSuggests() {
		AwsPlan plan = plan(List.of(in(200, "deny", BLOCKED), in(300, "allow", "0.0.0.0/0"), in(301, "allow", "::/0")),
				List.of(in(100, "deny", BLOCKED), in(110, "allow", "0.0.0.0/0"), in(120, "allow", "::/0")));

		assertThat(plan.operations()).isEmpty();
		assertThat(plan.rows()).isEmpty();
	}

	@Test
	void anInsertedEntryGoesIntoTheGapBetweenItsKeptNeighbours() {
		AwsPlan plan = plan(List.of(in(100, "deny", BLOCKED), in(110, "allow", "0.0.0.0/0")),
				List.of(in(100, "deny", BLOCKED), in(110, "deny", "198.51.100.0/24"), in(120, "allow", "0.0.0.0/0")));

		assertThat(plan.operations())
			.containsExactly(new AwsChange.CreateNetworkAclEntry("web", in(105, "deny", "198.51.100.0/24")));
		assertThat(plan.rows()).singleElement().satisfies(r -> {
			assertThat(r.action()).isEqualTo(ChangeRow.CREATE);
			assertThat(r.resource()).isEqualTo("network ACL of web: 105 in deny protocol -1 from 198.51.100.0/24");
		});
	}

	@Test
	void entriesInsertedBeforeTheFirstAndAfterTheLastAreTenApart() {
		AwsPlan plan = plan(List.of(in(100, "deny", BLOCKED)), List.of(in(1, "deny", "198.51.100.0/24"),
				in(2, "deny", "192.0.2.0/24"), in(3, "deny", BLOCKED), in(4, "allow", "0.0.0.0/0")));

		assertThat(plan.operations()).extracting(c -> ((AwsChange.CreateNetworkAclEntry) c).entry().ruleNumber())
			.containsExactlyInAnyOrder(80, 90, 110);
	}

	@Test
	void anEntryChangedInPlaceIsOneReplaceShownAsOneUpdate() {
		AwsPlan plan = plan(List.of(in(100, "deny", BLOCKED), in(110, "allow", "0.0.0.0/0")),
				List.of(in(100, "deny", "203.0.113.0/25"), in(110, "allow", "0.0.0.0/0")));

		assertThat(plan.operations()).containsExactly(new AwsChange.ReplaceNetworkAclEntry("web",
				in(100, "deny", BLOCKED), in(100, "deny", "203.0.113.0/25")));
		assertThat(plan.rows()).singleElement().satisfies(r -> {
			assertThat(r.action()).isEqualTo(ChangeRow.UPDATE);
			assertThat(r.before()).isEqualTo(in(100, "deny", BLOCKED));
			assertThat(r.after()).isEqualTo(in(100, "deny", "203.0.113.0/25"));
		});
	}

	/**
	 * One replace would open 203.0.113.0/24 and block 198.51.100.0/24 at once: the new
	 * deny goes in beside the old one in the first half, the old one goes in the second.
	 */
	@Test
	void aDenyMovedToAnotherBlockIsAddedBesideTheOldOneFirst() {
		AwsPlan plan = plan(List.of(in(100, "deny", BLOCKED), in(110, "allow", "0.0.0.0/0")),
				List.of(in(100, "deny", "198.51.100.0/24"), in(110, "allow", "0.0.0.0/0")));

		assertThat(plan.operations()).containsExactly(
				new AwsChange.CreateNetworkAclEntry("web", in(99, "deny", "198.51.100.0/24")),
				new AwsChange.DeleteNetworkAclEntry("web", in(100, "deny", BLOCKED)));
		assertThat(plan.rows()).singleElement()
			.satisfies(r -> assertThat(r.resource()).isEqualTo("network ACL of web: 100 in deny protocol -1 from "
					+ BLOCKED + " → 99 in deny protocol -1 from 198.51.100.0/24"));
	}

	/**
	 * Ports 80-90 becoming 85-95 in one replace would cut 80-84 and open 91-95 at once:
	 * the entry is first narrowed to what both allow, then widened.
	 */
	@Test
	void anAllowThatChangesPortsGoesThroughWhatTheOldAndNewBothAllow() {
		AwsPlan plan = plan(List.of(tcpIn(100, "allow", "10.0.0.0/8", 80, 90), in(110, "deny", "0.0.0.0/0")),
				List.of(tcpIn(100, "allow", "10.0.0.0/8", 85, 95), in(110, "deny", "0.0.0.0/0")));

		assertThat(plan.operations()).containsExactly(
				new AwsChange.ReplaceNetworkAclEntry("web", tcpIn(100, "allow", "10.0.0.0/8", 80, 90),
						tcpIn(100, "allow", "10.0.0.0/8", 85, 90)),
				new AwsChange.ReplaceNetworkAclEntry("web", tcpIn(100, "allow", "10.0.0.0/8", 85, 90),
						tcpIn(100, "allow", "10.0.0.0/8", 85, 95)));
		assertThat(plan.rows()).hasSize(1);
		assertThat(plan.findings()).isEmpty();
	}

	@Test
	void anEntryThatChangesPlacesShowsAsMovedNeverAsDeleted() {
		AwsPlan plan = plan(
				List.of(in(100, "deny", BLOCKED), in(110, "deny", "198.51.100.0/24"), in(120, "allow", "0.0.0.0/0")),
				List.of(in(1, "deny", "198.51.100.0/24"), in(2, "deny", BLOCKED), in(3, "allow", "0.0.0.0/0")));

		assertThat(plan.rows()).singleElement().satisfies(r -> {
			assertThat(r.action()).isEqualTo(ChangeRow.UPDATE);
			assertThat(r.resource()).isEqualTo("network ACL of web: 100 in deny protocol -1 from " + BLOCKED
					+ " → 115 in deny protocol -1 from " + BLOCKED);
		});
		assertThat(plan.operations()).containsExactly(
				new AwsChange.CreateNetworkAclEntry("web", in(115, "deny", BLOCKED)),
				new AwsChange.DeleteNetworkAclEntry("web", in(100, "deny", BLOCKED)));
	}

	@Test
	void aGapWithoutRoomMovesTheFewestNeighbours() {
		AwsPlan plan = plan(
				List.of(in(100, "deny", BLOCKED), in(101, "deny", "198.51.100.0/24"), in(110, "deny", "192.0.2.0/24"),
						in(120, "allow", "0.0.0.0/0")),
				List.of(in(1, "deny", BLOCKED), in(2, "deny", "100.64.0.0/10"), in(3, "deny", "198.51.100.0/24"),
						in(4, "deny", "192.0.2.0/24"), in(5, "allow", "0.0.0.0/0")));

		assertThat(plan.rows()).hasSize(2);
		assertThat(plan.rows()).filteredOn(r -> r.action().equals(ChangeRow.DELETE)).isEmpty();
		assertThat(plan.rows()).extracting(ChangeRow::resource)
			.containsExactlyInAnyOrder(
					"network ACL of web: 101 in deny protocol -1 from 198.51.100.0/24 → 107 in "
							+ "deny protocol -1 from 198.51.100.0/24",
					"network ACL of web: 103 in deny protocol -1 from 100.64.0.0/10");
	}

	/**
	 * An ACL as an expert writes it (an exception, the denies, a return entry, allow-all
	 * last, both directions) and a pull request that narrows one denied block and denies
	 * one more port: two rows, where rewriting the changed direction would take fourteen.
	 */
	@Test
	void aTwoRuleEditOfARealisticAclIsTwoRows() {
		List<NetworkAclEntry> live = List.of(tcpIn(100, "allow", "203.0.113.10/32", 443, 443), in(110, "deny", BLOCKED),
				in(120, "deny", "198.51.100.0/24"), tcpIn(130, "deny", "0.0.0.0/0", 22, 22),
				tcpIn(140, "allow", "0.0.0.0/0", 1024, 65535), in(150, "allow", "0.0.0.0/0"), in(160, "allow", "::/0"),
				out(100, "deny", BLOCKED), out(110, "allow", "0.0.0.0/0"), out(120, "allow", "::/0"));
		List<NetworkAclEntry> desired = List.of(tcpIn(100, "allow", "203.0.113.10/32", 443, 443),
				in(110, "deny", "203.0.113.0/25"), in(120, "deny", "198.51.100.0/24"),
				tcpIn(130, "deny", "0.0.0.0/0", 22, 22), tcpIn(140, "deny", "0.0.0.0/0", 3389, 3389),
				tcpIn(150, "allow", "0.0.0.0/0", 1024, 65535), in(160, "allow", "0.0.0.0/0"), in(170, "allow", "::/0"),
				out(100, "deny", BLOCKED), out(110, "allow", "0.0.0.0/0"), out(120, "allow", "::/0"));

		AwsPlan plan = plan(live, desired);

		assertThat(plan.rows()).extracting(ChangeRow::action, ChangeRow::resource)
			.containsExactlyInAnyOrder(
					tuple(ChangeRow.UPDATE,
							"network ACL of web: 110 in deny protocol -1 from 203.0.113.0/24 → 110 in deny protocol -1 "
									+ "from 203.0.113.0/25"),
					tuple(ChangeRow.CREATE, "network ACL of web: 135 in deny protocol 6 ports 3389 from 0.0.0.0/0"));
		assertThat(plan.operations()).hasSize(2);
		assertThat(plan.findings()).isEmpty();
	}

	/**
	 * A deny moves from the security group (which allowed only the lower half) into the
	 * ACL: the ACL entry comes before the group widens.
	 */
	@Test
	void aDenyMovingIntoTheAclIsInPlaceBeforeTheSecurityGroupWidens() {
		AwsPlan plan = plan(liveGroup("0.0.0.0/1"), List.of(in(100, "allow", "0.0.0.0/0")),
				List.of(tcp443("0.0.0.0/0")), List.of(in(100, "deny", "128.0.0.0/1"), in(110, "allow", "0.0.0.0/0")));

		assertThat(plan.operations()).hasSize(3);
		assertThat(plan.operations().get(0))
			.isEqualTo(new AwsChange.CreateNetworkAclEntry("web", in(90, "deny", "128.0.0.0/1")));
		assertThat(plan.operations().get(1)).isInstanceOf(AwsChange.AuthorizeRules.class);
		assertThat(plan.operations().get(2)).isInstanceOf(AwsChange.RevokeRules.class);
		assertThat(plan.findings()).isEmpty();
	}

	/**
	 * The other way: the group narrows first, and the ACL deny goes only after.
	 */
	@Test
	void aDenyMovingOutOfTheAclStaysUntilTheSecurityGroupHasNarrowed() {
		AwsPlan plan = plan(liveGroup("0.0.0.0/0"),
				List.of(in(100, "deny", "128.0.0.0/1"), in(110, "allow", "0.0.0.0/0")), List.of(tcp443("0.0.0.0/1")),
				List.of(in(100, "allow", "0.0.0.0/0")));

		List<Class<?>> order = plan.operations().stream().<Class<?>>map(Object::getClass).toList();
		assertThat(order).containsExactly(AwsChange.AuthorizeRules.class, AwsChange.RevokeRules.class,
				AwsChange.DeleteNetworkAclEntry.class);
		assertThat(plan.findings()).isEmpty();
	}

	/**
	 * tcp 0-1000 becoming tcp 500-2000 from one block: revoking first would cut 500-1000,
	 * adding first would open 1001-2000 while 0-499 is still allowed. What both allow
	 * goes in as an interim rule first, so the old rule can go in the first half.
	 */
	@Test
	void aSecurityGroupRuleThatOverlapsItsReplacementInPartGoesThroughAnInterimRule() {
		List<AwsLiveState.LiveRule> live = List.of(
				new AwsLiveState.LiveRule("sgr-1", false, "tcp", 0, 1000, "10.0.0.0/8", null, null, null),
				new AwsLiveState.LiveRule("sgr-2", true, "-1", null, null, "0.0.0.0/0", null, null, null));
		IpPermission wanted = new IpPermission("tcp", 500, 2000, List.of(new IpPermission.IpRange("10.0.0.0/8")),
				List.of(), List.of());
		List<NetworkAclEntry> acl = List.of(in(100, "allow", "0.0.0.0/0"));

		AwsPlan plan = plan(live, acl, List.of(wanted), acl);

		assertThat(plan.operations()).hasSize(4);
		assertThat(plan.operations().get(0))
			.isEqualTo(new AwsChange.AuthorizeRules("web", false, List.of(new IpPermission("tcp", 500, 1000,
					List.of(new IpPermission.IpRange("10.0.0.0/8")), List.of(), List.of()))));
		assertThat(plan.operations().get(1))
			.isEqualTo(new AwsChange.RevokeRules("web", "sg-1", false, live.subList(0, 1)));
		assertThat(plan.operations().get(2)).isEqualTo(new AwsChange.AuthorizeRules("web", false, List.of(wanted)));
		assertThat(plan.operations().get(3)).isEqualTo(new AwsChange.RevokeRules("web", "sg-1", false,
				List.of(new AwsLiveState.LiveRule(null, false, "tcp", 500, 1000, "10.0.0.0/8", null, null, null))));
		assertThat(plan.rows()).extracting(ChangeRow::resource)
			.contains("shop-web: ingress tcp 500-1000 from 10.0.0.0/8 (interim, revoked later in this apply)");
		assertThat(plan.findings()).isEmpty();
	}

	private static AwsPlan plan(List<NetworkAclEntry> live, List<NetworkAclEntry> desired) {
		return plan(null, live, null, desired);
	}

	private static AwsPlan plan(List<AwsLiveState.LiveRule> liveRules, List<NetworkAclEntry> live,
			List<IpPermission> ingress, List<NetworkAclEntry> desired) {
		Map<String, String> tags = ManagedTags.of("shop", "web");
		AwsLiveState.LiveNetworkAcl acl = new AwsLiveState.LiveNetworkAcl("acl-1", false, tags, live,
				List.of(new AwsLiveState.Association("aclassoc-1", "subnet-1")));
		List<AwsLiveState.LiveSecurityGroup> groups = liveRules == null ? List.of()
				: List.of(new AwsLiveState.LiveSecurityGroup("sg-1", "shop-web", "web", tags, liveRules));
		List<SecurityGroup> securityGroups = ingress == null ? List.of()
				: List.of(new SecurityGroup("web", "shop-web", "web", "vpc-1", ingress, List.of(new IpPermission("-1",
						null, null, List.of(new IpPermission.IpRange("0.0.0.0/0")), List.of(), List.of()))));
		AwsOutput desiredOutput = new AwsOutput(securityGroups,
				List.of(new NetworkAcl("web", "vpc-1", List.of("subnet-1"), desired)));
		return new AwsPlanner().plan(POLICY, null, desiredOutput, new AwsLiveState("vpc-1", groups, List.of(acl)));
	}

	/** Live rules of the web group: tcp 443 from one block in, everything out. */
	private static List<AwsLiveState.LiveRule> liveGroup(String cidr) {
		return List.of(new AwsLiveState.LiveRule("sgr-1", false, "tcp", 443, 443, cidr, null, null, null),
				new AwsLiveState.LiveRule("sgr-2", true, "-1", null, null, "0.0.0.0/0", null, null, null));
	}

	private static IpPermission tcp443(String cidr) {
		return new IpPermission("tcp", 443, 443, List.of(new IpPermission.IpRange(cidr)), List.of(), List.of());
	}

	private static NetworkAclEntry in(int number, String action, String cidr) {
		boolean v6 = cidr.contains(":");
		return new NetworkAclEntry(number, "-1", action, false, v6 ? null : cidr, v6 ? cidr : null, null, null);
	}

	private static NetworkAclEntry out(int number, String action, String cidr) {
		boolean v6 = cidr.contains(":");
		return new NetworkAclEntry(number, "-1", action, true, v6 ? null : cidr, v6 ? cidr : null, null, null);
	}

	private static NetworkAclEntry tcpIn(int number, String action, String cidr, int from, int to) {
		return new NetworkAclEntry(number, "6", action, false, cidr, null, new NetworkAclEntry.Ports(from, to), null);
	}

}

package dev.polyfence.cloud.aws;

import static dev.polyfence.cloud.aws.Permissions.all;
import static dev.polyfence.cloud.aws.Permissions.cidrs;
import static dev.polyfence.cloud.aws.Permissions.groupNamed;
import static dev.polyfence.cloud.aws.Permissions.icmp;
import static dev.polyfence.cloud.aws.Permissions.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.polyfence.cloud.aws.Ec2OperationException.Kind;
import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsLiveState.LiveNetworkAcl;
import dev.polyfence.plan.aws.AwsLiveState.LiveRule;
import dev.polyfence.plan.aws.AwsLiveState.LiveSecurityGroup;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The EC2 adapter against an EC2 API (moto, LocalStack): each change type executed and
 * read back. Subclasses give the client and say where their emulator differs from AWS.
 */
abstract class Ec2AdapterContract {

	static final Map<String, String> TAGS = Map.of("polyfence:policy", "shop", "polyfence:group", "web");

	TestVpc vpc;

	Ec2LiveStateReader reader;

	abstract Ec2Client ec2();

	/** moto leaves IcmpTypeCode out of DescribeNetworkAcls; AWS returns it. */
	boolean returnsIcmpTypeCodes() {
		return true;
	}

	@BeforeEach
	void createVpc() {
		vpc = TestVpc.create(ec2());
		reader = new Ec2LiveStateReader(ec2());
	}

	Ec2ChangeExecutor executor() {
		return Ec2ChangeExecutor.forLiveState(ec2(), reader.read(vpc.vpcId()), Map.of(), Map.of());
	}

	LiveSecurityGroup group(AwsLiveState live, String name) {
		return live.securityGroupNamed(name).orElseThrow();
	}

	LiveNetworkAcl acl(AwsLiveState live, String id) {
		return live.networkAcls().stream().filter(a -> a.networkAclId().equals(id)).findFirst().orElseThrow();
	}

	@Test
	void readsAnEmptyVpcWithItsDefaultGroupAndAcl() {
		AwsLiveState live = reader.read(vpc.vpcId());

		assertThat(live.vpcId()).isEqualTo(vpc.vpcId());
		assertThat(live.securityGroups()).singleElement().satisfies(g -> {
			assertThat(g.groupName()).isEqualTo("default");
			assertThat(g.tags()).isEmpty();
			assertThat(g.rules()).filteredOn(LiveRule::egress)
				.extracting(LiveRule::ipProtocol, LiveRule::cidrIpv4)
				.containsExactly(tuple("-1", "0.0.0.0/0"));
		});
		assertThat(live.networkAcls()).singleElement().satisfies(a -> {
			assertThat(a.isDefault()).isTrue();
			assertThat(a.tags()).isEmpty();
			assertThat(a.entries()).containsExactly(all(100, false, "allow", "0.0.0.0/0"),
					all(100, true, "allow", "0.0.0.0/0"));
			assertThat(a.associations()).extracting(AwsLiveState.Association::subnetId)
				.containsExactlyInAnyOrderElementsOf(vpc.subnetIds());
		});
	}

	@Test
	void aMissingVpcIsTypedNotFound() {
		assertThatThrownBy(() -> reader.read("vpc-0123456789abcdef0")).isInstanceOfSatisfying(VpcNotFound.class, e -> {
			assertThat(e.vpcId()).isEqualTo("vpc-0123456789abcdef0");
			assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
			assertThat(e.errorCode()).contains(Ec2ErrorCodes.INVALID_VPC_ID_NOT_FOUND);
		});
	}

	@Test
	void createsATaggedSecurityGroupAndAuthorizesManyPermissionsInOneCall() {
		Ec2ChangeExecutor executor = executor();
		ChangeResult created = executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web tier", TAGS));
		long before = executor.apiCalls();

		executor.execute(new AwsChange.AuthorizeRules("web", false,
				List.of(cidrs("tcp", 443, 443, "10.1.0.0/16", "10.2.0.0/16", "2001:db8::/32"),
						cidrs("udp", 53, 53, "10.3.0.0/24"), cidrs("icmp", 3, 4, "10.4.0.0/24"),
						groupNamed("-1", null, null, "shop-web"))));

		assertThat(executor.apiCalls() - before).isEqualTo(1);
		LiveSecurityGroup web = group(reader.read(vpc.vpcId()), "shop-web");
		assertThat(web.groupId()).isEqualTo(created.createdId()).isEqualTo(executor.securityGroupIds().get("web"));
		assertThat(web.description()).isEqualTo("web tier");
		assertThat(web.tags()).isEqualTo(TAGS);
		assertThat(web.rules()).filteredOn(r -> !r.egress())
			.extracting(LiveRule::ipProtocol, LiveRule::fromPort, LiveRule::toPort, LiveRule::cidrIpv4,
					LiveRule::cidrIpv6, LiveRule::referencedGroupId)
			.containsExactlyInAnyOrder(tuple("tcp", 443, 443, "10.1.0.0/16", null, null),
					tuple("tcp", 443, 443, "10.2.0.0/16", null, null),
					tuple("tcp", 443, 443, null, "2001:db8::/32", null),
					tuple("udp", 53, 53, "10.3.0.0/24", null, null), tuple("icmp", 3, 4, "10.4.0.0/24", null, null),
					tuple("-1", -1, -1, null, null, web.groupId()));
		assertThat(web.rules()).allSatisfy(r -> assertThat(r.ruleId()).startsWith("sgr-"));
	}

	@Test
	void revokesByRuleId() {
		Ec2ChangeExecutor executor = executor();
		executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web tier", TAGS));
		executor.execute(new AwsChange.AuthorizeRules("web", false,
				List.of(cidrs("tcp", 443, 443, "10.1.0.0/16", "10.2.0.0/16"), cidrs("tcp", 80, 80, "10.1.0.0/16"))));
		LiveSecurityGroup web = group(reader.read(vpc.vpcId()), "shop-web");
		List<LiveRule> https = web.rules().stream().filter(r -> Integer.valueOf(443).equals(r.fromPort())).toList();

		ChangeResult result = executor.execute(new AwsChange.RevokeRules("web", web.groupId(), false, https));

		assertThat(result.ruleIds()).containsExactlyInAnyOrderElementsOf(https.stream().map(LiveRule::ruleId).toList());
		assertThat(group(reader.read(vpc.vpcId()), "shop-web").rules()).filteredOn(r -> !r.egress())
			.extracting(LiveRule::fromPort)
			.containsExactly(80);
	}

	@Test
	void revokesTheDefaultEgressRuleOfAnExistingGroupById() {
		LiveSecurityGroup defaultGroup = group(reader.read(vpc.vpcId()), "default");
		List<LiveRule> egress = defaultGroup.rules().stream().filter(LiveRule::egress).toList();

		executor().execute(new AwsChange.RevokeRules("default", defaultGroup.groupId(), true, egress));

		assertThat(group(reader.read(vpc.vpcId()), "default").rules()).noneMatch(LiveRule::egress);
	}

	@Test
	void revokesTheDefaultEgressRuleOfAGroupCreatedInTheSameApplyByItsProperties() {
		Ec2ChangeExecutor executor = executor();
		executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web tier", TAGS));
		LiveRule defaultEgress = new LiveRule(null, true, "-1", null, null, "0.0.0.0/0", null, null, null);

		executor.execute(new AwsChange.RevokeRules("web", null, true, List.of(defaultEgress)));

		assertThat(group(reader.read(vpc.vpcId()), "shop-web").rules()).isEmpty();
	}

	@Test
	void replacesTheDefaultEgressOfAGroupThatExistedBeforeTheApply() {
		Ec2ChangeExecutor setup = executor();
		String id = setup.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web tier", TAGS)).createdId();
		AwsLiveState live = reader.read(vpc.vpcId());
		Ec2ChangeExecutor executor = Ec2ChangeExecutor.forLiveState(ec2(), live, Map.of("web", id), Map.of());
		List<LiveRule> defaultEgress = group(live, "shop-web").rules().stream().filter(LiveRule::egress).toList();

		executor.execute(new AwsChange.AuthorizeRules("web", true,
				List.of(cidrs("tcp", 443, 443, "0.0.0.0/0", "::/0"), cidrs("udp", 53, 53, "10.0.0.2/32"))));
		executor.execute(new AwsChange.RevokeRules("web", id, true, defaultEgress));

		assertThat(executor.apiCalls()).isEqualTo(2);
		assertThat(group(reader.read(vpc.vpcId()), "shop-web").rules())
			.extracting(LiveRule::egress, LiveRule::ipProtocol, LiveRule::fromPort, LiveRule::cidrIpv4,
					LiveRule::cidrIpv6)
			.containsExactlyInAnyOrder(tuple(true, "tcp", 443, "0.0.0.0/0", null),
					tuple(true, "tcp", 443, null, "::/0"), tuple(true, "udp", 53, "10.0.0.2/32", null));
	}

	@Test
	void resolvesGroupNamesToIdsForGroupsCreatedEarlierOrAlreadyThere() {
		Ec2ChangeExecutor executor = executor();
		String app = executor.execute(new AwsChange.CreateSecurityGroup("app", "shop-app", "app tier", TAGS))
			.createdId();
		String db = executor.execute(new AwsChange.CreateSecurityGroup("db", "shop-db", "db tier", TAGS)).createdId();
		String defaultId = group(reader.read(vpc.vpcId()), "default").groupId();

		executor.execute(new AwsChange.AuthorizeRules("db", false,
				List.of(groupNamed("tcp", 5432, 5432, "shop-app"), groupNamed("tcp", 22, 22, "default"))));

		assertThat(group(reader.read(vpc.vpcId()), "shop-db").rules()).filteredOn(r -> !r.egress())
			.extracting(LiveRule::fromPort, LiveRule::referencedGroupId)
			.containsExactlyInAnyOrder(tuple(5432, app), tuple(22, defaultId));
		assertThat(db).isNotEqualTo(app);
	}

	@Test
	void anUnknownGroupNameIsRefusedBeforeAnyCall() {
		Ec2ChangeExecutor executor = executor();
		executor.execute(new AwsChange.CreateSecurityGroup("db", "shop-db", "db tier", TAGS));
		long before = executor.apiCalls();

		assertThatThrownBy(() -> executor
			.execute(new AwsChange.AuthorizeRules("db", false, List.of(groupNamed("tcp", 5432, 5432, "shop-nowhere")))))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> {
				assertThat(e.kind()).isEqualTo(Kind.UNRESOLVED);
				assertThat(e.getMessage()).contains("shop-nowhere", "group db", executor.securityGroupIds().get("db"));
			});
		assertThat(executor.apiCalls()).isEqualTo(before);
	}

	@Test
	void aDuplicateAuthorizeIsTypedDuplicate() {
		Ec2ChangeExecutor executor = executor();
		String id = executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web tier", TAGS))
			.createdId();
		AwsChange.AuthorizeRules https = new AwsChange.AuthorizeRules("web", false,
				List.of(cidrs("tcp", 443, 443, "10.1.0.0/16")));
		executor.execute(https);

		assertThatThrownBy(() -> executor.execute(https)).isInstanceOfSatisfying(Ec2OperationException.class, e -> {
			assertThat(e.kind()).isEqualTo(Kind.DUPLICATE);
			assertThat(e.errorCode()).contains(Ec2ErrorCodes.INVALID_PERMISSION_DUPLICATE);
			assertThat(e.resource()).isEqualTo(id);
			assertThat(e.getMessage()).startsWith("Authorizing 1 ingress permission on security group " + id);
		});
	}

	@Test
	void moreThanSixtyRulesInOneDirectionIsTypedLimitExceeded() {
		Ec2ChangeExecutor executor = executor();
		executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web tier", TAGS));
		List<IpPermission> many = IntStream.rangeClosed(1, 61)
			.mapToObj(p -> cidrs("tcp", p, p, "10.1.0.0/16"))
			.toList();

		assertThatThrownBy(() -> executor.execute(new AwsChange.AuthorizeRules("web", false, many)))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> {
				assertThat(e.kind()).isEqualTo(Kind.LIMIT_EXCEEDED);
				assertThat(e.errorCode()).contains(Ec2ErrorCodes.RULES_PER_SECURITY_GROUP_LIMIT_EXCEEDED);
			});
	}

	@Test
	void createsANetworkAclWithEntriesDeletesOneAndMovesASubnetToIt() {
		Ec2ChangeExecutor executor = executor();
		String defaultAcl = reader.read(vpc.vpcId()).networkAcls().get(0).networkAclId();
		String aclId = executor.execute(new AwsChange.CreateNetworkAcl("web", TAGS)).createdId();
		List<NetworkAclEntry> entries = List.of(tcp(100, false, "allow", "10.1.0.0/16", 443, 443),
				icmp(110, false, "10.1.0.0/16", 3, 4), all(100, true, "deny", "10.9.0.0/16"),
				tcp(110, true, "allow", "0.0.0.0/0", 1024, 65535), all(120, true, "allow", "::/0"));
		entries.forEach(e -> executor.execute(new AwsChange.CreateNetworkAclEntry("web", e)));

		LiveNetworkAcl created = acl(reader.read(vpc.vpcId()), aclId);
		assertThat(created.isDefault()).isFalse();
		assertThat(created.tags()).isEqualTo(TAGS);
		assertThat(created.associations()).isEmpty();
		assertThat(created.entries()).map(this::comparable)
			.containsExactlyInAnyOrderElementsOf(entries.stream().map(this::comparable).toList());

		executor.execute(new AwsChange.DeleteNetworkAclEntry("web", entries.get(0)));
		assertThat(acl(reader.read(vpc.vpcId()), aclId).entries()).hasSize(entries.size() - 1)
			.noneMatch(e -> !e.egress() && e.ruleNumber() == 100);

		String subnet = vpc.subnetIds().get(0);
		AwsLiveState.Association current = reader.read(vpc.vpcId()).associationOf(subnet).orElseThrow().getValue();
		ChangeResult moved = executor
			.execute(new AwsChange.AssociateSubnet("web", subnet, current.associationId(), defaultAcl));

		AwsLiveState after = reader.read(vpc.vpcId());
		assertThat(acl(after, aclId).associations())
			.containsExactly(new AwsLiveState.Association(moved.createdId(), subnet));
		assertThat(acl(after, defaultAcl).associations()).extracting(AwsLiveState.Association::subnetId)
			.containsExactly(vpc.subnetIds().get(1));
	}

	@Test
	void replacesANetworkAclEntryInPlaceKeepingItsNumber() {
		Ec2ChangeExecutor executor = executor();
		String aclId = executor.execute(new AwsChange.CreateNetworkAcl("web", TAGS)).createdId();
		NetworkAclEntry deny = all(100, false, "deny", "203.0.113.0/24");
		NetworkAclEntry allow = all(110, false, "allow", "0.0.0.0/0");
		executor.execute(new AwsChange.CreateNetworkAclEntry("web", deny));
		executor.execute(new AwsChange.CreateNetworkAclEntry("web", allow));
		long calls = executor.apiCalls();

		NetworkAclEntry narrower = tcp(100, false, "deny", "203.0.113.0/25", 22, 443);
		executor.execute(new AwsChange.ReplaceNetworkAclEntry("web", deny, narrower));

		assertThat(executor.apiCalls()).isEqualTo(calls + 1);
		assertThat(acl(reader.read(vpc.vpcId()), aclId).entries()).map(this::comparable)
			.containsExactlyInAnyOrder(narrower, allow);
	}

	/**
	 * AWS answers InvalidNetworkAclEntry.NotFound, moto HTTP 500: the executor refuses
	 * before the call, from the entries it knows.
	 */
	@Test
	void replacingOrDeletingAMissingNetworkAclEntryIsRefusedAsNotFoundBeforeAnyCall() {
		Ec2ChangeExecutor executor = executor();
		executor.execute(new AwsChange.CreateNetworkAcl("web", TAGS));
		executor.execute(new AwsChange.CreateNetworkAclEntry("web", all(100, false, "deny", "203.0.113.0/24")));
		long calls = executor.apiCalls();
		NetworkAclEntry missing = all(110, false, "allow", "0.0.0.0/0");

		assertThatThrownBy(() -> executor
			.execute(new AwsChange.ReplaceNetworkAclEntry("web", missing, all(110, false, "deny", "0.0.0.0/0"))))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> {
				assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
				assertThat(e.getMessage()).contains("ingress entry 110");
			});
		assertThatThrownBy(() -> executor.execute(new AwsChange.DeleteNetworkAclEntry("web", missing)))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
		assertThat(executor.apiCalls()).isEqualTo(calls);
	}

	@Test
	void aNetworkAclEntryWithATakenRuleNumberIsTypedDuplicate() {
		Ec2ChangeExecutor executor = executor();
		String aclId = executor.execute(new AwsChange.CreateNetworkAcl("web", TAGS)).createdId();
		executor.execute(new AwsChange.CreateNetworkAclEntry("web", tcp(100, false, "allow", "10.1.0.0/16", 443, 443)));

		assertThatThrownBy(() -> executor
			.execute(new AwsChange.CreateNetworkAclEntry("web", tcp(100, false, "deny", "10.2.0.0/16", 80, 80))))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> {
				assertThat(e.kind()).isEqualTo(Kind.DUPLICATE);
				assertThat(e.errorCode()).contains(Ec2ErrorCodes.NETWORK_ACL_ENTRY_ALREADY_EXISTS);
				assertThat(e.getMessage()).contains("entry 100", aclId);
			});
	}

	@Test
	void revokingARuleThatIsGoneIsTypedNotFound() {
		Ec2ChangeExecutor executor = executor();
		String id = executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web tier", TAGS))
			.createdId();
		LiveRule gone = new LiveRule("sgr-0123456789abcdef0", false, "tcp", 443, 443, "10.1.0.0/16", null, null, null);

		assertThatThrownBy(() -> executor.execute(new AwsChange.RevokeRules("web", id, false, List.of(gone))))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
	}

	/** An entry as this emulator can return it. */
	private NetworkAclEntry comparable(NetworkAclEntry e) {
		return returnsIcmpTypeCodes() ? e : new NetworkAclEntry(e.ruleNumber(), e.protocol(), e.ruleAction(),
				e.egress(), e.cidrBlock(), e.ipv6CidrBlock(), e.portRange(), null);
	}

}

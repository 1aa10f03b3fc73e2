package dev.polyfence.cloud.aws;

import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsLiveState.Association;
import dev.polyfence.plan.aws.AwsLiveState.LiveNetworkAcl;
import dev.polyfence.plan.aws.AwsLiveState.LiveRule;
import dev.polyfence.plan.aws.AwsLiveState.LiveSecurityGroup;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkAclsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Reads what a plan needs of one VPC: every security group with its rules and every
 * network ACL with its entries and subnet associations, managed or not. Lists come back
 * in a stable order (groups, rules and ACLs by id; entries by direction and rule number)
 * so that two reads of an unchanged VPC are equal. Safe to share between threads, as the
 * client is.
 */
public final class Ec2LiveStateReader {

	/**
	 * DescribeSecurityGroups and DescribeSecurityGroupRules take MaxResults 5 to 1000
	 * (EC2 API Reference).
	 */
	public static final int MAX_PAGE_SIZE = 1000;

	public static final int MIN_PAGE_SIZE = 5;

	/** DescribeNetworkAcls takes MaxResults 5 to 100 (EC2 API Reference). */
	static final int MAX_ACL_PAGE_SIZE = 100;

	/**
	 * Group ids per DescribeSecurityGroupRules call (filter {@code group-id}, values
	 * joined with OR). The API reference states no limit on filter values; 50 keeps each
	 * request small.
	 */
	static final int GROUP_IDS_PER_RULES_CALL = 50;

	/**
	 * Rule numbers from here up are AWS's fixed {@code *} entries (32767 for IPv4, 32768
	 * for IPv6).
	 */
	static final int FIRST_RESERVED_RULE_NUMBER = 32767;

	private final Ec2Client ec2;

	private final int pageSize;

	private final AtomicLong apiCalls = new AtomicLong();

	public Ec2LiveStateReader(Ec2Client ec2) {
		this(ec2, MAX_PAGE_SIZE);
	}

	/**
	 * @param pageSize MaxResults for each describe call, 5 to 1000 (at most 100 for
	 * network ACLs)
	 */
	public Ec2LiveStateReader(Ec2Client ec2, int pageSize) {
		if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException(
					"pageSize must be " + MIN_PAGE_SIZE + " to " + MAX_PAGE_SIZE + ", not " + pageSize);
		}
		this.ec2 = ec2;
		this.pageSize = pageSize;
	}

	/**
	 * The security groups and network ACLs of {@code vpcId}.
	 * @throws VpcNotFound when there is no such VPC
	 * @throws Ec2OperationException when a describe call fails
	 */
	public AwsLiveState read(String vpcId) {
		requireVpc(vpcId);
		List<SecurityGroup> groups = securityGroups(vpcId);
		Map<String, List<LiveRule>> rules = rulesByGroup(vpcId, groups.stream().map(SecurityGroup::groupId).toList());
		List<LiveSecurityGroup> liveGroups = new ArrayList<>();
		for (SecurityGroup g : groups) {
			liveGroups.add(new LiveSecurityGroup(g.groupId(), g.groupName(), g.description(), tags(g.tags()),
					rules.getOrDefault(g.groupId(), List.of())));
		}
		liveGroups.sort(Comparator.comparing(LiveSecurityGroup::groupId));
		List<LiveNetworkAcl> acls = networkAcls(vpcId);
		return new AwsLiveState(vpcId, liveGroups, acls);
	}

	/** EC2 calls made so far, one per page (retries of one call not counted). */
	public long apiCalls() {
		return apiCalls.get();
	}

	private void requireVpc(String vpcId) {
		String doing = "describing VPC " + vpcId;
		DescribeVpcsResponse response;
		try {
			apiCalls.incrementAndGet();
			response = ec2.describeVpcs(r -> r.vpcIds(vpcId));
		}
		catch (AwsServiceException e) {
			String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
			if (Ec2ErrorCodes.INVALID_VPC_ID_NOT_FOUND.equals(code)) {
				throw new VpcNotFound(vpcId, "VPC " + vpcId + " does not exist (" + code + ")", e);
			}
			throw Ec2Errors.wrap(doing, vpcId, e);
		}
		catch (SdkException e) {
			throw Ec2Errors.wrap(doing, vpcId, e);
		}
		if (response.vpcs().stream().noneMatch(v -> vpcId.equals(v.vpcId()))) {
			throw new VpcNotFound(vpcId, "VPC " + vpcId + " does not exist (DescribeVpcs returned no such VPC)", null);
		}
	}

	private List<SecurityGroup> securityGroups(String vpcId) {
		List<SecurityGroup> groups = new ArrayList<>();
		try {
			for (DescribeSecurityGroupsResponse page : ec2.describeSecurityGroupsPaginator(
					r -> r.filters(filter("vpc-id", List.of(vpcId))).maxResults(pageSize))) {
				apiCalls.incrementAndGet();
				groups.addAll(page.securityGroups());
			}
		}
		catch (SdkException e) {
			throw Ec2Errors.wrap("describing the security groups of VPC " + vpcId, vpcId, e);
		}
		return groups;
	}

	private Map<String, List<LiveRule>> rulesByGroup(String vpcId, List<String> groupIds) {
		Map<String, List<LiveRule>> rules = new HashMap<>();
		for (int start = 0; start < groupIds.size(); start += GROUP_IDS_PER_RULES_CALL) {
			List<String> chunk = groupIds.subList(start, Math.min(groupIds.size(), start + GROUP_IDS_PER_RULES_CALL));
			try {
				for (DescribeSecurityGroupRulesResponse page : ec2.describeSecurityGroupRulesPaginator(
						r -> r.filters(filter("group-id", chunk)).maxResults(pageSize))) {
					apiCalls.incrementAndGet();
					for (SecurityGroupRule rule : page.securityGroupRules()) {
						rules.computeIfAbsent(rule.groupId(), k -> new ArrayList<>()).add(liveRule(rule));
					}
				}
			}
			catch (SdkException e) {
				throw Ec2Errors.wrap(
						"describing the rules of security groups " + String.join(", ", chunk) + " in VPC " + vpcId,
						chunk.get(0), e);
			}
		}
		rules.values()
			.forEach(list -> list.sort(Comparator.comparing(LiveRule::egress).thenComparing(LiveRule::ruleId)));
		return rules;
	}

	static LiveRule liveRule(SecurityGroupRule rule) {
		String referenced = rule.referencedGroupInfo() == null ? null : rule.referencedGroupInfo().groupId();
		return new LiveRule(rule.securityGroupRuleId(), Boolean.TRUE.equals(rule.isEgress()), rule.ipProtocol(),
				rule.fromPort(), rule.toPort(), rule.cidrIpv4(), rule.cidrIpv6(), referenced, rule.prefixListId());
	}

	private List<LiveNetworkAcl> networkAcls(String vpcId) {
		List<LiveNetworkAcl> acls = new ArrayList<>();
		try {
			for (DescribeNetworkAclsResponse page : ec2
				.describeNetworkAclsPaginator(r -> r.filters(filter("vpc-id", List.of(vpcId)))
					.maxResults(Math.min(pageSize, MAX_ACL_PAGE_SIZE)))) {
				apiCalls.incrementAndGet();
				for (NetworkAcl acl : page.networkAcls()) {
					acls.add(liveAcl(acl));
				}
			}
		}
		catch (SdkException e) {
			throw Ec2Errors.wrap("describing the network ACLs of VPC " + vpcId, vpcId, e);
		}
		acls.sort(Comparator.comparing(LiveNetworkAcl::networkAclId));
		return acls;
	}

	static LiveNetworkAcl liveAcl(NetworkAcl acl) {
		List<NetworkAclEntry> entries = new ArrayList<>();
		for (software.amazon.awssdk.services.ec2.model.NetworkAclEntry e : acl.entries()) {
			if (e.ruleNumber() != null && e.ruleNumber() < FIRST_RESERVED_RULE_NUMBER) {
				entries.add(entry(e));
			}
		}
		entries.sort(Comparator.comparing(NetworkAclEntry::egress).thenComparingInt(NetworkAclEntry::ruleNumber));
		List<Association> associations = new ArrayList<>();
		for (NetworkAclAssociation a : acl.associations()) {
			associations.add(new Association(a.networkAclAssociationId(), a.subnetId()));
		}
		associations.sort(Comparator.comparing(Association::subnetId));
		return new LiveNetworkAcl(acl.networkAclId(), Boolean.TRUE.equals(acl.isDefault()), tags(acl.tags()), entries,
				associations);
	}

	static NetworkAclEntry entry(software.amazon.awssdk.services.ec2.model.NetworkAclEntry e) {
		NetworkAclEntry.Ports ports = e.portRange() == null || e.portRange().from() == null
				|| e.portRange().to() == null ? null
						: new NetworkAclEntry.Ports(e.portRange().from(), e.portRange().to());
		NetworkAclEntry.IcmpTypeCode icmp = e.icmpTypeCode() == null || e.icmpTypeCode().type() == null
				|| e.icmpTypeCode().code() == null ? null
						: new NetworkAclEntry.IcmpTypeCode(e.icmpTypeCode().type(), e.icmpTypeCode().code());
		return new NetworkAclEntry(e.ruleNumber(), e.protocol(), e.ruleActionAsString(),
				Boolean.TRUE.equals(e.egress()), e.cidrBlock(), e.ipv6CidrBlock(), ports, icmp);
	}

	static Map<String, String> tags(List<Tag> tags) {
		Map<String, String> map = new LinkedHashMap<>();
		for (Tag t : tags) {
			map.put(t.key(), t.value() == null ? "" : t.value());
		}
		return map;
	}

	private static Filter filter(String name, List<String> values) {
		return Filter.builder().name(name).values(values).build();
	}

}

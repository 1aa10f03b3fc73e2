package dev.polyfence.bench;

import dev.polyfence.cloud.aws.Ec2ChangeExecutor;
import dev.polyfence.cloud.aws.Ec2ClientSettings;
import dev.polyfence.cloud.aws.Ec2Clients;
import dev.polyfence.cloud.aws.Ec2LiveStateReader;
import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsPlan;
import dev.polyfence.plan.aws.AwsPlanner;
import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Protocol;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import dev.polyfence.testing.moto.MotoServer;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import inet.ipaddr.IPAddressString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Plan and apply of a 1,000-rule, 50-group policy against moto's EC2 server, printing
 * wall times and EC2 calls next to the lower bound: one CreateSecurityGroup per group,
 * one authorize per group and direction with rules to add, one revoke per group and
 * direction with rules to remove (here the default egress rule of each new group, since
 * the policy denies egress by default). Allow-only rules with one peer and port each, so
 * every group stays within the 60-rule quota (which moto enforces too). Run apart from
 * the tests: {@code scripts/benchmark-plan-apply.sh}.
 */
public final class PlanApplyBenchmark {

	public static void main(String[] args) {
		int ruleCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
		int groupCount = args.length > 1 ? Integer.parseInt(args[1]) : 50;
		MotoServer moto = MotoServer.shared();
		try (Ec2Client ec2 = Ec2Clients.create(Ec2ClientSettings.forRegion(MotoServer.REGION)
			.withEndpointOverride(moto.endpoint())
			.withRetries(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20)))) {
			String vpcId = ec2.createVpc(v -> v.cidrBlock("10.0.0.0/16")).vpc().vpcId();
			Policy policy = policy(ruleCount, groupCount, new Random(42));
			Map<String, Bindings.AwsGroup> groups = new LinkedHashMap<>();
			for (int g = 0; g < groupCount; g++) {
				groups.put("g" + g, new Bindings.AwsGroup(null, List.of(),
						List.of(new IPAddressString("10.0." + g + ".0/24").getAddress())));
			}
			Bindings.Aws aws = new Bindings.Aws(MotoServer.REGION, vpcId, null, null, null, groups);
			Bindings bindings = new Bindings(aws, null, null);

			long t0 = System.nanoTime();
			AwsOutput desired = new AwsTranslator().translate(policy, bindings).output();
			Ec2LiveStateReader reader = new Ec2LiveStateReader(ec2);
			AwsLiveState live = reader.read(vpcId);
			AwsPlan plan = new AwsPlanner().plan(policy, aws, desired, live);
			long t1 = System.nanoTime();
			Ec2ChangeExecutor executor = Ec2ChangeExecutor.forLiveState(ec2, live, Map.of(), Map.of());
			for (AwsChange change : plan.operations()) {
				executor.execute(change);
			}
			long t2 = System.nanoTime();
			AwsPlan again = new AwsPlanner().plan(policy, aws, desired, new Ec2LiveStateReader(ec2).read(vpcId));
			long t3 = System.nanoTime();

			Set<String> authorized = new HashSet<>();
			plan.operations()
				.stream()
				.filter(c -> c instanceof AwsChange.AuthorizeRules)
				.map(c -> (AwsChange.AuthorizeRules) c)
				.forEach(c -> authorized.add(c.group() + (c.egress() ? "/egress" : "/ingress")));
			Set<String> revoked = new HashSet<>();
			plan.operations()
				.stream()
				.filter(c -> c instanceof AwsChange.RevokeRules)
				.map(c -> (AwsChange.RevokeRules) c)
				.forEach(c -> revoked.add(c.group() + (c.egress() ? "/egress" : "/ingress")));
			long creates = plan.operations().stream().filter(c -> c instanceof AwsChange.CreateSecurityGroup).count();
			long lowerBound = creates + authorized.size() + revoked.size();
			long sgRules = plan.rows().stream().filter(r -> r.resourceType().equals("security-group-rule")).count();
			System.out.printf(Locale.ROOT, "policy: %d rules, %d groups -> %d security-group rules to add%n", ruleCount,
					groupCount, sgRules);
			System.out.printf(Locale.ROOT, "plan (translate + read + diff): %8.1f ms, %d EC2 calls%n", (t1 - t0) / 1e6,
					reader.apiCalls());
			System.out.printf(Locale.ROOT,
					"apply:                          %8.1f ms, %d EC2 calls (lower bound %d: %d creates + %d authorizes + %d revokes of the default egress rule)%n",
					(t2 - t1) / 1e6, executor.apiCalls(), lowerBound, creates, authorized.size(), revoked.size());
			System.out.printf(Locale.ROOT, "re-plan after apply:            %8.1f ms, %d changes%n", (t3 - t2) / 1e6,
					again.operations().size());
		}
		finally {
			MotoServer.stopShared();
		}
	}

	private static Policy policy(int ruleCount, int groupCount, Random random) {
		List<String> groups = new ArrayList<>();
		for (int g = 0; g < groupCount; g++) {
			groups.add("g" + g);
		}
		List<Rule> rules = new ArrayList<>();
		for (int r = 0; r < ruleCount; r++) {
			String target = groups.get(random.nextInt(groupCount));
			Peer peer = random.nextBoolean() ? new Peer.Group(groups.get(random.nextInt(groupCount)))
					: new Peer.Cidr(
							new IPAddressString("172." + (16 + random.nextInt(16)) + "." + random.nextInt(256) + ".0")
								.getAddress()
								.toPrefixBlock(24));
			int port = 1 + random.nextInt(9000);
			rules.add(new Rule("r" + r, Action.ALLOW, random.nextInt(10) < 7 ? Direction.INGRESS : Direction.EGRESS,
					List.of(target), List.of(peer), List.of(Service.of(Protocol.TCP, PortRange.of(port))), false));
		}
		return new Policy("bench", "", new Defaults(Action.DENY, Action.DENY), Map.of(), groups, rules);
	}

}

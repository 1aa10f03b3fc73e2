package dev.polyfence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.gcp.Firewall;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A policy never changes what reaches a VM that none of its groups holds (spec section 4,
 * GCP): for generated policies, and flows to and from other VMs of the same network (with
 * tags and service accounts of their own, at addresses outside every group), each such
 * VM's own step is decided by the same firewall with the translation's firewalls in the
 * network as without them. Once against the implied rules alone, once against other
 * firewalls already in the network (targeting every instance, or the VMs' own tags and
 * service accounts, at priorities above, inside and below the policy's band).
 */
class GcpScopeTest {

	private static final int FLOWS = 60;

	private static final List<List<String>> VM_TAGS = List.of(List.of(), List.of("legacy"), List.of("legacy", "ssh"));

	private static final String VM_ACCOUNT = "legacy@gen-project.iam.gserviceaccount.com";

	private static final AtomicLong POLICIES = new AtomicLong();

	private static final AtomicLong FLOWS_CHECKED = new AtomicLong();

	private static final AtomicLong STEPS = new AtomicLong();

	private static final AtomicLong STEPS_ALLOWED = new AtomicLong();

	private static final AtomicLong POLICY_FIREWALLS = new AtomicLong();

	static LongStream seeds() {
		return Equivalence.seeds();
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void otherVmsKeepTheDecisionsTheyHad(long seed) {
		PolicyGenerator.Generated generated = new PolicyGenerator(seed).generate();
		Policy policy = generated.policy();
		Bindings bindings = generated.bindings();
		Random random = new Random(seed);
		List<Firewall> translation = new GcpTranslator().translate(policy, bindings).output().firewalls();
		assertThat(translation).as("seed %d: every firewall targets groups of the policy", seed)
			.allMatch(f -> !f.targetTags().isEmpty() || !f.targetServiceAccounts().isEmpty());
		assertThat(translation).as("seed %d: names GCP takes", seed)
			.allMatch(f -> f.name().length() <= 63 && f.name().matches("[a-z]([-a-z0-9]*[a-z0-9])?"));
		assertThat(translation.stream().filter(f -> f.priority() != 65534).map(Firewall::priority))
			.as("seed %d: one priority per firewall (the catch-alls share 65534, one action per direction)", seed)
			.doesNotHaveDuplicates();
		List<Firewall> others = otherFirewalls(random, bindings.gcp().priorityBase());
		List<Firewall> both = new ArrayList<>(others);
		both.addAll(translation);
		GcpEvaluator implied = new GcpEvaluator(policy, bindings, new GcpOutput(List.of()));
		GcpEvaluator policyOnly = new GcpEvaluator(policy, bindings, new GcpOutput(translation));
		GcpEvaluator othersOnly = new GcpEvaluator(policy, bindings, new GcpOutput(others));
		GcpEvaluator othersAndPolicy = new GcpEvaluator(policy, bindings, new GcpOutput(both));

		List<Flow> flows = vmFlows(policy, bindings, seed, random);
		for (Flow flow : flows) {
			for (Direction direction : List.of(Direction.EGRESS, Direction.INGRESS)) {
				Endpoint end = direction == Direction.EGRESS ? flow.source() : flow.destination();
				if (!(end instanceof Endpoint.OtherVm)) {
					continue;
				}
				CloudVerdict before = implied.evaluateStep(flow, direction);
				assertThat(policyOnly.evaluateStep(flow, direction).explanation())
					.as("seed %d (rerun: -Dpolyfence.seed=%d -Dpolyfence.policies=1), %s, %s step: "
							+ "the policy's firewalls decide where the implied rules did", seed, seed, flow, direction)
					.isEqualTo(before.explanation());
				assertThat(othersAndPolicy.evaluateStep(flow, direction).explanation())
					.as("seed %d, %s, %s step: the policy's firewalls decide where the network's other firewalls did",
							seed, flow, direction)
					.isEqualTo(othersOnly.evaluateStep(flow, direction).explanation());
				STEPS.incrementAndGet();
				if (before.allowed()) {
					STEPS_ALLOWED.incrementAndGet();
				}
			}
		}
		POLICIES.incrementAndGet();
		FLOWS_CHECKED.addAndGet(flows.size());
		POLICY_FIREWALLS.addAndGet(translation.size());
	}

	@AfterAll
	static void printTotals() {
		System.out.printf(
				"[polyfence verify] gcp scope: %d policies (%d firewalls), %d flows with another VM, %d steps of "
						+ "those VMs judged (%d allowed by the implied rules), each decided as without the policy%n",
				POLICIES.get(), POLICY_FIREWALLS.get(), FLOWS_CHECKED.get(), STEPS.get(), STEPS_ALLOWED.get());
	}

	/**
	 * The generator's flows with another VM in place of outside addresses: workload to
	 * VM, VM to workload, VM to outside address, outside address to VM, and VM to VM.
	 * Outside addresses lie outside every group's cidrs, so a VM there is held by no
	 * group.
	 */
	static List<Flow> vmFlows(Policy policy, Bindings bindings, long seed, Random random) {
		List<Flow> generated = new FlowGenerator(policy, FlowGenerator.gcpCidrs(bindings), seed).flows(FLOWS);
		List<IPAddress> outside = new ArrayList<>();
		for (Flow flow : generated) {
			for (Endpoint end : List.of(flow.source(), flow.destination())) {
				if (end instanceof Endpoint.Outside o && !outside.contains(o.address())) {
					outside.add(o.address());
				}
			}
		}
		List<Flow> flows = new ArrayList<>();
		for (Flow flow : generated) {
			boolean sourceOutside = flow.source() instanceof Endpoint.Outside;
			boolean destinationOutside = flow.destination() instanceof Endpoint.Outside;
			if (!sourceOutside && !destinationOutside) {
				continue;
			}
			Endpoint source = sourceOutside ? vm(flow.source().address(), random) : flow.source();
			Endpoint destination = destinationOutside ? vm(flow.destination().address(), random) : flow.destination();
			flows.add(with(flow, source, destination));
			IPAddress other = otherAddress(outside, sourceOutside ? source.address() : destination.address(), random);
			if (other != null) {
				Endpoint vm = sourceOutside ? source : destination;
				Endpoint far = random.nextBoolean() ? new Endpoint.Outside(other) : vm(other, random);
				flows.add(random.nextBoolean() ? with(flow, vm, far) : with(flow, far, vm));
			}
		}
		return flows;
	}

	private static Endpoint.OtherVm vm(IPAddress address, Random random) {
		return new Endpoint.OtherVm(address, VM_TAGS.get(random.nextInt(VM_TAGS.size())),
				random.nextInt(3) == 0 ? VM_ACCOUNT : null);
	}

	private static IPAddress otherAddress(List<IPAddress> pool, IPAddress not, Random random) {
		List<IPAddress> family = pool.stream().filter(a -> a.isIPv4() == not.isIPv4() && !a.equals(not)).toList();
		return family.isEmpty() ? null : family.get(random.nextInt(family.size()));
	}

	private static Flow with(Flow flow, Endpoint source, Endpoint destination) {
		return new Flow(source, destination, flow.protocol(), flow.port(), flow.icmpType(), flow.icmpCode());
	}

	/**
	 * Firewalls that others put in the network: for every instance, or for the other VMs'
	 * tags or service account; allow or deny, either direction, at priorities around the
	 * policy's band.
	 */
	private static List<Firewall> otherFirewalls(Random random, int base) {
		int[] priorities = { 0, base - 1, base, base + 5, base + 15, 1000, 30000, 65534, 65535 };
		String[][] protocols = { { "all" }, { "tcp", "22" }, { "tcp", "443" }, { "udp" }, { "icmp" }, { "58" } };
		List<Firewall> firewalls = new ArrayList<>();
		int count = random.nextInt(6);
		for (int i = 0; i < count; i++) {
			boolean ingress = random.nextBoolean();
			boolean allow = random.nextBoolean();
			String[] protocol = protocols[random.nextInt(protocols.length)];
			List<Firewall.ProtocolPorts> items = List
				.of(new Firewall.ProtocolPorts(protocol[0], protocol.length > 1 ? List.of(protocol[1]) : List.of()));
			List<String> ranges = List.of(random.nextBoolean() ? "0.0.0.0/0" : "::/0");
			int target = random.nextInt(3);
			List<String> targetTags = target == 1 ? List.of("legacy") : List.of();
			List<String> targetAccounts = target == 2 ? List.of(VM_ACCOUNT) : List.of();
			firewalls.add(new Firewall("net-other-" + i, "not Polyfence's", "global/networks/gen-vpc",
					priorities[random.nextInt(priorities.length)], ingress ? "INGRESS" : "EGRESS",
					allow ? items : List.of(), allow ? List.of() : items, ingress ? ranges : List.of(),
					ingress ? List.of() : ranges, List.of(), List.of(), targetTags, targetAccounts, null));
		}
		return firewalls;
	}

}

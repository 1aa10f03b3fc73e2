package dev.polyfence.verify;

import static dev.polyfence.verify.AwsEvaluatorTest.acl;
import static dev.polyfence.verify.AwsEvaluatorTest.entry;
import static dev.polyfence.verify.AwsEvaluatorTest.perm;
import static dev.polyfence.verify.AwsEvaluatorTest.sg;
import static dev.polyfence.verify.AzureEvaluatorTest.nsg;
import static dev.polyfence.verify.AzureEvaluatorTest.rule;
import static dev.polyfence.verify.Fixtures.allowIn;
import static dev.polyfence.verify.Fixtures.any;
import static dev.polyfence.verify.Fixtures.ip;
import static dev.polyfence.verify.Fixtures.tcp;
import static dev.polyfence.verify.GcpEvaluatorTest.fw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.gcp.GcpOutput;
import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The comparison harness on hand-built translations of a one-rule policy: a right output
 * agrees on every flow, a wrong one is caught, and a declared approximation is counted
 * instead of failing.
 */
class HarnessSelfTest {

	private static final Policy HTTPS = Fixtures.policy("p", Defaults.STANDARD, Map.of(), List.of("web", "app"),
			allowIn("https", "web", List.of(any()), tcp("443")));

	private static final Map<String, List<IPAddress>> CIDRS = Map.of("web",
			List.of(ip("10.20.0.0/24"), ip("2001:db8:20::/64")), "app",
			List.of(ip("10.20.1.0/24"), ip("2001:db8:20:1::/64")));

	private static final Bindings BINDINGS = new Bindings(
			new Bindings.Aws("eu-west-1", "vpc-1", null, null, null,
					Map.of("web", new Bindings.AwsGroup("p-web", List.of("subnet-web"), CIDRS.get("web")), "app",
							new Bindings.AwsGroup("p-app", List.of(), CIDRS.get("app")))),
			new Bindings.Azure("s", "rg", "westeurope", null,
					Map.of("web", new Bindings.AzureGroup(null, "web-asg", CIDRS.get("web")), "app",
							new Bindings.AzureGroup(null, null, CIDRS.get("app")))),
			new Bindings.Gcp("proj", "vpc", null,
					Map.of("web", new Bindings.GcpGroup(List.of("web"), null, CIDRS.get("web")), "app",
							new Bindings.GcpGroup(List.of(), "app@proj.iam.gserviceaccount.com", CIDRS.get("app")))));

	private static final List<Flow> FLOWS = new FlowGenerator(HTTPS, CIDRS, 7).flows(2000);

	private static AwsOutput aws(boolean withReturnEntries) {
		var web = sg("web", List.of(perm("tcp", 443, 443, "0.0.0.0/0", "::/0")),
				List.of(perm("-1", null, null, "0.0.0.0/0", "::/0")));
		var app = sg("app", List.of(), List.of(perm("-1", null, null, "0.0.0.0/0", "::/0")));
		var entries = new java.util.ArrayList<>(List.of(entry(100, false, "allow", "6", "0.0.0.0/0", 443, 443),
				entry(101, false, "allow", "6", "::/0", 443, 443),
				entry(200, false, "allow", "-1", "0.0.0.0/0", null, null),
				entry(201, false, "allow", "-1", "::/0", null, null)));
		if (withReturnEntries) {
			entries.add(entry(100, true, "allow", "-1", "0.0.0.0/0", null, null));
			entries.add(entry(101, true, "allow", "-1", "::/0", null, null));
		}
		else {
			entries.add(entry(100, true, "allow", "6", "0.0.0.0/0", 443, 443));
		}
		return new AwsOutput(List.of(web, app),
				List.of(acl("web", entries.toArray(dev.polyfence.translate.aws.NetworkAclEntry[]::new))));
	}

	@Test
	void aRightAwsOutputAgreesOnEveryFlow() {
		Equivalence.Outcome outcome = Equivalence.compare(HTTPS, Target.AWS, List.of(),
				new AwsEvaluator(HTTPS, BINDINGS, aws(true)), FLOWS);
		assertThat(outcome.mismatches()).isEmpty();
		assertThat(outcome.allowed()).isPositive();
		assertThat(outcome.denied()).isPositive();
	}

	@Test
	void missingReturnEntriesAreCaughtUnlessDeclared() {
		AwsEvaluator broken = new AwsEvaluator(HTTPS, BINDINGS, aws(false));
		Equivalence.Outcome outcome = Equivalence.compare(HTTPS, Target.AWS, List.of(), broken, FLOWS);
		assertThat(outcome.mismatches()).isNotEmpty();
		assertThat(outcome.mismatches()).anyMatch(m -> m.describe(Target.AWS).contains("REPLIES BLOCKED")
				&& m.describe(Target.AWS).contains("rule https -> allow"));
		assertThat(outcome.mismatches()).anyMatch(m -> m.describe(Target.AWS).contains("ERRS CLOSED without a finding")
				&& m.describe(Target.AWS).contains("NACL web out: DENIED"));

		Finding declared = Finding.of(FindingCode.APPROXIMATED, Target.AWS, "https", "narrowed");
		Equivalence.Outcome excused = Equivalence.compare(HTTPS, Target.AWS, List.of(declared), broken, FLOWS);
		assertThat(excused.approximations() + excused.mismatches().size()).isEqualTo(outcome.mismatches().size());
		assertThat(excused.approximations()).isPositive();
		// egress of web to the outside: no rule applies to web's egress, so nothing is
		// excused there
		assertThat(excused.mismatches())
			.allMatch(m -> !(m.flow().destination() instanceof Endpoint.Workload w) || !w.group().equals("web"));
		Finding otherCloud = Finding.of(FindingCode.APPROXIMATED, Target.GCP, "https", "narrowed");
		assertThat(Equivalence.compare(HTTPS, Target.AWS, List.of(otherCloud), broken, FLOWS).approximations())
			.isZero();
	}

	@Test
	void aRightAzureOutputAgreesAndAWideningOneIsCaught() {
		AzureOutput right = new AzureOutput(List.of(
				nsg("web", rule("https", 100, "Inbound", "Allow", "Tcp", "*", "*", "443"),
						rule("deny-in", 4096, "Inbound", "Deny", "*", "*", "*", "*"),
						rule("allow-out", 4096, "Outbound", "Allow", "*", "*", "*", "*")),
				nsg("app", rule("deny-in", 4096, "Inbound", "Deny", "*", "*", "*", "*"),
						rule("allow-out", 4096, "Outbound", "Allow", "*", "*", "*", "*"))));
		assertThat(
				Equivalence.compare(HTTPS, Target.AZURE, List.of(), new AzureEvaluator(HTTPS, BINDINGS, right), FLOWS)
					.mismatches())
			.isEmpty();
		// without explicit defaults, AllowVnetInBound lets web reach app
		AzureOutput relying = new AzureOutput(
				List.of(nsg("web", rule("https", 100, "Inbound", "Allow", "Tcp", "*", "*", "443")), nsg("app")));
		Equivalence.Outcome outcome = Equivalence.compare(HTTPS, Target.AZURE, List.of(),
				new AzureEvaluator(HTTPS, BINDINGS, relying), FLOWS);
		assertThat(outcome.mismatches()).isNotEmpty().allMatch(m -> m.describe(Target.AZURE).contains("ERRS OPEN"));
	}

	@Test
	void aRightGcpOutputAgreesAndAMissingFamilyIsCaught() {
		GcpOutput right = new GcpOutput(
				List.of(fw("https-v4", 1000, "INGRESS", "allow:tcp:443", "ranges=0.0.0.0/0", "tt=web"),
						fw("https-v6", 1001, "INGRESS", "allow:tcp:443", "ranges=::/0", "tt=web")));
		assertThat(Equivalence.compare(HTTPS, Target.GCP, List.of(), new GcpEvaluator(HTTPS, BINDINGS, right), FLOWS)
			.mismatches()).isEmpty();
		GcpOutput v4Only = new GcpOutput(
				List.of(fw("https-v4", 1000, "INGRESS", "allow:tcp:443", "ranges=0.0.0.0/0", "tt=web")));
		Equivalence.Outcome outcome = Equivalence.compare(HTTPS, Target.GCP, List.of(),
				new GcpEvaluator(HTTPS, BINDINGS, v4Only), FLOWS);
		assertThat(outcome.mismatches()).isNotEmpty().allMatch(m -> !m.flow().isIpv4() && m.decision().allowed());
	}

}

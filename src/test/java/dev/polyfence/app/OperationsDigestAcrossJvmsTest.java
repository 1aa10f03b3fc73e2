package dev.polyfence.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsPlan;
import dev.polyfence.plan.aws.AwsPlanner;
import dev.polyfence.plan.aws.SimulatedVpc;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.plan.azure.AzurePlanner;
import dev.polyfence.plan.gcp.GcpLiveState;
import dev.polyfence.plan.gcp.GcpPlan;
import dev.polyfence.plan.gcp.GcpPlanner;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An apply after a restart, or on another replica, runs only if it reproduces the
 * reviewed operations' digest. So the planners and the digest must give the same answer
 * in every JVM, even where immutable maps and sets iterate in a per-JVM random order:
 * this runs the same plans in a fresh JVM and compares.
 */
class OperationsDigestAcrossJvmsTest {

	@Test
	void aFreshJvmReproducesEveryDigest() throws Exception {
		List<String> here = digests();
		List<String> there = new ArrayList<>();
		for (int run = 0; run < 2; run++) {
			Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-cp", System.getProperty("java.class.path"), OperationsDigestAcrossJvmsTest.class.getName())
				.redirectErrorStream(true)
				.start();
			String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).as(out).isZero();
			there = out.lines().filter(l -> l.startsWith("digest ")).map(l -> l.substring(7)).toList();
			assertThat(there).as("run %d in a fresh JVM", run).isEqualTo(here);
		}
		assertThat(here).hasSize(5).doesNotHaveDuplicates();
	}

	/** The child JVM's side: prints the digests. */
	public static void main(String[] args) throws IOException {
		for (String digest : digests()) {
			System.out.println("digest " + digest);
		}
	}

	/**
	 * Plans of the three-tier fixture for every cloud over empty scopes, and an AWS
	 * change over a filled one.
	 */
	static List<String> digests() throws IOException {
		DocumentParser parser = new DocumentParser();
		PolicyRequest request = parser.parseRequest("policy:\n" + indent(resource("/policies/three-tier.yaml"))
				+ "bindings:\n" + indent(resource("/policies/three-tier-bindings.yaml")), true);
		TranslationResult t = new TranslationService().translate(request);
		List<String> digests = new ArrayList<>();
		SimulatedVpc vpc = new SimulatedVpc("vpc-05a4b3c2",
				List.of("subnet-05a4b301", "subnet-05a4b311", "subnet-05a4b302", "subnet-05a4b303"));
		AwsPlan first = new AwsPlanner().plan(request.policy(), request.bindings().aws(), t.aws(), vpc.state());
		digests.add(OperationsDigest.of(first.operations()));
		first.operations().forEach(vpc::apply);
		PolicyRequest changed = parser
			.parseRequest("policy:\n" + indent(resource("/policies/three-tier.yaml").replace("\"443\"", "\"8443\""))
					+ "bindings:\n" + indent(resource("/policies/three-tier-bindings.yaml")), true);
		TranslationResult t2 = new TranslationService().translate(changed);
		List<AwsChange> second = new AwsPlanner()
			.plan(changed.policy(), changed.bindings().aws(), t2.aws(), vpc.state())
			.operations();
		digests.add(OperationsDigest.of(second));
		digests.add(OperationsDigest
			.of(new AzurePlanner().plan(request.policy(), t.azure(), new AzureLiveState("sub", "rg", List.of()))
				.operations()));
		GcpPlan gcp = new GcpPlanner().plan(request.policy(), t.gcp(), new GcpLiveState("proj", "net", List.of()));
		digests.add(OperationsDigest.of(gcp.operations(), gcp.waves()));
		GcpPlan gcpChanged = new GcpPlanner().plan(changed.policy(), t2.gcp(),
				new GcpLiveState("proj", "net", t.gcp().firewalls()));
		digests.add(OperationsDigest.of(gcpChanged.operations(), gcpChanged.waves()));
		return digests;
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = OperationsDigestAcrossJvmsTest.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static String indent(String yaml) {
		return yaml.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
	}

}

package dev.polyfence.bench;

import dev.polyfence.translate.Translation;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.util.Arrays;
import java.util.Locale;

/**
 * Translation time and emitted rule counts per cloud, for generated policies of growing
 * size. Run apart from the tests: {@code scripts/benchmark-translation.sh} (see README).
 * Prints the median of several warm runs; figures depend on the machine, so no run
 * asserts on them.
 */
public final class TranslationBenchmark {

	private static final int WARMUP = 5;

	private static final int RUNS = 11;

	public static void main(String[] args) {
		int[][] sizes = args.length > 0 ? parse(args)
				: new int[][] { { 10, 5 }, { 100, 20 }, { 1000, 50 }, { 5000, 50 } };
		System.out.println(
				"rules groups  aws_ms  azure_ms  gcp_ms  total_ms | sg_rules nacl_entries nsg_rules firewalls findings");
		for (int[] size : sizes) {
			BenchmarkPolicies.Case c = BenchmarkPolicies.generate(size[0], size[1], 42);
			AwsTranslator aws = new AwsTranslator();
			AzureTranslator azure = new AzureTranslator();
			GcpTranslator gcp = new GcpTranslator();
			double[] awsMs = new double[RUNS];
			double[] azureMs = new double[RUNS];
			double[] gcpMs = new double[RUNS];
			Translation<AwsOutput> a = null;
			Translation<AzureOutput> z = null;
			Translation<GcpOutput> g = null;
			for (int i = -WARMUP; i < RUNS; i++) {
				long t0 = System.nanoTime();
				a = aws.translate(c.policy(), c.bindings());
				long t1 = System.nanoTime();
				z = azure.translate(c.policy(), c.bindings());
				long t2 = System.nanoTime();
				g = gcp.translate(c.policy(), c.bindings());
				long t3 = System.nanoTime();
				if (i >= 0) {
					awsMs[i] = (t1 - t0) / 1e6;
					azureMs[i] = (t2 - t1) / 1e6;
					gcpMs[i] = (t3 - t2) / 1e6;
				}
			}
			double[] total = new double[RUNS];
			for (int i = 0; i < RUNS; i++) {
				total[i] = awsMs[i] + azureMs[i] + gcpMs[i];
			}
			long sgRules = a.output()
				.securityGroups()
				.stream()
				.flatMap(sg -> java.util.stream.Stream.concat(sg.ipPermissions().stream(),
						sg.ipPermissionsEgress().stream()))
				.mapToLong(p -> p.ipRanges().size() + p.ipv6Ranges().size() + p.userIdGroupPairs().size())
				.sum();
			long naclEntries = a.output().networkAcls().stream().mapToLong(n -> n.entries().size()).sum();
			long nsgRules = z.output()
				.networkSecurityGroups()
				.stream()
				.mapToLong(n -> n.properties().securityRules().size())
				.sum();
			int findings = a.findings().size() + z.findings().size() + g.findings().size();
			System.out.printf(Locale.ROOT, "%5d %6d %7.1f %9.1f %7.1f %9.1f | %8d %12d %9d %9d %8d%n", size[0], size[1],
					median(awsMs), median(azureMs), median(gcpMs), median(total), sgRules, naclEntries, nsgRules,
					g.output().firewalls().size(), findings);
		}
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static int[][] parse(String[] args) {
		int[][] sizes = new int[args.length][];
		for (int i = 0; i < args.length; i++) {
			String[] parts = args[i].split("x");
			sizes[i] = new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]) };
		}
		return sizes;
	}

}

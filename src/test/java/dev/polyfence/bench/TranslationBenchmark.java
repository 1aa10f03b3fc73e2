package dev.polyfence.bench;

import dev.polyfence.app.TranslationResult;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.ParseStages;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.PolicyChecks;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Figures for the realistic corpus ({@link RealisticPolicies}): per size, the time of
 * each stage of a translation request (warm, median of several runs) and, per cloud, the
 * entries emitted next to a floor (see {@link EntryFigures#LEGEND}) and the sides past
 * quota. Run apart from the tests: {@code scripts/benchmark-translation.sh} (see README).
 * Figures depend on the machine; nothing asserts on them.
 */
public final class TranslationBenchmark {

	/**
	 * The answer's JSON as the service writes it (application.yaml's Jackson settings).
	 */
	static final JsonMapper ANSWER = JsonMapper.builder()
		.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private static final long WARMUP_NANOS = 2_000_000_000L;

	private static final long BUDGET_NANOS = 10_000_000_000L;

	private static final int RUNS = 15;

	/**
	 * The clock: CPU time of this thread by default, which a machine shared with other
	 * work does not inflate as it does wall time; {@code -Dpolyfence.bench.wall=true} for
	 * wall time.
	 */
	private static final boolean WALL = Boolean.getBoolean("polyfence.bench.wall");

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	/** How many measured runs the last {@link #median} took. */
	private static int lastRuns;

	/**
	 * Arguments: sizes as RULESxGROUPS (default: {@link RealisticPolicies#SIZES}), and
	 * {@code --aws-max-rules=N} to leave the AWS translation out of larger sizes.
	 */
	public static void main(String[] args) {
		int awsMaxRules = Integer.MAX_VALUE;
		List<RealisticPolicies.Size> sizes = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--aws-max-rules=")) {
				awsMaxRules = Integer.parseInt(arg.substring(arg.indexOf('=') + 1));
			}
			else {
				sizes.add(RealisticPolicies.Size.parse(arg));
			}
		}
		if (sizes.isEmpty()) {
			sizes.addAll(RealisticPolicies.SIZES);
		}
		List<String> figures = new ArrayList<>();
		System.out.println("Stage times in ms (" + (WALL ? "wall time" : "CPU time of the benchmark thread")
				+ "), warm, median of the runs (JSON body {policy, bindings}; runs: of aws;"
				+ " total: parse_all, the translations run and json; aws NaN: left out by --aws-max-rules):");
		System.out.printf(Locale.ROOT, "%-8s %7s %4s %6s %6s %9s %8s %9s %8s %7s %7s %7s %8s %9s%n", "size", "body_KB",
				"runs", "read", "schema", "semantics", "assemble", "parse_all", "aws", "azure", "gcp", "json",
				"answ_KB", "total");
		for (RealisticPolicies.Size size : sizes) {
			figures.add(run(RealisticPolicies.generate(size), size.rules() <= awsMaxRules));
		}
		System.out.println();
		System.out.println("Entries emitted per cloud, next to a floor (ratio = emitted / floor):");
		System.out.printf(Locale.ROOT, "%-8s %-6s %9s %9s %6s  %s%n", "size", "cloud", "emitted", "floor", "ratio",
				"detail");
		figures.forEach(System.out::print);
		System.out.println();
		System.out.print(EntryFigures.LEGEND);
	}

	private static String run(RealisticPolicies.Case c, boolean withAws) {
		ParseStages stages = new ParseStages();
		DocumentParser parser = new DocumentParser();
		AwsTranslator aws = new AwsTranslator();
		AzureTranslator azure = new AzureTranslator();
		GcpTranslator gcp = new GcpTranslator();
		JsonNode tree = stages.read(c.json());
		PolicyRequest request = c.request();
		Policy policy = request.policy();
		double read = median(() -> stages.read(c.json()));
		double schema = median(() -> {
			stages.checkSchemas(tree);
			return null;
		});
		double semantics = median(() -> stages.checkSemantics(tree));
		Object checked = stages.checkSemantics(tree);
		double assemble = median(() -> stages.assemble(tree, checked));
		double parse = median(() -> parser.parseRequest(c.json(), false));
		Translation<AwsOutput>[] a = holder();
		Translation<AzureOutput>[] z = holder();
		Translation<GcpOutput>[] g = holder();
		double awsMs = withAws ? median(() -> a[0] = aws.translate(policy, request.bindings())) : Double.NaN;
		int awsRuns = withAws ? lastRuns : 0;
		double azureMs = median(() -> z[0] = azure.translate(policy, request.bindings()));
		double gcpMs = median(() -> g[0] = gcp.translate(policy, request.bindings()));
		List<Finding> findings = new ArrayList<>(PolicyChecks.findings(policy));
		if (withAws) {
			findings.addAll(a[0].findings());
		}
		findings.addAll(z[0].findings());
		findings.addAll(g[0].findings());
		TranslationResult result = new TranslationResult(withAws ? a[0].output() : null, z[0].output(), g[0].output(),
				findings);
		byte[][] answer = new byte[1][];
		double json = median(() -> answer[0] = ANSWER.writeValueAsBytes(result));
		System.out.printf(Locale.ROOT,
				"%-8s %7.1f %4d %6.1f %6.1f %9.1f %8.1f %9.1f %8.1f %7.1f %7.1f %7.1f %8.1f %9.1f%n", c.size(),
				c.json().length() / 1024.0, awsRuns, read, schema, semantics, assemble, parse, awsMs, azureMs, gcpMs,
				json, answer[0].length / 1024.0, parse + (withAws ? awsMs : 0) + azureMs + gcpMs + json);
		StringBuilder out = new StringBuilder();
		if (withAws) {
			EntryFigures.Aws f = EntryFigures.aws(policy, request.bindings(), a[0].output());
			out.append(String.format(Locale.ROOT,
					"%-8s %-6s %9d %9d %6.2f  SG %d (floor %d), ACL %d (floor %d); sides past quota: SG %d of %d,"
							+ " ACL %d of %d%n",
					c.size(), "aws", f.emitted(), f.floor(), ratio(f.emitted(), f.floor()), f.sgEntries(), f.sgFloor(),
					f.aclEntries(), f.aclFloor(), f.sgSidesOver(), f.sgSides(), f.aclSidesOver(), f.aclSides()));
		}
		long nsgRules = EntryFigures.azureRules(z[0].output());
		long nsgFloor = EntryFigures.azureFloor(policy, request.bindings());
		out.append(String.format(Locale.ROOT, "%-8s %-6s %9d %9d %6.2f  NSG rules in %d NSGs%n", c.size(), "azure",
				nsgRules, nsgFloor, ratio(nsgRules, nsgFloor), z[0].output().networkSecurityGroups().size()));
		long firewalls = EntryFigures.gcpFirewalls(g[0].output());
		long firewallFloor = EntryFigures.gcpFloor(policy, request.bindings());
		out.append(String.format(Locale.ROOT, "%-8s %-6s %9d %9d %6.2f  firewalls%n", c.size(), "gcp", firewalls,
				firewallFloor, ratio(firewalls, firewallFloor)));
		return out.toString();
	}

	private static long now() {
		return WALL ? System.nanoTime() : THREADS.getCurrentThreadCpuTime();
	}

	@SuppressWarnings("unchecked")
	private static <T> Translation<T>[] holder() {
		return new Translation[1];
	}

	private static double ratio(long emitted, long floor) {
		return floor == 0 ? Double.NaN : (double) emitted / floor;
	}

	/**
	 * The median time in ms of a stage: warmed up for at least {@link #WARMUP_NANOS} (and
	 * one call), then run {@link #RUNS} times, or fewer (at least three) when that would
	 * take more than {@link #BUDGET_NANOS}.
	 */
	static double median(Supplier<?> work) {
		long start = now();
		long last;
		do {
			long t0 = now();
			work.get();
			last = now() - t0;
		}
		while (now() - start < WARMUP_NANOS);
		int runs = (int) Math.max(3, Math.min(RUNS, BUDGET_NANOS / Math.max(1, last)));
		double[] ms = new double[runs];
		for (int i = 0; i < runs; i++) {
			long t0 = now();
			work.get();
			ms[i] = (now() - t0) / 1e6;
		}
		Arrays.sort(ms);
		lastRuns = runs;
		return ms[runs / 2];
	}

}

package dev.polyfence.bench;

import dev.polyfence.app.TranslationResult;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.ParseStages;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * JMH benchmarks of each stage of a translation request on the realistic corpus
 * ({@link RealisticPolicies}): reading the JSON body into a tree, the JSON Schemas, the
 * semantic checks, model assembly, the whole parse, each cloud's translation and the
 * answer's JSON. Run with {@code scripts/benchmark-stages-jmh.sh}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms2g", "-Xmx4g" })
public class StageBenchmarks {

	@Param({ "1000x50" })
	public String size;

	private String json;

	private JsonNode tree;

	private Object checked;

	private PolicyRequest request;

	private final ParseStages stages = new ParseStages();

	private final DocumentParser parser = new DocumentParser();

	private TranslationResult result;

	@Setup
	public void setUp() {
		RealisticPolicies.Case c = RealisticPolicies.generate(RealisticPolicies.Size.parse(size));
		json = c.json();
		request = c.request();
		tree = stages.read(json);
		checked = stages.checkSemantics(tree);
		// The answer of the two clouds that translate in well under a second; AWS's
		// output
		// is serialised with them in the HTTP benchmark.
		List<Finding> findings = new ArrayList<>(PolicyChecks.findings(request.policy()));
		Translation<AzureOutput> azure = azure();
		Translation<GcpOutput> gcp = gcp();
		findings.addAll(azure.findings());
		findings.addAll(gcp.findings());
		result = new TranslationResult(null, azure.output(), gcp.output(), findings);
	}

	@Benchmark
	public JsonNode read() {
		return stages.read(json);
	}

	@Benchmark
	public JsonNode schemas() {
		stages.checkSchemas(tree);
		return tree;
	}

	@Benchmark
	public Object semantics() {
		return stages.checkSemantics(tree);
	}

	@Benchmark
	public PolicyRequest assemble() {
		return stages.assemble(tree, checked);
	}

	/** Read, schemas, semantics and assembly, as the service does them. */
	@Benchmark
	public PolicyRequest parse() {
		return parser.parseRequest(json, false);
	}

	@Benchmark
	public Translation<AwsOutput> aws() {
		return new AwsTranslator().translate(request.policy(), request.bindings());
	}

	@Benchmark
	public Translation<AzureOutput> azure() {
		return new AzureTranslator().translate(request.policy(), request.bindings());
	}

	@Benchmark
	public Translation<GcpOutput> gcp() {
		return new GcpTranslator().translate(request.policy(), request.bindings());
	}

	/** The answer of Azure and GCP with every finding, as the service writes it. */
	@Benchmark
	public byte[] json() {
		return TranslationBenchmark.ANSWER.writeValueAsBytes(result);
	}

}

package dev.polyfence.verify;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.Severity;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;
import inet.ipaddr.IPAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The property that every cloud's translation must hold (spec section 2): for every flow,
 * the cloud's own evaluation of the output agrees with the policy (replies included), or
 * it errs closed and a warning or error finding of that cloud names a rule that applies
 * to one of the flow's workload ends.
 *
 * <p>
 * Seeds: {@value #BASE_SEED} and the {@value #POLICIES} following ones, each one policy
 * with {@value #FLOWS_PER_POLICY} flows; {@code -Dpolyfence.seed=N} moves the base and
 * {@code -Dpolyfence.policies=K} changes the count, so one failing seed is rerun with
 * {@code -Dpolyfence.seed=N -Dpolyfence.policies=1}; {@code -Dpolyfence.flows=F} changes
 * the flows per policy, for deeper runs.
 */
final class Equivalence {

	static final long BASE_SEED = 20261123L;

	static final int POLICIES = 250;

	static final int FLOWS_PER_POLICY = 60;

	private static final int MISMATCHES_SHOWN = 5;

	private Equivalence() {
	}

	static LongStream seeds() {
		long base = Long.parseLong(System.getProperty("polyfence.seed", Long.toString(BASE_SEED)).trim());
		int count = Integer.parseInt(System.getProperty("polyfence.policies", Integer.toString(POLICIES)).trim());
		return LongStream.range(base, base + count);
	}

	/** Builds one cloud's evaluator over a translation's output. */
	interface EvaluatorFactory<T> {

		CloudEvaluator create(Policy policy, Bindings bindings, T output);

	}

	/** A flow where the cloud and the policy disagree, undeclared. */
	record Mismatch(Flow flow, Decision decision, String policyExplanation, CloudVerdict verdict) {

		String describe(Target target) {
			String kind = decision.allowed()
					? (verdict.allowed() ? "REPLIES BLOCKED of an allowed flow" : "ERRS CLOSED without a finding")
					: "ERRS OPEN: the cloud allows what the policy denies";
			return "  " + kind + "\n    flow:   " + flow + "\n    policy: " + (decision.allowed() ? "allow" : "deny")
					+ " (" + policyExplanation + ")\n    " + target.wire() + ": "
					+ (verdict.allowed() ? "allow" : "deny") + (verdict.repliesPass() ? "" : ", replies blocked") + " ("
					+ verdict.explanation() + ")";
		}
	}

	/**
	 * What one policy's flows gave; {@code excusedBy} counts, per finding code, the flows
	 * that a finding of that code excused.
	 */
	record Outcome(int flows, int allowed, int denied, int approximations, Map<String, Integer> excusedBy,
			List<Mismatch> mismatches) {
	}

	/** Totals over a run, printed once at the end. */
	static final class Tally {

		private final Target target;

		private long policies;

		private long failedPolicies;

		private long flows;

		private long allowed;

		private long denied;

		private long approximations;

		private long mismatches;

		private final Map<String, Long> excusedBy = new TreeMap<>();

		private long translateNanos;

		private long evaluateNanos;

		private long slowestSeed;

		private long slowestNanos;

		Tally(Target target) {
			this.target = target;
		}

		synchronized void add(Outcome outcome) {
			policies++;
			flows += outcome.flows();
			allowed += outcome.allowed();
			denied += outcome.denied();
			approximations += outcome.approximations();
			mismatches += outcome.mismatches().size();
			outcome.excusedBy().forEach((code, n) -> excusedBy.merge(code, (long) n, Long::sum));
			if (!outcome.mismatches().isEmpty()) {
				failedPolicies++;
			}
		}

		/** Time spent, for the printed totals only: nothing asserts on it. */
		synchronized void time(long seed, long translate, long evaluate) {
			translateNanos += translate;
			evaluateNanos += evaluate;
			if (translate + evaluate > slowestNanos) {
				slowestNanos = translate + evaluate;
				slowestSeed = seed;
			}
		}

		synchronized void failed() {
			policies++;
			failedPolicies++;
		}

		synchronized String summary() {
			return String
				.format("[polyfence verify] %s: %d policies (%d failed), %d flows: %d allowed, %d denied by the policy; "
						+ "%d declared approximations %s, %d mismatches; translating %d ms, evaluating %d ms, slowest seed %d (%d ms)",
						target.wire(), policies, failedPolicies, flows, allowed, denied, approximations, excusedBy,
						mismatches, translateNanos / 1_000_000, evaluateNanos / 1_000_000, slowestSeed,
						slowestNanos / 1_000_000);
		}

	}

	/**
	 * Generates, translates, evaluates and compares one seed; fails with a readable dump.
	 */
	static <T> void run(long seed, Target target, Translator<T> translator, EvaluatorFactory<T> factory,
			Function<Bindings, Map<String, List<IPAddress>>> cidrs, Tally tally) {
		run(new PolicyGenerator(seed).generate(), target, translator, factory, cidrs, tally);
	}

	/** The same for a policy of another generator. */
	static <T> void run(PolicyGenerator.Generated generated, Target target, Translator<T> translator,
			EvaluatorFactory<T> factory, Function<Bindings, Map<String, List<IPAddress>>> cidrs, Tally tally) {
		long seed = generated.seed();
		Policy policy = generated.policy();
		Bindings bindings = generated.bindings();
		String header = target.wire() + " seed " + seed + " (rerun: -Dpolyfence.seed=" + seed
				+ " -Dpolyfence.policies=1)";
		Translation<T> translation;
		long started = System.nanoTime();
		try {
			translation = translator.translate(policy, bindings);
		}
		catch (RuntimeException ex) {
			tally.failed();
			throw new AssertionError(header + ": the translator threw " + ex + "\n" + PolicyDump.of(policy, bindings),
					ex);
		}
		long translated = System.nanoTime();
		CloudEvaluator evaluator;
		try {
			evaluator = factory.create(policy, bindings, translation.output());
		}
		catch (IllegalArgumentException ex) {
			tally.failed();
			throw new AssertionError(header + ": the evaluator refuses the output: " + ex.getMessage() + "\n"
					+ PolicyDump.of(policy, bindings) + findingsText(translation.findings(), target) + "output: "
					+ save(target, seed, translation), ex);
		}
		int flowCount = Integer
			.parseInt(System.getProperty("polyfence.flows", Integer.toString(FLOWS_PER_POLICY)).trim());
		List<Flow> flows = new FlowGenerator(policy, cidrs.apply(bindings), seed).flows(flowCount);
		Outcome outcome = compare(policy, target, translation.findings(), evaluator, flows);
		tally.time(seed, translated - started, System.nanoTime() - translated);
		tally.add(outcome);
		if (!outcome.mismatches().isEmpty()) {
			StringBuilder message = new StringBuilder(header).append(": ")
				.append(outcome.mismatches().size())
				.append(" of ")
				.append(flows.size())
				.append(" flows disagree\n");
			outcome.mismatches()
				.stream()
				.limit(MISMATCHES_SHOWN)
				.forEach(m -> message.append(m.describe(target)).append('\n'));
			message.append(PolicyDump.of(policy, bindings))
				.append(findingsText(translation.findings(), target))
				.append("output: ")
				.append(save(target, seed, translation));
			throw new AssertionError(message.toString());
		}
	}

	/** Compares the cloud with the policy on each flow. */
	static Outcome compare(Policy policy, Target target, List<Finding> findings, CloudEvaluator evaluator,
			List<Flow> flows) {
		PolicyEvaluator neutral = new PolicyEvaluator(policy);
		int allowed = 0;
		int approximations = 0;
		Map<String, Integer> excusedBy = new TreeMap<>();
		List<Mismatch> mismatches = new ArrayList<>();
		for (Flow flow : flows) {
			Decision decision = neutral.decide(flow);
			CloudVerdict verdict = evaluator.evaluate(flow);
			if (decision.allowed()) {
				allowed++;
			}
			boolean agrees = decision.allowed() ? verdict.allowedWithReplies() : !verdict.allowed();
			if (agrees) {
				continue;
			}
			List<Finding> excuses = decision.allowed() ? excuses(policy, target, findings, flow) : List.of();
			if (!excuses.isEmpty()) {
				approximations++;
				excuses.stream().map(Finding::code).distinct().forEach(code -> excusedBy.merge(code, 1, Integer::sum));
			}
			else {
				mismatches.add(new Mismatch(flow, decision, neutral.explain(flow), verdict));
			}
		}
		return new Outcome(flows.size(), allowed, flows.size() - allowed, approximations, excusedBy, mismatches);
	}

	/**
	 * The warnings and errors of this cloud that name a rule applying to the source
	 * (egress) or destination (ingress).
	 */
	static List<Finding> excuses(Policy policy, Target target, List<Finding> findings, Flow flow) {
		Set<String> rules = new HashSet<>();
		if (flow.source() instanceof Endpoint.Workload w) {
			policy.rulesFor(w.group(), Direction.EGRESS).stream().map(Rule::name).forEach(rules::add);
		}
		if (flow.destination() instanceof Endpoint.Workload w) {
			policy.rulesFor(w.group(), Direction.INGRESS).stream().map(Rule::name).forEach(rules::add);
		}
		return findings.stream()
			.filter(f -> f.target() == target && (f.severity() == Severity.WARNING || f.severity() == Severity.ERROR)
					&& f.rule() != null && rules.contains(f.rule()))
			.toList();
	}

	private static String findingsText(List<Finding> findings, Target target) {
		String text = findings.stream()
			.filter(f -> f.target() == target || f.target() == Target.POLICY)
			.map(f -> "  " + f.severity().wire() + " " + f.code() + " rule=" + f.rule() + ": " + f.message())
			.collect(Collectors.joining("\n"));
		return "findings:\n" + (text.isEmpty() ? "  (none)" : text) + "\n";
	}

	/**
	 * Writes the whole translation as JSON under target/verify-failures and says where.
	 */
	private static String save(Target target, long seed, Translation<?> translation) {
		try {
			Path dir = Path.of("target", "verify-failures");
			Files.createDirectories(dir);
			Path file = dir.resolve(target.wire() + "-seed-" + seed + ".json");
			JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
			Files.writeString(file, mapper.writeValueAsString(translation));
			return file.toAbsolutePath().toString();
		}
		catch (IOException | RuntimeException ex) {
			return "(not saved: " + ex + ")";
		}
	}

}

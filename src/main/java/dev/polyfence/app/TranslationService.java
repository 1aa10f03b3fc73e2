package dev.polyfence.app;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Cloud;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.PolicyChecks;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The translate use case: one policy, its bindings and the clouds asked for, in; every targeted
 * cloud's objects and all findings, out. It calls no cloud and keeps no state, so one instance
 * serves every request.
 */
public class TranslationService {

	private final Translator<AwsOutput> aws;

	private final Translator<AzureOutput> azure;

	private final Translator<GcpOutput> gcp;

	public TranslationService() {
		this(new AwsTranslator(), new AzureTranslator(), new GcpTranslator());
	}

	public TranslationService(Translator<AwsOutput> aws, Translator<AzureOutput> azure, Translator<GcpOutput> gcp) {
		this.aws = Objects.requireNonNull(aws, "aws");
		this.azure = Objects.requireNonNull(azure, "azure");
		this.gcp = Objects.requireNonNull(gcp, "gcp");
	}

	/** Translates a parsed request body; see {@link #translate(Policy, Bindings, Set)}. */
	public TranslationResult translate(PolicyRequest request) {
		return translate(request.policy(), request.bindings(), request.targets());
	}

	/**
	 * Translates for {@code targets}, or when that is empty for every cloud that has bindings, or for
	 * all three when there are none (spec section 7). Findings come in a fixed order: the policy's
	 * own first, then AWS, Azure and GCP, each in the order its translator gave them.
	 */
	public TranslationResult translate(Policy policy, Bindings bindings, Set<Cloud> targets) {
		Objects.requireNonNull(policy, "policy");
		Bindings given = bindings == null ? Bindings.NONE : bindings;
		Set<Cloud> clouds = effectiveTargets(given, targets);
		List<Finding> findings = new ArrayList<>(PolicyChecks.findings(policy));
		AwsOutput awsOutput = clouds.contains(Cloud.AWS) ? run(aws, policy, given, findings) : null;
		AzureOutput azureOutput = clouds.contains(Cloud.AZURE) ? run(azure, policy, given, findings) : null;
		GcpOutput gcpOutput = clouds.contains(Cloud.GCP) ? run(gcp, policy, given, findings) : null;
		return new TranslationResult(awsOutput, azureOutput, gcpOutput, findings);
	}

	/** The clouds a request is translated for; see {@link #translate}. */
	static Set<Cloud> effectiveTargets(Bindings bindings, Set<Cloud> targets) {
		if (targets != null && !targets.isEmpty()) {
			return EnumSet.copyOf(targets);
		}
		Set<Cloud> bound = EnumSet.noneOf(Cloud.class);
		if (bindings.aws() != null) {
			bound.add(Cloud.AWS);
		}
		if (bindings.azure() != null) {
			bound.add(Cloud.AZURE);
		}
		if (bindings.gcp() != null) {
			bound.add(Cloud.GCP);
		}
		return bound.isEmpty() ? EnumSet.allOf(Cloud.class) : bound;
	}

	private static <T> T run(Translator<T> translator, Policy policy, Bindings bindings, List<Finding> findings) {
		Translation<T> translation = translator.translate(policy, bindings);
		findings.addAll(translation.findings());
		return translation.output();
	}
}

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
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The translate use case: one policy, its bindings and the clouds asked for, in; every
 * targeted cloud's objects and all findings, out. It calls no cloud and keeps no state,
 * so one instance serves every request.
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

	/**
	 * Translates for the request's effective targets: the targets when given, else every
	 * cloud that has bindings, else all three (spec section 7,
	 * {@link PolicyRequest#effectiveTargets()}). Findings come in a fixed order: the
	 * policy's own first, then AWS, Azure and GCP, each in the order its translator gave
	 * them.
	 */
	public TranslationResult translate(PolicyRequest request) {
		Objects.requireNonNull(request, "request");
		Policy policy = request.policy();
		Bindings bindings = request.bindings();
		Set<Cloud> clouds = request.effectiveTargets();
		List<Finding> findings = new ArrayList<>(PolicyChecks.findings(policy));
		AwsOutput awsOutput = clouds.contains(Cloud.AWS) ? run(aws, policy, bindings, findings) : null;
		AzureOutput azureOutput = clouds.contains(Cloud.AZURE) ? run(azure, policy, bindings, findings) : null;
		GcpOutput gcpOutput = clouds.contains(Cloud.GCP) ? run(gcp, policy, bindings, findings) : null;
		return new TranslationResult(awsOutput, azureOutput, gcpOutput, findings);
	}

	private static <T> T run(Translator<T> translator, Policy policy, Bindings bindings, List<Finding> findings) {
		Translation<T> translation = translator.translate(policy, bindings);
		findings.addAll(translation.findings());
		return translation.output();
	}

}

package dev.polyfence.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.gcp.GcpOutput;
import java.util.List;
import java.util.Objects;

/**
 * What {@code POST /v1/translations} answers: the output of every targeted cloud, and the
 * findings of the policy and of each cloud. A cloud that was not targeted is null here
 * and absent from the JSON, never {@code null} there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TranslationResult(AwsOutput aws, AzureOutput azure, GcpOutput gcp, List<Finding> findings) {

	public TranslationResult {
		findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
	}
}

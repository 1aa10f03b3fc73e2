package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.app.TranslationResult;
import dev.polyfence.app.TranslationService;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Cloud;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.gcp.GcpOutput;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The translate use case with stand-in translators: which clouds run, and in what order
 * findings come. (Kept beside the web tests, which own this project's test tree for the
 * edge and its use cases.)
 */
class TranslationServiceTest {

	private static final Policy POLICY = new Policy("shop", "", Defaults.STANDARD, Map.of(), List.of("web"), List.of());

	private final List<Target> called = new ArrayList<>();

	private final TranslationService service = new TranslationService(
			fake(Target.AWS, new AwsOutput(List.of(), List.of())), fake(Target.AZURE, new AzureOutput(List.of())),
			fake(Target.GCP, new GcpOutput(List.of())));

	@Test
	void translatesOnlyTheTargetsAsked() {
		TranslationResult result = service
			.translate(new PolicyRequest(POLICY, Bindings.NONE, EnumSet.of(Cloud.GCP, Cloud.AWS)));
		assertThat(called).containsExactly(Target.AWS, Target.GCP);
		assertThat(result.aws()).isNotNull();
		assertThat(result.azure()).isNull();
		assertThat(result.gcp()).isNotNull();
	}

	@Test
	void withoutTargetsOrBindingsTranslatesForAllThree() {
		TranslationResult result = service.translate(new PolicyRequest(POLICY, Bindings.NONE, Set.of()));
		assertThat(called).containsExactly(Target.AWS, Target.AZURE, Target.GCP);
		assertThat(result.aws()).isNotNull();
		assertThat(result.azure()).isNotNull();
		assertThat(result.gcp()).isNotNull();
	}

	@Test
	void withoutTargetsTranslatesForTheCloudsThatHaveBindings() {
		Bindings azureOnly = new Bindings(null, new Bindings.Azure("sub", "rg", "westeurope", null, Map.of()), null);
		TranslationResult result = service.translate(new PolicyRequest(POLICY, azureOnly, Set.of()));
		assertThat(called).containsExactly(Target.AZURE);
		assertThat(result.aws()).isNull();
		assertThat(result.gcp()).isNull();
	}

	@Test
	void givenTargetsWinOverBindings() {
		Bindings azureOnly = new Bindings(null, new Bindings.Azure("sub", "rg", "westeurope", null, Map.of()), null);
		service.translate(new PolicyRequest(POLICY, azureOnly, Set.of(Cloud.AWS)));
		assertThat(called).containsExactly(Target.AWS);
	}

	@Test
	void findingsComeCloudByCloudInAFixedOrder() {
		TranslationResult result = service
			.translate(new PolicyRequest(POLICY, null, EnumSet.of(Cloud.GCP, Cloud.AZURE, Cloud.AWS)));
		assertThat(result.findings()).extracting(Finding::target).containsExactly(Target.AWS, Target.AZURE, Target.GCP);
	}

	private <T> Translator<T> fake(Target target, T output) {
		return new Translator<>() {
			@Override
			public Target target() {
				return target;
			}

			@Override
			public Translation<T> translate(Policy policy, Bindings bindings) {
				called.add(target);
				return new Translation<>(output,
						List.of(Finding.of(FindingCode.BINDINGS_MISSING, target, null, "from the stand-in")));
			}
		};
	}

}

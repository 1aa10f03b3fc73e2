package dev.polyfence.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md promises every environment variable the service reads: each
 * {@code polyfence.*} property named in the main code (in {@code @Value},
 * {@code @ConditionalOnProperty} or as a {@code @ConfigurationProperties} prefix) must
 * appear there in its environment variable form.
 */
class OperationsDocTest {

	/**
	 * A placeholder, or the name or prefix of a {@code @ConfigurationProperties} or
	 * {@code @ConditionalOnProperty}.
	 */
	private static final Pattern PROPERTY = Pattern
		.compile("\\$\\{(polyfence\\.[a-z0-9.-]+)" + "|@Conditional\\w*Property\\([^)]*?\"(polyfence\\.[a-z0-9.-]+)\""
				+ "|@ConfigurationProperties\\([^)]*?\"(polyfence\\.[a-z0-9.-]+)\"");

	@Test
	void everyPolyfencePropertyTheCodeReadsIsListedAsAnEnvironmentVariable() throws IOException {
		String doc = Files.readString(Path.of("docs/operations.md"));
		Set<String> properties = new TreeSet<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
				Matcher m = PROPERTY.matcher(Files.readString(source));
				while (m.find()) {
					properties.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
				}
			}
		}

		assertThat(properties).contains("polyfence.aws.max-attempts", "polyfence.azure.enabled", "polyfence.web")
			.allSatisfy(property -> assertThat(doc).as("docs/operations.md lists %s", property)
				.contains("`" + environmentName(property)));
	}

	/**
	 * {@code polyfence.aws.max-attempts} as {@code POLYFENCE_AWS_MAX_ATTEMPTS}; a prefix
	 * as its start.
	 */
	static String environmentName(String property) {
		return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
	}

}

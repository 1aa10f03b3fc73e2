package dev.polyfence.app;

import dev.polyfence.policy.DocumentParser;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the use cases. The core they use is plain Java; only this class knows about Spring. */
@Configuration(proxyBeanMethods = false)
class AppConfiguration {

	/** Thread-safe; one parser serves every request. */
	@Bean
	DocumentParser documentParser() {
		return new DocumentParser();
	}

	@Bean
	TranslationService translationService() {
		return new TranslationService();
	}
}

package dev.polyfence.app;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the use cases. The core they use is plain Java; only this class knows about Spring. */
@Configuration(proxyBeanMethods = false)
class AppConfiguration {

	@Bean
	TranslationService translationService() {
		return new TranslationService();
	}
}

package dev.polyfence.app;

import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;

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

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	PlanStore planStore() {
		return new InMemoryPlanStore();
	}

	@Bean
	TargetLocks targetLocks() {
		return new TargetLocks();
	}

	/** The cloud adapters are optional: without one, that cloud's plans say so in an error finding. */
	@Bean
	PlanService planService(TranslationService translations, ObjectProvider<AwsEnvironment> aws,
			ObjectProvider<AzureEnvironment> azure, ObjectProvider<GcpEnvironment> gcp, PlanStore store, Clock clock,
			@Value("${polyfence.plans.ttl:PT1H}") Duration ttl) {
		return new PlanService(translations, aws.getIfAvailable(), azure.getIfAvailable(), gcp.getIfAvailable(), store,
				clock, ttl);
	}

	@Bean
	ApplyService applyService(PlanStore store, ObjectProvider<AwsEnvironment> aws,
			ObjectProvider<AzureEnvironment> azure, ObjectProvider<GcpEnvironment> gcp, TargetLocks locks, Clock clock) {
		return new ApplyService(store, aws.getIfAvailable(), azure.getIfAvailable(), gcp.getIfAvailable(), locks, clock);
	}
}

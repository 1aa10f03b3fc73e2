package dev.polyfence.app;

import dev.polyfence.policy.DocumentParser;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the use cases. The core they use is plain Java; only this class knows about
 * Spring.
 */
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

	/**
	 * Milliseconds: what every database here stores exactly, so a plan read back shows
	 * the same times.
	 */
	@Bean
	Clock clock() {
		return Clock.tickMillis(ZoneOffset.UTC);
	}

	@Bean
	Clouds clouds(ObjectProvider<AwsEnvironment> aws, ObjectProvider<AzureEnvironment> azure,
			ObjectProvider<GcpEnvironment> gcp) {
		return new Clouds(aws.getIfAvailable(), azure.getIfAvailable(), gcp.getIfAvailable());
	}

	/**
	 * The cloud adapters are optional: without one, that cloud's plans say so in an error
	 * finding.
	 */
	@Bean
	PlanService planService(DocumentParser parser, TranslationService translations, Clouds clouds, PlanStore store,
			AuditTrail audit, Clock clock, @Value("${polyfence.plans.ttl:PT1H}") Duration ttl) {
		return new PlanService(parser, translations, clouds, store, audit, clock, ttl);
	}

	/**
	 * On shutdown (after the web server has let running requests finish, up to
	 * spring.lifecycle.timeout-per-shutdown-phase) an apply still running stops before
	 * its next step and records where.
	 */
	@Bean
	ApplyService applyService(DocumentParser parser, TranslationService translations, Clouds clouds, PlanStore store,
			TargetLocks locks, AuditTrail audit, Clock clock) {
		return new ApplyService(parser, translations, clouds, store, locks, audit, clock,
				ManagementFactory.getRuntimeMXBean().getName());
	}

	@Bean
	PlanRetention planRetention(PlanStore store, Clock clock,
			@Value("${polyfence.plans.retention:P30D}") Duration retention) {
		return new PlanRetention(store, clock, retention);
	}

	/**
	 * Destroyed before the database it needs: it depends on the apply service, which
	 * depends on the store.
	 */
	@Bean
	DisposableBean applyShutdown(ApplyService applies, @Value("${polyfence.applies.stop-grace:PT30S}") Duration grace) {
		return () -> applies.shutdown(grace);
	}

}

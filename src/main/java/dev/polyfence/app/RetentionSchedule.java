package dev.polyfence.app;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs the plan retention now and then; on several replicas each runs it, which is
 * harmless.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RetentionSchedule {

	private final PlanRetention retention;

	RetentionSchedule(PlanRetention retention) {
		this.retention = retention;
	}

	@Scheduled(initialDelayString = "${polyfence.plans.purge-interval:PT1H}",
			fixedDelayString = "${polyfence.plans.purge-interval:PT1H}")
	void purge() {
		retention.purge();
	}

}

package dev.polyfence.web;

import dev.polyfence.app.TranslationService;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Work that never ends by itself, so the tests of the time budget, of a client that hangs
 * up and of the shutdown do not depend on how slow some real input is today: a policy
 * named {@value #NAME} is translated for GCP until the worker is interrupted, checking
 * for {@link Cancellation} every millisecond as the real loops do. Every other policy is
 * translated as usual.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EndlessTranslation {

	public static final String NAME = "endless";

	/** A translation request for the endless policy, in JSON. */
	public static final String REQUEST = """
			{"policy": {"apiVersion": "polyfence.dev/v1", "kind": "NetworkPolicy", "metadata": {"name": "endless"},
			  "spec": {"groups": [{"name": "web"}], "rules": [{"name": "https", "action": "allow", "direction": "ingress",
			    "appliesTo": ["web"], "peers": [{"any": true}], "services": [{"protocol": "tcp", "ports": ["443"]}]}]}},
			 "targets": ["gcp"]}
			""";

	/** How many endless translations started and how many stopped. */
	public static final class Counts {

		public final AtomicInteger started = new AtomicInteger();

		public final AtomicInteger stopped = new AtomicInteger();

	}

	@Bean
	Counts endlessCounts() {
		return new Counts();
	}

	@Bean
	@Primary
	TranslationService endlessTranslationService(Counts counts) {
		GcpTranslator gcp = new GcpTranslator();
		Translator<GcpOutput> endless = new Translator<>() {

			@Override
			public Target target() {
				return Target.GCP;
			}

			@Override
			public Translation<GcpOutput> translate(Policy policy, Bindings bindings) {
				if (!NAME.equals(policy.name())) {
					return gcp.translate(policy, bindings);
				}
				counts.started.incrementAndGet();
				try {
					while (true) {
						Cancellation.check();
						LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
					}
				}
				finally {
					counts.stopped.incrementAndGet();
				}
			}

		};
		return new TranslationService(new AwsTranslator(), new AzureTranslator(), endless);
	}

}

package dev.polyfence.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Times each call of a {@link UseCase} handler from the moment Spring MVC picks the
 * handler until the answer is written, with tag {@code outcome}: {@code ok}, or the short
 * name of the problem type the caller got ({@code invalid-document}, {@code stale-plan},
 * {@code target-locked}), which {@link ProblemOutcome} notes as the problem is written.
 * Measuring the answer rather than the exception keeps the outcome equal to what the
 * caller saw, whichever advice mapped it.
 *
 * <p>
 * Requests refused before a handler is chosen (no route, an unsupported media type, or a
 * caller the security filters turn away) are not use-case calls and are not counted.
 */
@Component
class UseCaseMetrics implements HandlerInterceptor, WebMvcConfigurer {

	static final String TRANSLATIONS = "polyfence.translations";

	static final String PLANS = "polyfence.plans";

	static final String APPLIES = "polyfence.applies";

	static final String OK = "ok";

	private static final String STARTED = UseCaseMetrics.class.getName() + ".started";

	private final MeterRegistry registry;

	/** Without a registry (a test slice without metrics) nothing is recorded. */
	UseCaseMetrics(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry.getIfAvailable(CompositeMeterRegistry::new);
	}

	@Override
	public void addInterceptors(InterceptorRegistry interceptors) {
		interceptors.addInterceptor(this);
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (useCase(handler) != null) {
			request.setAttribute(STARTED, System.nanoTime());
		}
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		UseCase useCase = useCase(handler);
		if (useCase == null || !(request.getAttribute(STARTED) instanceof Long started)) {
			return;
		}
		Timer.builder(useCase.value())
			.description("Calls of a Polyfence use case, by outcome (ok or the problem type)")
			.tag("outcome", outcome(request, response, ex))
			.register(registry)
			.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
	}

	/**
	 * What the caller got: a problem's type, else ok for a success or the status for
	 * anything else.
	 */
	static String outcome(HttpServletRequest request, HttpServletResponse response, Exception unhandled) {
		String problem = ProblemOutcome.of(request);
		if (problem != null) {
			return problem;
		}
		if (unhandled != null) {
			return "internal-error";
		}
		return response.getStatus() < 400 ? OK : Integer.toString(response.getStatus());
	}

	private static UseCase useCase(Object handler) {
		return handler instanceof HandlerMethod method ? method.getMethodAnnotation(UseCase.class) : null;
	}

}

package dev.polyfence.testing.moto;

import java.net.URI;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts the JVM's {@link MotoServer} before a test class, resets it before each test
 * (unless {@link WithMoto#resetBeforeEach()} is false), stops it when the whole run ends,
 * and injects it (or its endpoint {@link URI}) into test constructors and methods. Use it
 * through {@link WithMoto}. Without moto the class fails, saying how to install it; with
 * {@value MotoServer#OPTIONAL_PROPERTY} set to true its tests are reported as skipped
 * instead.
 */
public final class MotoExtension
		implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MotoExtension.class);

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (!MotoServer.optional()) {
			// Never skip: beforeAll starts moto or fails the class loudly.
			return ConditionEvaluationResult.enabled("moto is required");
		}
		return MotoServer.unavailableReason()
			.map(reason -> ConditionEvaluationResult
				.disabled("moto is not available and " + MotoServer.OPTIONAL_PROPERTY + "=true: " + reason))
			.orElseGet(() -> ConditionEvaluationResult.enabled("moto runs at " + MotoServer.shared().endpoint()));
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		MotoServer.shared();
		// Closed by JUnit when the run ends: one moto process serves every class.
		context.getRoot().getStore(NAMESPACE).computeIfAbsent(StopAtEnd.class, k -> new StopAtEnd(), StopAtEnd.class);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		boolean reset = context.getTestClass()
			.flatMap(c -> AnnotationSupport.findAnnotation(c, WithMoto.class))
			.map(WithMoto::resetBeforeEach)
			.orElse(true);
		if (reset) {
			MotoServer.shared().reset();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return type == MotoServer.class || type == URI.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		MotoServer server = MotoServer.shared();
		return parameter.getParameter().getType() == URI.class ? server.endpoint() : server;
	}

	private static final class StopAtEnd implements AutoCloseable {

		@Override
		public void close() {
			MotoServer.stopShared();
		}

	}

}

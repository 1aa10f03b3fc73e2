package dev.polyfence.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method as a use case whose calls {@link UseCaseMetrics} times under the
 * given meter name, so that the controllers say which endpoint is which use case in one
 * line.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@interface UseCase {

	/** The timer's name, one of the {@link UseCaseMetrics} constants. */
	String value();

}

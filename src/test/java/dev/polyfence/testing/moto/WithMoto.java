package dev.polyfence.testing.moto;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs a test class against the JVM's moto server (see {@link MotoServer}): started once,
 * reset before each test, never used by two test classes at once.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MotoExtension.class)
@ResourceLock(WithMoto.LOCK)
public @interface WithMoto {

	String LOCK = "dev.polyfence.testing.moto";

	/**
	 * False to keep state across the tests of a class (it is still reset by the next
	 * class that asks).
	 */
	boolean resetBeforeEach() default true;

}

package dev.polyfence.translate;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;

/**
 * Turns a neutral policy into one cloud's objects. Implementations are pure and
 * stateless: the same policy and bindings give an equal result, and nothing of the inputs
 * is changed.
 *
 * @param <T> the cloud's output, in the provider's own field names
 */
public interface Translator<T> {

	Target target();

	Translation<T> translate(Policy policy, Bindings bindings);

}

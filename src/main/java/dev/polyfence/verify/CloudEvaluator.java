package dev.polyfence.verify;

import dev.polyfence.translate.Target;

/** One cloud's own evaluation of a translation's output objects. */
public interface CloudEvaluator {

	Target target();

	/**
	 * Judges a new connection as the cloud would.
	 * @throws IllegalArgumentException when a workload of the flow has no objects of its
	 * group in the output, or an endpoint is an outside address on both ends
	 */
	CloudVerdict evaluate(Flow flow);

}

package dev.polyfence.translate.gcp;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;

/** Translates a neutral policy for Gcp. (Being written.) */
public final class GcpTranslator implements Translator<GcpOutput> {

	@Override
	public Target target() {
		return Target.GCP;
	}

	@Override
	public Translation<GcpOutput> translate(Policy policy, Bindings bindings) {
		throw new UnsupportedOperationException("not written yet");
	}
}

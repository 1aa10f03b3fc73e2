package dev.polyfence.translate.aws;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;

/** Translates a neutral policy for Aws. (Being written.) */
public final class AwsTranslator implements Translator<AwsOutput> {

	@Override
	public Target target() {
		return Target.AWS;
	}

	@Override
	public Translation<AwsOutput> translate(Policy policy, Bindings bindings) {
		throw new UnsupportedOperationException("not written yet");
	}
}

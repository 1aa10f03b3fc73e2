package dev.polyfence.translate.azure;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;

/** Translates a neutral policy for Azure. (Being written.) */
public final class AzureTranslator implements Translator<AzureOutput> {

	@Override
	public Target target() {
		return Target.AZURE;
	}

	@Override
	public Translation<AzureOutput> translate(Policy policy, Bindings bindings) {
		throw new UnsupportedOperationException("not written yet");
	}
}

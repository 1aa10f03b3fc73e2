package dev.polyfence.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP edge ({@code polyfence.web.*}).
 *
 * @param maxBodySize the largest request body accepted; a larger one is answered with 413
 */
@ConfigurationProperties("polyfence.web")
record WebLimits(@DefaultValue("2MB") DataSize maxBodySize) {

	WebLimits {
		if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("polyfence.web.max-body-size must be between 1B and 2GB");
		}
	}
}

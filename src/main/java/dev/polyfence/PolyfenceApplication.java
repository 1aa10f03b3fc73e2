package dev.polyfence;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Polyfence HTTP service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PolyfenceApplication {

	public static void main(String[] args) {
		SpringApplication.run(PolyfenceApplication.class, args);
	}

}

package dev.polyfence.web;

import dev.polyfence.app.RequestDocument;
import dev.polyfence.app.TranslationResult;
import dev.polyfence.app.TranslationService;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/translations}: a policy request as JSON or YAML in, every targeted
 * cloud's objects out. The body is read as text and handed to the document parser
 * untouched, so every problem in it is reported at its JSON Pointer, never as a Spring
 * binding error. Reading and translating it run as {@link BoundedWork}, within the time
 * budget.
 */
@RestController
class TranslationController {

	static final String APPLICATION_YAML = "application/yaml";

	static final String APPLICATION_X_YAML = "application/x-yaml";

	static final String TEXT_YAML = "text/yaml";

	static final List<MediaType> READABLE = List.of(MediaType.APPLICATION_JSON,
			MediaType.parseMediaType(APPLICATION_YAML), MediaType.parseMediaType(APPLICATION_X_YAML),
			MediaType.parseMediaType(TEXT_YAML));

	private final DocumentParser parser;

	private final TranslationService translations;

	private final WebLimits limits;

	private final BoundedWork work;

	TranslationController(DocumentParser parser, TranslationService translations, WebLimits limits, BoundedWork work) {
		this.parser = parser;
		this.translations = translations;
		this.limits = limits;
		this.work = work;
	}

	@PostMapping(path = "/v1/translations",
			consumes = { MediaType.APPLICATION_JSON_VALUE, APPLICATION_YAML, APPLICATION_X_YAML, TEXT_YAML },
			produces = MediaType.APPLICATION_JSON_VALUE)
	@UseCase(UseCaseMetrics.TRANSLATIONS)
	TranslationResult translate(@RequestHeader("Content-Type") MediaType contentType, HttpServletRequest request,
			Principal caller) throws IOException, HttpMediaTypeNotSupportedException {
		RequestDocument document = RequestBodies.document(contentType, request, limits);
		return work.run(BoundedWork.TRANSLATION, caller.getName(), request, checkpoints -> {
			PolicyRequest parsed = parser.parseRequest(document.text(), document.yaml());
			checkpoints.policy(parsed.policy().name());
			return translations.translate(parsed);
		});
	}

}

package dev.polyfence.web;

import dev.polyfence.app.AuditEvent;
import dev.polyfence.app.AuditTrail;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/audit}: who planned and applied what, when, with which result; newest first. */
@RestController
class AuditController {

	static final int MAX_LIMIT = 1000;

	private final AuditTrail audit;

	AuditController(AuditTrail audit) {
		this.audit = audit;
	}

	@GetMapping(path = "/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
	List<AuditEvent> latest(@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new BadQueryException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
		}
		return audit.latest(limit);
	}
}

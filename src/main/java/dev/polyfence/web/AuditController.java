package dev.polyfence.web;

import dev.polyfence.app.AuditEvent;
import dev.polyfence.app.AuditTrail;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/audit}: who planned and applied what, when, with which result; newest
 * first.
 */
@RestController
class AuditController {

	static final int MAX_LIMIT = 1000;

	private final AuditTrail audit;

	AuditController(AuditTrail audit) {
		this.audit = audit;
	}

	static final int DEFAULT_LIMIT = 100;

	/**
	 * {@code limit} is read strictly: absent gives the default, but an empty value, a
	 * repeated one or anything but a whole number in range is a 400 (Spring would take
	 * the first two as absent or joined).
	 */
	@GetMapping(path = "/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
	List<AuditEvent> latest(@RequestParam(name = "limit", required = false) String[] limit) {
		return audit.latest(limit == null ? DEFAULT_LIMIT : limit(limit));
	}

	private static int limit(String[] values) {
		String problem = "limit must be one whole number between 1 and " + MAX_LIMIT;
		if (values.length != 1) {
			throw new BadQueryException(problem + ", given " + values.length + " times");
		}
		try {
			int limit = Integer.parseInt(values[0]);
			if (limit >= 1 && limit <= MAX_LIMIT) {
				return limit;
			}
		}
		catch (NumberFormatException e) {
			// answered below
		}
		throw new BadQueryException(problem + ", not \"" + shorten(values[0]) + "\"");
	}

	private static String shorten(String value) {
		return value.length() <= 20 ? value : value.substring(0, 20) + "…";
	}

}

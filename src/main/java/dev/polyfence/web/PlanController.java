package dev.polyfence.web;

import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.ApplyService;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlanException;
import dev.polyfence.app.PlanService;
import dev.polyfence.app.PlanStore;
import dev.polyfence.app.RequestDocument;
import dev.polyfence.plan.MarkdownReport;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Plans and applies (spec sections 6-7): {@code POST /v1/plans} reads live state and
 * stores a plan, {@code GET /v1/plans/{id}} shows it as JSON or as Markdown for a pull
 * request, and {@code POST /v1/plans/{id}/apply} carries it out. Every call here has a
 * caller (the security filter chain refuses the rest), whose name the plan and apply
 * records keep.
 */
@RestController
class PlanController {

	static final String TEXT_MARKDOWN = "text/markdown";

	private final PlanService plans;

	private final ApplyService applies;

	private final PlanStore store;

	private final WebLimits limits;

	private final BoundedWork work;

	PlanController(PlanService plans, ApplyService applies, PlanStore store, WebLimits limits, BoundedWork work) {
		this.plans = plans;
		this.applies = applies;
		this.store = store;
		this.limits = limits;
		this.work = work;
	}

	@PostMapping(path = "/v1/plans",
			consumes = { MediaType.APPLICATION_JSON_VALUE, TranslationController.APPLICATION_YAML,
					TranslationController.APPLICATION_X_YAML, TranslationController.TEXT_YAML },
			produces = MediaType.APPLICATION_JSON_VALUE)
	@UseCase(UseCaseMetrics.PLANS)
	ResponseEntity<Plan> plan(@RequestHeader("Content-Type") MediaType contentType, HttpServletRequest request,
			Principal caller) throws IOException, HttpMediaTypeNotSupportedException {
		RequestDocument document = RequestBodies.document(contentType, request, limits);
		// Within the time budget (BoundedWork); a plan stopped before it stores leaves
		// nothing.
		Plan plan = work.run(BoundedWork.PLAN, caller.getName(), request,
				checkpoints -> plans.plan(document, caller.getName(), checkpoints));
		return ResponseEntity.created(URI.create("/v1/plans/" + plan.id())).body(plan);
	}

	@GetMapping(path = "/v1/plans/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	Plan get(@PathVariable String id) {
		return find(id);
	}

	@GetMapping(path = "/v1/plans/{id}", produces = TEXT_MARKDOWN)
	ResponseEntity<String> markdown(@PathVariable String id) {
		Plan plan = find(id);
		String body = MarkdownReport.render(new MarkdownReport.Input(plan.id(), plan.policy(), plan.status(),
				plan.createdAt(), plan.expiresAt(), plan.changes(), plan.flows(), plan.foreign(), plan.findings()));
		return ResponseEntity.ok().contentType(MediaType.parseMediaType(TEXT_MARKDOWN + ";charset=UTF-8")).body(body);
	}

	@PostMapping(path = "/v1/plans/{id}/apply", produces = MediaType.APPLICATION_JSON_VALUE)
	@UseCase(UseCaseMetrics.APPLIES)
	ApplyRecord apply(@PathVariable String id, Principal caller) {
		return applies.apply(id, caller.getName());
	}

	/**
	 * Every apply of the plan, oldest first, with its steps: also those still running or
	 * stopped midway.
	 */
	@GetMapping(path = "/v1/plans/{id}/applies", produces = MediaType.APPLICATION_JSON_VALUE)
	List<ApplyRecord> applies(@PathVariable String id) {
		find(id);
		return store.appliesOf(id);
	}

	private Plan find(String id) {
		return store.find(id)
			.orElseThrow(() -> new PlanException(PlanException.Kind.NOT_FOUND, "no plan has id " + id));
	}

}

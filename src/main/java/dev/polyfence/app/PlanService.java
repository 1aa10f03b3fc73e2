package dev.polyfence.app;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.FlowChange;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.plan.PlanFindingCode;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsPlan;
import dev.polyfence.plan.aws.AwsPlanner;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.plan.azure.AzurePlan;
import dev.polyfence.plan.azure.AzurePlanner;
import dev.polyfence.plan.gcp.GcpLiveState;
import dev.polyfence.plan.gcp.GcpPlan;
import dev.polyfence.plan.gcp.GcpPlanner;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Cloud;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.Severity;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.WorkCancelledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan use case: translate, read each target's live state, list the changes, store
 * the plan. A target that cannot be planned (no bindings to find it, no adapter, an
 * unknown scope) gives an error finding, so the plan is shown but refuses to apply.
 */
public class PlanService {

	private static final Logger log = LoggerFactory.getLogger(PlanService.class);

	private final DocumentParser parser;

	private final TranslationService translations;

	private final AwsEnvironment aws;

	private final AzureEnvironment azure;

	private final GcpEnvironment gcp;

	private final PlanStore store;

	private final AuditTrail audit;

	private final Clock clock;

	private final Duration ttl;

	public PlanService(DocumentParser parser, TranslationService translations, Clouds clouds, PlanStore store,
			AuditTrail audit, Clock clock, Duration ttl) {
		this.parser = parser;
		this.translations = translations;
		this.aws = clouds.aws();
		this.azure = clouds.azure();
		this.gcp = clouds.gcp();
		this.store = store;
		this.audit = audit;
		this.clock = clock;
		this.ttl = ttl;
	}

	/**
	 * Plans the request and stores the plan, with the document, for {@code actor} (the
	 * caller's name, for the audit trail). Throws
	 * {@link dev.polyfence.policy.InvalidDocumentException} for a document that does not
	 * parse or breaks the policy's rules.
	 */
	public Plan plan(RequestDocument document, String actor) {
		return plan(document, actor, Checkpoints.NONE);
	}

	/**
	 * Plans as {@link #plan(RequestDocument, String)} does, telling {@code checkpoints}
	 * which policy it works on and when it starts storing. Cancelled before that (its
	 * thread interrupted), it stops with {@link WorkCancelledException} and stores
	 * nothing: no plan, no audit entry.
	 */
	public Plan plan(RequestDocument document, String actor, Checkpoints checkpoints) {
		PolicyRequest request = parser.parseRequest(document.text(), document.yaml());
		checkpoints.policy(request.policy().name());
		TranslationResult translation = translations.translate(request);
		List<Finding> findings = new ArrayList<>(translation.findings());
		List<ChangeRow> rows = new ArrayList<>();
		List<ForeignResource> foreign = new ArrayList<>();
		List<FlowChange> flows = new ArrayList<>();
		Plan.AwsTarget awsTarget = null;
		List<String> targets = request.effectiveTargets().stream().map(Cloud::wire).toList();
		if (translation.aws() != null) {
			awsTarget = planAws(request, translation, findings);
			if (awsTarget != null) {
				AwsPlan p = awsTarget.plan();
				rows.addAll(p.rows());
				findings.addAll(p.findings());
				foreign.addAll(p.foreign());
				flows.addAll(flowDelta(request, awsTarget));
			}
		}
		Plan.AzureTarget azureTarget = null;
		if (translation.azure() != null) {
			azureTarget = planAzure(request, translation, findings);
			if (azureTarget != null) {
				AzurePlan p = azureTarget.plan();
				rows.addAll(p.rows());
				findings.addAll(p.findings());
				foreign.addAll(p.foreign());
			}
		}
		Plan.GcpTarget gcpTarget = null;
		if (translation.gcp() != null) {
			gcpTarget = planGcp(request, translation, findings);
			if (gcpTarget != null) {
				GcpPlan p = gcpTarget.plan();
				rows.addAll(p.rows());
				findings.addAll(p.findings());
				foreign.addAll(p.foreign());
			}
		}
		List<PlannedTarget> planned = new ArrayList<>();
		if (awsTarget != null) {
			planned.add(new PlannedTarget(Cloud.AWS, awsTarget.region(), awsTarget.vpcId(),
					awsTarget.plan().fingerprint(), OperationsDigest.of(awsTarget.plan().operations())));
		}
		if (azureTarget != null) {
			planned.add(new PlannedTarget(Cloud.AZURE, azureTarget.subscriptionId(), azureTarget.resourceGroup(),
					azureTarget.plan().fingerprint(), OperationsDigest.of(azureTarget.plan().operations())));
		}
		if (gcpTarget != null) {
			planned.add(new PlannedTarget(Cloud.GCP, gcpTarget.project(), gcpTarget.network(),
					gcpTarget.plan().fingerprint(),
					OperationsDigest.of(gcpTarget.plan().operations(), gcpTarget.plan().waves())));
		}
		checkpoints.storing();
		Instant now = clock.instant();
		Plan plan = new Plan(UUID.randomUUID().toString(), Plan.PLANNED, request.policy().name(), targets, now,
				now.plus(ttl), actor, Plan.Summary.of(rows), rows, flows, foreign, findings, document, planned,
				awsTarget, azureTarget, gcpTarget);
		store.save(plan);
		long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
		String detail = rows.size() + " changes, " + findings.size() + " findings (" + errors + " errors)";
		audit.record(new AuditEvent(now, actor, AuditEvent.PLAN, plan.id(), plan.policy(), Plan.PLANNED, detail));
		log.info("plan {} for policy {} by {}: {}", plan.id(), plan.policy(), actor, detail);
		return plan;
	}

	private Plan.AwsTarget planAws(PolicyRequest request, TranslationResult translation, List<Finding> findings) {
		Bindings.Aws binding = request.bindings().aws();
		AwsLiveState live = readLive(request, Target.AWS,
				binding != null && binding.vpcId() != null && binding.region() != null,
				"planning for aws needs aws.region and aws.vpcId in the bindings", aws != null,
				"this instance has no AWS access configured", () -> aws.read(binding.region(), binding.vpcId()),
				findings);
		if (live == null) {
			return null;
		}
		AwsPlan plan = new AwsPlanner().plan(request.policy(), binding, translation.aws(), live);
		return new Plan.AwsTarget(binding.region(), binding.vpcId(), request.policy(), translation.aws(), live, plan);
	}

	private Plan.AzureTarget planAzure(PolicyRequest request, TranslationResult translation, List<Finding> findings) {
		Bindings.Azure binding = request.bindings().azure();
		AzureLiveState live = readLive(request, Target.AZURE,
				binding != null && binding.subscriptionId() != null && binding.resourceGroup() != null,
				"planning for azure needs azure.subscriptionId and azure.resourceGroup in the bindings", azure != null,
				"this instance has no Azure access configured (polyfence.azure.enabled=true)",
				() -> azure.read(binding.subscriptionId(), binding.resourceGroup()), findings);
		if (live == null) {
			return null;
		}
		AzurePlan plan = new AzurePlanner().plan(request.policy(), binding, translation.azure(), live);
		return new Plan.AzureTarget(binding.subscriptionId(), binding.resourceGroup(), request.policy(),
				translation.azure(), plan);
	}

	private Plan.GcpTarget planGcp(PolicyRequest request, TranslationResult translation, List<Finding> findings) {
		Bindings.Gcp binding = request.bindings().gcp();
		GcpLiveState live = readLive(request, Target.GCP,
				binding != null && binding.project() != null && binding.network() != null,
				"planning for gcp needs gcp.project and gcp.network in the bindings", gcp != null,
				"this instance has no GCP access configured (polyfence.gcp.enabled=true)",
				() -> gcp.read(binding.project(), binding.network()), findings);
		if (live == null) {
			return null;
		}
		GcpPlan plan = new GcpPlanner().plan(request.policy(), binding, translation.gcp(), live);
		return new Plan.GcpTarget(binding.project(), binding.network(), request.policy(), translation.gcp(), plan);
	}

	/**
	 * A target's live state, or null with a finding that says why it cannot be had: the
	 * bindings do not say where it is, this instance has no adapter for the cloud, the
	 * scope does not exist, or the cloud could not be read.
	 */
	private <L> L readLive(PolicyRequest request, Target target, boolean located, String notLocated, boolean adapter,
			String noAdapter, Supplier<L> read, List<Finding> findings) {
		if (!located) {
			findings.add(unavailable(target, notLocated));
			return null;
		}
		if (!adapter) {
			findings.add(unavailable(target, noAdapter));
			return null;
		}
		try {
			return read.get();
		}
		catch (ScopeNotFoundException e) {
			findings.add(new Finding(PlanFindingCode.SCOPE_NOT_FOUND.severity(), PlanFindingCode.SCOPE_NOT_FOUND.name(),
					target, null, e.getMessage()));
			return null;
		}
		catch (CloudAccessException e) {
			// An SDK may fail a call because the thread was interrupted: that is no
			// finding.
			Cancellation.check();
			log.warn("plan for policy {}: {}", request.policy().name(), e.getMessage());
			findings.add(unavailable(target, e.getMessage()));
			return null;
		}
	}

	/**
	 * The flows the plan opens and closes; a plan is still made when they cannot be
	 * worked out.
	 */
	private static List<FlowChange> flowDelta(PolicyRequest request, Plan.AwsTarget target) {
		try {
			return FlowDeltas.aws(request.policy(), request.bindings(), target.desired(), target.live());
		}
		catch (WorkCancelledException e) {
			throw e;
		}
		catch (RuntimeException e) {
			log.warn("plan for policy {}: flow changes not worked out: {}", request.policy().name(), e.getMessage());
			return List.of();
		}
	}

	private static Finding unavailable(Target target, String message) {
		return new Finding(PlanFindingCode.TARGET_UNAVAILABLE.severity(), PlanFindingCode.TARGET_UNAVAILABLE.name(),
				target, null, message);
	}

}

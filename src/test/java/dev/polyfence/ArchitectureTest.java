package dev.polyfence;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.polyfence.translate.WorkCancelledException;
import java.time.Clock;
import java.time.InstantSource;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Holds the layout of style.md: data flows one way (document, model, translation, plan,
 * apply), the core is pure, and the web and the clouds stay at the edges.
 */
@AnalyzeClasses(packages = "dev.polyfence", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	private static final String POLICY = "dev.polyfence.policy..";

	private static final String TRANSLATE = "dev.polyfence.translate..";

	private static final String VERIFY = "dev.polyfence.verify..";

	private static final String PLAN = "dev.polyfence.plan..";

	private static final String[] CORE = { POLICY, TRANSLATE, VERIFY, PLAN };

	@ArchTest
	static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
		.withOptionalLayers(true)
		.layer("web")
		.definedBy("dev.polyfence.web..")
		.layer("app")
		.definedBy("dev.polyfence.app..")
		.layer("cloud")
		.definedBy("dev.polyfence.cloud..")
		.layer("store")
		.definedBy("dev.polyfence.store..")
		.layer("plan")
		.definedBy(PLAN)
		.layer("verify")
		.definedBy(VERIFY)
		.layer("translate")
		.definedBy(TRANSLATE)
		.layer("policy")
		.definedBy(POLICY)
		.whereLayer("web")
		.mayNotBeAccessedByAnyLayer()
		// cloud adapters implement the ports that app defines; nothing calls an adapter
		// directly (Spring wires them)
		// the store implements app's persistence ports the same way
		.whereLayer("app")
		.mayOnlyBeAccessedByLayers("web", "cloud", "store")
		.whereLayer("cloud")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("store")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("plan")
		.mayOnlyBeAccessedByLayers("app", "web", "cloud", "store")
		.whereLayer("verify")
		.mayOnlyBeAccessedByLayers("app")
		.whereLayer("translate")
		.mayOnlyBeAccessedByLayers("verify", "plan", "cloud", "app", "web", "store")
		.whereLayer("policy")
		.mayOnlyBeAccessedByLayers("translate", "verify", "plan", "cloud", "app", "web", "store");

	/**
	 * The parser reads YAML and JSON with Jackson and checks the JSON Schema with
	 * networknt. SnakeYAML Engine is Jackson's YAML reader: the parser sets its alias and
	 * size limits and reads its error marks.
	 */
	@ArchTest
	static final ArchRule policyUsesOnlyJavaIpAddressJacksonAndSchemaValidator = classes().that()
		.resideInAPackage(POLICY)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("java..", POLICY, "inet.ipaddr..", "com.fasterxml.jackson..", "tools.jackson..",
				"org.snakeyaml.engine..", "com.networknt..");

	/**
	 * Translators see the model and nothing else. IPAddress comes with it: the model's
	 * CIDR blocks are IPAddress values, and style.md asks for it for CIDR arithmetic.
	 */
	@ArchTest
	static final ArchRule translateUsesOnlyThePolicyModel = classes().that()
		.resideInAPackage(TRANSLATE)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("java..", POLICY, TRANSLATE, "inet.ipaddr..", "com.fasterxml.jackson.annotation..");

	@ArchTest
	static final ArchRule verifyUsesOnlyPolicyAndTranslate = classes().that()
		.resideInAPackage(VERIFY)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("java..", POLICY, TRANSLATE, VERIFY, "inet.ipaddr..", "com.fasterxml.jackson.annotation..")
		.allowEmptyShould(true);

	/**
	 * Plans compare translations with live state described in plain records; the SDKs
	 * stay in {@code cloud}.
	 */
	@ArchTest
	static final ArchRule planUsesOnlyTranslationsAndTheModel = classes().that()
		.resideInAPackage(PLAN)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("java..", POLICY, TRANSLATE, PLAN, "inet.ipaddr..", "com.fasterxml.jackson.annotation..")
		.allowEmptyShould(true);

	@ArchTest
	static final ArchRule coreKnowsNoFrameworkAndNoSdk = noClasses().that()
		.resideInAnyPackage(CORE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "jakarta..", "software.amazon..", "com.azure..",
				"com.google.cloud..", "com.google.api..", "io.grpc..");

	/**
	 * Time comes in as a parameter (style.md, rule 1): no clock is read inside the core.
	 */
	@ArchTest
	static final ArchRule coreReadsNoClock = noClasses().that()
		.resideInAnyPackage(CORE)
		.should()
		.dependOnClassesThat()
		.areAssignableTo(Clock.class)
		.orShould()
		.dependOnClassesThat()
		.areAssignableTo(InstantSource.class)
		.orShould()
		.callMethodWhere(readsTheClock());

	/**
	 * Nor the environment: configuration comes in through the bindings and the request.
	 */
	@ArchTest
	static final ArchRule coreReadsNoEnvironment = noClasses().that()
		.resideInAnyPackage(CORE)
		.should()
		.callMethod(System.class, "getenv")
		.orShould()
		.callMethod(System.class, "getenv", String.class)
		.orShould()
		.callMethod(System.class, "getProperty", String.class)
		.orShould()
		.callMethod(System.class, "getProperty", String.class, String.class);

	/**
	 * The web edge sees translations only as output records and findings, never
	 * translators or their helpers.
	 */
	@ArchTest
	static final ArchRule webSeesOnlyTranslationOutput = classes().that()
		.resideInAPackage("dev.polyfence.web..")
		.should()
		.onlyDependOnClassesThat(resideOutsideOfPackage(TRANSLATE).or(outputType()));

	/** style.md, rule 7: controllers and advice are package-private. */
	@ArchTest
	static final ArchRule controllersArePackagePrivate = classes().that()
		.areAnnotatedWith(RestController.class)
		.or()
		.areAnnotatedWith(RestControllerAdvice.class)
		.should()
		.notBePublic();

	private static DescribedPredicate<JavaMethodCall> readsTheClock() {
		return DescribedPredicate.describe("read the clock", call -> {
			String owner = call.getTargetOwner().getName();
			String name = call.getName();
			boolean now = name.equals("now") && owner.startsWith("java.time.");
			boolean system = owner.equals(System.class.getName())
					&& (name.equals("currentTimeMillis") || name.equals("nanoTime"));
			return now || system;
		});
	}

	/**
	 * Public records and enums of the translate packages: the output shapes, findings and
	 * their codes; and the signal that work was cancelled, which the web layer's worker
	 * pool raises and recognises.
	 */
	private static DescribedPredicate<JavaClass> outputType() {
		return DescribedPredicate.describe("are translation output records or enums, or the cancellation signal",
				c -> resideInAPackage(TRANSLATE).test(c)
						&& (c.isRecord() || c.isEnum() || c.isEquivalentTo(WorkCancelledException.class))
						&& c.getModifiers().contains(JavaModifier.PUBLIC));
	}

}

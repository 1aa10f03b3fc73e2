package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * {@code POST /v1/translations} and the status codes of spec section 7, through the whole
 * Spring MVC stack.
 */
@SpringBootTest
@AutoConfigureMockMvc
class TranslationEndpointTest {

	private static final String PROBLEMS = "https://polyfence.dev/problems/";

	@Autowired
	private MockMvc mvc;

	@Test
	void translatesJsonForTheTargetsAsked() throws Exception {
		translate(MediaType.APPLICATION_JSON_VALUE, Documents.MINIMAL_AWS_JSON).andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.aws.securityGroups[0].group").value("web"))
			.andExpect(jsonPath("$.aws.securityGroups[0].IpPermissions[0].IpProtocol").value("tcp"))
			.andExpect(jsonPath("$.aws.securityGroups[0].IpPermissions[0].FromPort").value(443))
			.andExpect(jsonPath("$.aws.networkAcls").isArray())
			.andExpect(jsonPath("$.azure").doesNotExist())
			.andExpect(jsonPath("$.gcp").doesNotExist())
			.andExpect(jsonPath("$.findings").isArray());
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/yaml", "application/x-yaml", "text/yaml", "application/yaml;charset=UTF-8" })
	void translatesYaml(String mediaType) throws Exception {
		translate(mediaType, Documents.THREE_TIER_YAML).andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.aws.securityGroups.length()").value(3))
			.andExpect(jsonPath("$.aws.networkAcls.length()").value(3))
			.andExpect(jsonPath("$.azure.networkSecurityGroups.length()").value(3))
			.andExpect(jsonPath("$.azure.networkSecurityGroups[0].location").value("westeurope"))
			.andExpect(jsonPath("$.gcp.firewalls[0].network", containsString("prod-vpc")))
			.andExpect(jsonPath("$.findings[*].target", hasItem("gcp")));
	}

	@Test
	void withoutTargetsOrBindingsTranslatesForAllThree() throws Exception {
		translate(MediaType.APPLICATION_JSON_VALUE, Documents.MINIMAL_ALL_CLOUDS_JSON).andExpect(status().isOk())
			.andExpect(jsonPath("$.aws").exists())
			.andExpect(jsonPath("$.azure").exists())
			.andExpect(jsonPath("$.gcp").exists());
	}

	@Test
	void withoutTargetsTranslatesForTheCloudsThatHaveBindings() throws Exception {
		translate(MediaType.APPLICATION_JSON_VALUE, Documents.MINIMAL_GCP_BOUND_JSON).andExpect(status().isOk())
			.andExpect(jsonPath("$.gcp.firewalls").isArray())
			.andExpect(jsonPath("$.aws").doesNotExist())
			.andExpect(jsonPath("$.azure").doesNotExist());
	}

	@Test
	void theSameRequestGivesByteIdenticalJson() throws Exception {
		byte[] first = translate("application/yaml", Documents.THREE_TIER_YAML).andReturn()
			.getResponse()
			.getContentAsByteArray();
		byte[] second = translate("application/yaml", Documents.THREE_TIER_YAML).andReturn()
			.getResponse()
			.getContentAsByteArray();
		assertThat(second).isEqualTo(first);
		String json = new String(first, StandardCharsets.UTF_8);
		assertThat(json.indexOf("\"aws\"")).isLessThan(json.indexOf("\"azure\""));
		assertThat(json.indexOf("\"azure\"")).isLessThan(json.indexOf("\"gcp\""));
		assertThat(json.indexOf("\"gcp\"")).isLessThan(json.indexOf("\"findings\""));
	}

	@Test
	void anInvalidDocumentIs422ListingEveryProblem() throws Exception {
		problem(translate(MediaType.APPLICATION_JSON_VALUE, Documents.INVALID_JSON), 422, "invalid-document")
			.andExpect(jsonPath("$.errors.length()").value(org.hamcrest.Matchers.greaterThanOrEqualTo(3)))
			.andExpect(jsonPath("$.errors[*].pointer", hasItem("/policy/spec/rules/0/peers/0/cidr")))
			.andExpect(jsonPath("$.errors[*].pointer", everyItem(org.hamcrest.Matchers.startsWith("/policy"))))
			.andExpect(jsonPath("$.errors[*].message", everyItem(not(org.hamcrest.Matchers.emptyString()))));
	}

	/**
	 * Found by fuzzing: a list or an object where a patterned string belongs was a 500.
	 */
	@Test
	void aContainerWhereAPatternedStringBelongsIs422() throws Exception {
		String body = Documents.MINIMAL_AWS_JSON.replace("{\"any\": true}", "{\"addressSet\": []}")
			.replace("\"targets\": [\"aws\"]",
					"\"bindings\": {\"aws\": {\"region\": \"eu-west-1\", \"vpcId\": {\"a\": 1}}}");
		problem(translate(MediaType.APPLICATION_JSON_VALUE, body), 422, "invalid-document")
			.andExpect(jsonPath("$.errors[*].pointer", hasItem("/policy/spec/rules/0/peers/0/addressSet")))
			.andExpect(jsonPath("$.errors[*].pointer", hasItem("/bindings/aws/vpcId")));
	}

	/**
	 * Found by fuzzing: the schema called a service account an e-mail address, but the
	 * pattern the service checks let control characters and non-ASCII letters through.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "we\\bb@p.iam.gserviceaccount.com", "w\\u00e9b@p.iam.gserviceaccount.com",
			"web@p.iam.gserviceaccount.com\\u0085" })
	void aServiceAccountThatIsNoAddressIs422(String account) throws Exception {
		String body = Documents.MINIMAL_AWS_JSON.replace("\"targets\": [\"aws\"]",
				"\"bindings\": {\"gcp\": {\"project\": \"shop-prod\", \"network\": \"prod\", \"groups\": {\"web\": {\"serviceAccount\": \""
						+ account + "\"}}}}");
		problem(translate(MediaType.APPLICATION_JSON_VALUE, body), 422, "invalid-document")
			.andExpect(jsonPath("$.errors[*].pointer", hasItem("/bindings/gcp/groups/web/serviceAccount")));
		translate(MediaType.APPLICATION_JSON_VALUE, body.replace(account, "web@p.iam.gserviceaccount.com"))
			.andExpect(status().isOk());
	}

	@Test
	void invalidYamlIs422Too() throws Exception {
		String yaml = Documents.THREE_TIER_YAML.replace("appliesTo: [app]", "appliesTo: [nowhere]");
		problem(translate("application/yaml", yaml), 422, "invalid-document")
			.andExpect(jsonPath("$.errors[*].pointer", hasItem(containsString("/policy/spec/rules/2/appliesTo"))));
	}

	@Test
	void aBodyThatIsNotJsonIs400() throws Exception {
		problem(translate(MediaType.APPLICATION_JSON_VALUE, Documents.SYNTAX_ERROR_JSON), 400, "malformed-document")
			.andExpect(jsonPath("$.errors[0].pointer").value(""));
	}

	@Test
	void aBodyThatIsNotYamlIs400() throws Exception {
		problem(translate("application/yaml", Documents.SYNTAX_ERROR_YAML), 400, "malformed-document");
	}

	/**
	 * The parser reads an empty body as an empty document, which is missing its policy.
	 */
	@Test
	void anEmptyBodyIs422() throws Exception {
		problem(translate(MediaType.APPLICATION_JSON_VALUE, ""), 422, "invalid-document")
			.andExpect(jsonPath("$.errors[0].pointer").value(""));
	}

	@Test
	void aBodyThatIsNotUtf8Is400() throws Exception {
		byte[] latin1 = "{\"policy\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
		problem(perform(post("/v1/translations").contentType(MediaType.APPLICATION_JSON).content(latin1)), 400,
				"malformed-document")
			.andExpect(jsonPath("$.errors[0].pointer").value(""));
	}

	@Test
	void anUnsupportedMediaTypeIs415() throws Exception {
		problem(translate(MediaType.TEXT_PLAIN_VALUE, Documents.MINIMAL_AWS_JSON), 415, "unsupported-media-type");
		problem(translate(MediaType.APPLICATION_XML_VALUE, "<policy/>"), 415, "unsupported-media-type");
	}

	@Test
	void aCharsetOtherThanUtf8Is415() throws Exception {
		problem(translate("application/json;charset=ISO-8859-1", Documents.MINIMAL_AWS_JSON), 415,
				"unsupported-media-type");
		problem(translate("application/json;charset=no-such-charset", Documents.MINIMAL_AWS_JSON), 415,
				"unsupported-media-type");
	}

	@Test
	void noContentTypeIs415() throws Exception {
		problem(perform(post("/v1/translations").content(Documents.MINIMAL_AWS_JSON)), 415, "unsupported-media-type");
	}

	@Test
	void anAnswerTypeTheServiceCannotGiveIs406() throws Exception {
		problem(perform(post("/v1/translations").contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_HTML)
			.content(Documents.MINIMAL_AWS_JSON)), 406, "not-acceptable");
	}

	@Test
	void anInvalidDocumentIsAProblemEvenWhenOnlyJsonIsAccepted() throws Exception {
		problem(perform(post("/v1/translations").contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.content(Documents.INVALID_JSON)), 422, "invalid-document");
	}

	@Test
	void aBodyOverTheLimitIs413() throws Exception {
		byte[] body = new byte[2 * 1024 * 1024 + 1];
		java.util.Arrays.fill(body, (byte) ' ');
		problem(perform(post("/v1/translations").contentType(MediaType.APPLICATION_JSON).content(body)), 413,
				"body-too-large");
	}

	@Test
	void aBodyOverTheLimitWithoutContentLengthIs413() throws Exception {
		byte[] body = new byte[2 * 1024 * 1024 + 1];
		java.util.Arrays.fill(body, (byte) ' ');
		problem(perform(post("/v1/translations").contentType(MediaType.APPLICATION_JSON).content(body).with(request -> {
			request.removeHeader("Content-Length");
			return request;
		})), 413, "body-too-large");
	}

	@Test
	void aBodyAtTheLimitIsRead() throws Exception {
		String padded = Documents.MINIMAL_AWS_JSON
				+ " ".repeat(2 * 1024 * 1024 - Documents.MINIMAL_AWS_JSON.getBytes(StandardCharsets.UTF_8).length);
		translate(MediaType.APPLICATION_JSON_VALUE, padded).andExpect(status().isOk());
	}

	@Test
	void anUnknownPathIs404() throws Exception {
		problem(perform(get("/v1/nothing-here")), 404, "not-found");
		problem(perform(post("/v1/no-such-thing").contentType(MediaType.APPLICATION_JSON).content("{}")), 404,
				"not-found");
	}

	@Test
	void aWrongMethodIs405WithAllow() throws Exception {
		problem(perform(delete("/v1/translations")), 405, "method-not-allowed")
			.andExpect(header().string("Allow", containsString("POST")));
		problem(perform(get("/v1/translations")), 405, "method-not-allowed");
	}

	/**
	 * Every request here comes from a caller with every right; SecurityTest covers the
	 * others.
	 */
	private ResultActions perform(MockHttpServletRequestBuilder request) throws Exception {
		return mvc.perform(request.with(TestCallers.apiToken()));
	}

	private ResultActions translate(String contentType, String body) throws Exception {
		return perform(post("/v1/translations").contentType(contentType).content(body));
	}

	/**
	 * An RFC 9457 answer with the given status and type, naming the request path and no
	 * Java class.
	 */
	private static ResultActions problem(ResultActions result, int status, String type) throws Exception {
		result.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.title").isString())
			.andExpect(jsonPath("$.detail").isString())
			.andExpect(jsonPath("$.instance").value(result.andReturn().getRequest().getRequestURI()))
			.andExpect(content().string(not(containsString("Exception"))))
			.andExpect(content().string(not(containsString("dev.polyfence"))));
		if (type != null) {
			result.andExpect(jsonPath("$.type").value(PROBLEMS + type));
		}
		return result;
	}

}

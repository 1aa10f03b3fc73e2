package dev.polyfence.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's error page for requests it refuses before any servlet runs (an undecodable URI
 * such as {@code /%zz}), written as a problem instead of Tomcat's HTML. Errors that reach
 * Spring never get here: the advice and the {@code /error} controller answer those.
 * <p>
 * Public with a public constructor because Tomcat creates it by class name.
 */
public class ContainerErrorReportValve extends ErrorReportValve {

	public ContainerErrorReportValve() {
		setShowReport(false);
		setShowServerInfo(false);
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		HttpStatusCode code = HttpStatusCode.valueOf(status);
		String type = ProblemType.forStatus(code).map(t -> t.type().toString()).orElse("about:blank");
		String title = ProblemType.forStatus(code)
			.map(ProblemType::title)
			.orElseGet(
					() -> HttpStatus.resolve(status) == null ? "Error" : HttpStatus.resolve(status).getReasonPhrase());
		String detail = code.is5xxServerError() ? Problems.INTERNAL_DETAIL : "The server refused the request.";
		// Fixed strings and a number only: nothing from the request is echoed back.
		String body = "{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
				+ detail + "\"}";
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response is already committed: nothing more to
			// say.
		}
	}

}

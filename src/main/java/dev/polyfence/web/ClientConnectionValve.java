package dev.polyfence.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Gives every request a {@link ClientConnection} that asks Tomcat whether the client went
 * away. After the body has been read, Tomcat's {@code AVAILABLE} action with a read
 * allowed tries one non-blocking read on the socket: the end of the stream (the client
 * closed) or an error counts as available, and so does the start of a pipelined next
 * request, which RFC 9112 (section 9.3.2) tells clients not to send after a POST. This is
 * Tomcat's behaviour, not the servlet API's; {@code BoundedWorkTest} holds it over a raw
 * socket.
 */
class ClientConnectionValve extends ValveBase {

	ClientConnectionValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		org.apache.coyote.Request coyote = request.getCoyoteRequest();
		request.setAttribute(ClientConnection.ATTRIBUTE, (ClientConnection) () -> {
			coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
			return coyote.getAvailable() > 0;
		});
		getNext().invoke(request, response);
	}

	/** Puts the valve in front of the application. */
	@Component
	static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			factory.addContextValves(new ClientConnectionValve());
		}

	}

}

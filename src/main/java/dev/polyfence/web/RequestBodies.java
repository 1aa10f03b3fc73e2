package dev.polyfence.web;

import dev.polyfence.app.RequestDocument;
import java.nio.charset.Charset;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body as text, refusing more than a limit. The body is read here rather
 * than bound by Spring so the document parser sees exactly what was sent.
 */
final class RequestBodies {

	private RequestBodies() {
	}

	/** The body as text, unparsed, with whether it is YAML; a plan keeps it as sent. */
	static RequestDocument document(MediaType contentType, HttpServletRequest request, WebLimits limits)
			throws IOException, HttpMediaTypeNotSupportedException {
		requireUtf8(contentType);
		String body = readUtf8(request, limits.maxBodySize().toBytes());
		return new RequestDocument(body, !MediaType.APPLICATION_JSON.isCompatibleWith(contentType));
	}

	/** JSON is UTF-8 (RFC 8259) and so are the YAML documents this service reads. */
	static void requireUtf8(MediaType contentType) throws HttpMediaTypeNotSupportedException {
		String charset = contentType.getParameter("charset");
		if (charset == null) {
			return;
		}
		boolean utf8;
		try {
			utf8 = Charset.forName(charset.replace("\"", "")).equals(StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			utf8 = false;
		}
		if (!utf8) {
			throw new HttpMediaTypeNotSupportedException(contentType, TranslationController.READABLE);
		}
	}

	/**
	 * The body decoded as UTF-8.
	 * @throws BodyTooLargeException when the body has more than {@code limit} bytes
	 * @throws MalformedBodyException when the bytes are not UTF-8
	 */
	static String readUtf8(HttpServletRequest request, long limit) throws IOException {
		if (request.getContentLengthLong() > limit) {
			throw new BodyTooLargeException(limit);
		}
		byte[] bytes = read(request.getInputStream(), limit);
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new MalformedBodyException("The request body is not valid UTF-8.");
		}
	}

	/**
	 * At most {@code limit} bytes; a chunked body gives no length up front, so it is
	 * counted.
	 */
	private static byte[] read(InputStream in, long limit) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		long total = 0;
		int n;
		while ((n = in.read(buffer)) != -1) {
			total += n;
			if (total > limit) {
				throw new BodyTooLargeException(limit);
			}
			out.write(buffer, 0, n);
		}
		return out.toByteArray();
	}

}

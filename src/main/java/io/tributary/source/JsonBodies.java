package io.tributary.source;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.tributary.hygiene.SecretText;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Tells whether an answer's body is one whole JSON value within the connection's limits,
 * in one streaming pass over its bytes that builds nothing: a body cut off mid-way, an
 * empty body, or trailing garbage is reported as malformed (and retried); a body past a
 * limit (too many tokens, too deep) is refused.
 */
final class JsonBodies {

	private static final int EXCERPT = 120;

	/** Charsets Jackson detects from the bytes themselves (RFC 8259 allows no other). */
	private static final Set<Charset> UNICODE = Set.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16,
			StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32"));

	private JsonBodies() {
	}

	/**
	 * @param call method and path, for the error
	 * @param factory the connection's parser factory (its limits)
	 * @param limits the connection's limits, to name them
	 * @param body the body as received
	 * @param charset the charset the answer declared
	 * @return what is wrong with it, or null when it is one well-formed JSON value within
	 * the limits
	 */
	static UpstreamException problem(String call, TokenStreamFactory factory, BodyLimits limits, byte[] body,
			Charset charset) {
		try (JsonParser parser = UNICODE.contains(charset) ? factory.createParser(ObjectReadContext.empty(), body)
				: factory.createParser(ObjectReadContext.empty(),
						new InputStreamReader(new ByteArrayInputStream(body), charset))) {
			if (parser.nextToken() == null) {
				return UpstreamException.malformed(call, "the body is empty");
			}
			parser.skipChildren();
			if (parser.nextToken() != null) {
				return UpstreamException.malformed(call, "more than one JSON value");
			}
			return null;
		}
		catch (StreamConstraintsException ex) {
			return limits.refused(call, ex);
		}
		catch (StreamReadException ex) {
			// the parser quotes what it found: that is the body, and stays out
			String message = (ex.getOriginalMessage() != null) ? SecretText.withoutQuotedValues(ex.getOriginalMessage())
					: ex.getClass().getSimpleName();
			return UpstreamException.malformed(call,
					(message.length() > EXCERPT) ? message.substring(0, EXCERPT) + "…" : message);
		}
	}

}

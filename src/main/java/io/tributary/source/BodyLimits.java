package io.tributary.source;

import io.tributary.common.JsonLimits;
import io.tributary.source.SourcesProperties.Connection;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * What one connection's upstream answers may cost: their size in bytes
 * ({@code max-body-size}), their JSON tokens ({@code max-body-tokens}), and how deep they
 * nest ({@link JsonLimits#UPSTREAM_DEPTH}). An answer past a limit is refused before it
 * is held whole or built into a tree, with an error naming the limit and the property
 * that sets it; it is not retried (it would be as large again).
 *
 * @param connection the connection's name
 * @param maxBytes the largest body read
 * @param maxTokens the most JSON tokens a body may hold
 */
record BodyLimits(String connection, int maxBytes, long maxTokens) {

	static BodyLimits of(String name, Connection connection) {
		return new BodyLimits(name, (int) connection.maxBodySize().toBytes(), connection.maxBodyTokens());
	}

	/**
	 * @return the parser's constraints: document length and string length (the body cap),
	 * token count and nesting depth
	 */
	StreamReadConstraints constraints() {
		return StreamReadConstraints.builder()
			.maxDocumentLength(this.maxBytes)
			.maxStringLength(this.maxBytes)
			.maxTokenCount(this.maxTokens)
			.maxNestingDepth(JsonLimits.UPSTREAM_DEPTH)
			.build();
	}

	/**
	 * @param call method and path
	 * @param declared the size the answer declared ({@code Content-Length}); negative
	 * when it declared none and was found larger while read
	 * @return the refusal
	 */
	UpstreamException tooLarge(String call, long declared) {
		return UpstreamException.refused(call,
				"a body " + ((declared >= 0) ? "of " + declared + " bytes" : "of more than " + this.maxBytes + " bytes")
						+ ", over the connection's limit of " + this.maxBytes + " bytes (" + property("max-body-size")
						+ ")");
	}

	/**
	 * @param call method and path
	 * @param ex the parser's refusal
	 * @return the refusal, naming the limit that was reached
	 */
	UpstreamException refused(String call, StreamConstraintsException ex) {
		String message = String.valueOf(ex.getOriginalMessage());
		String limit;
		if (message.contains("getMaxTokenCount")) {
			limit = "more than " + this.maxTokens + " JSON tokens, the connection's limit ("
					+ property("max-body-tokens") + ")";
		}
		else if (message.contains("getMaxNestingDepth")) {
			limit = "JSON nested deeper than " + JsonLimits.UPSTREAM_DEPTH + " levels, the gateway's limit";
		}
		else if (message.contains("getMaxDocumentLength") || message.contains("getMaxStringLength")) {
			limit = "more than " + this.maxBytes + " bytes of JSON, the connection's limit ("
					+ property("max-body-size") + ")";
		}
		else {
			limit = "JSON past the gateway's limits ("
					+ message.substring(0, Math.min(message.length(), 120)).replaceAll("[\"'].*", "") + ")";
		}
		return UpstreamException.refused(call, "a body of " + limit);
	}

	private String property(String name) {
		return "tributary.sources." + this.connection + "." + name;
	}

}

package io.tributary.source;

import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads upstream JSON into a connector's DTOs: any answer that does not fit the vendor's
 * shape fails the run as an undecodable answer naming the call.
 */
public final class UpstreamJson {

	private UpstreamJson() {
	}

	/**
	 * @param <T> the DTO
	 * @param <R> what the connector makes of it
	 * @param json the mapper
	 * @param call method and path, for the error
	 * @param node the JSON
	 * @param type the DTO's class
	 * @param then checks and maps the DTO; throws {@link IllegalArgumentException} for a
	 * value that cannot be used
	 * @return the mapped value
	 * @throws UpstreamException when the JSON does not decode or {@code then} refuses it
	 */
	public static <T, R> R read(JsonMapper json, String call, JsonNode node, Class<T> type, Function<T, R> then) {
		try {
			return then.apply(json.treeToValue(node, type));
		}
		catch (UpstreamException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw UpstreamException.undecodable(call, ex);
		}
	}

	/**
	 * Refuses an interaction without its identity or creation time.
	 * @param present whether both are present
	 */
	public static void requireIdentity(boolean present) {
		if (!present) {
			throw new IllegalArgumentException("an interaction without id or creation time");
		}
	}

}

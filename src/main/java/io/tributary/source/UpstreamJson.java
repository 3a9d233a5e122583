package io.tributary.source;

import java.util.function.Function;

import io.tributary.common.JsonLimits;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads upstream JSON into a connector's DTOs: any answer that does not fit the vendor's
 * shape fails the run as an undecodable answer naming the call.
 */
public final class UpstreamJson {

	/**
	 * Writes a structured value as text: {@code JsonNode.toString()} stops at 500 levels.
	 */
	private static final JsonMapper TEXT = JsonMapper.builder(JsonLimits.factory()).build();

	private UpstreamJson() {
	}

	/**
	 * @param node a structured value (a message's content that is not text)
	 * @return it as compact JSON text, however deep the gateway reads
	 */
	public static String text(JsonNode node) {
		return TEXT.writeValueAsString(node);
	}

	/**
	 * The mapper that builds the trees of one connection's answers: the application's
	 * deserialization settings (numbers read exactly), with the connection's parser
	 * constraints (see {@link BodyLimits}).
	 * @param application the application's mapper
	 * @param constraints the connection's constraints
	 * @return the mapper
	 */
	static JsonMapper mapper(JsonMapper application, StreamReadConstraints constraints) {
		JsonMapper.Builder builder = JsonMapper.builder(JsonLimits.factory(constraints));
		for (DeserializationFeature feature : DeserializationFeature.values()) {
			builder.configure(feature, application.isEnabled(feature));
		}
		return builder.build();
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
	 * Refuses a page with more items than were asked for, as it refuses a page answered
	 * twice: an upstream that ignores its page size could make a run hold any number of
	 * items at once, and the paging that counts on the size would skip or repeat.
	 * @param call method and path, for the error
	 * @param received the items the page holds
	 * @param asked the page size sent
	 * @throws UpstreamException when the page holds more
	 */
	public static void requirePageSize(String call, int received, int asked) {
		if (received > asked) {
			throw UpstreamException.refused(call,
					"a page of " + received + " items, more than the " + asked + " it was asked for");
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

package io.tributary.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One running gateway, called over real HTTP with a given key, as the key tests do.
 */
final class Gateway {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int port;

	Gateway(int port) {
		this.port = port;
	}

	Answer get(String key, String path) {
		return send(key, "GET", path);
	}

	Answer post(String key, String path) {
		return send(key, "POST", path);
	}

	Answer send(String key, String method, String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (key != null) {
			request.header("X-API-Key", key);
		}
		try {
			HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(), response.headers());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Makes a key with the caller's key.
	 * @param caller the key asking
	 * @param query the query string of the creation, such as {@code name=x&scope=read}
	 * @return the new key's secret
	 */
	String create(String caller, String query) {
		Answer created = post(caller, "/api/v1/api-keys?" + query);
		if (created.status() != 201) {
			throw new AssertionError("Could not create a key (" + query + "): " + created);
		}
		return created.json().get("secret").asString();
	}

	static String encoded(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * An answer.
	 *
	 * @param status its status
	 * @param body its body
	 * @param headers its headers
	 */
	record Answer(int status, String body, java.net.http.HttpHeaders headers) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		@Override
		public String toString() {
			return this.status + " " + this.body;
		}

	}

}

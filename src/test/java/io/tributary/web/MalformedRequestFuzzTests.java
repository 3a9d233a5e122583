package io.tributary.web;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import io.tributary.HttpEdgeTest;
import io.tributary.common.SignedCursors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends thousands of generated bad requests, as raw bytes over real connections, to every
 * endpoint: unknown, repeated, empty and nameless parameters; values that are empty,
 * huge, out of range, overflowing, control characters, broken or double percent-escapes,
 * invalid UTF-8, reserved or non-ASCII characters sent unescaped, garbage cursors (some
 * signed with the test secret); mangled paths; wrong, odd and lower-case methods;
 * unparsable {@code Accept} and {@code Content-Type} headers and bodies; missing,
 * malformed and oversized key headers; headers with non-ASCII or control characters.
 * <p>
 * No answer may be a 5xx; every 4xx must be an {@code application/problem+json} document
 * of its status that shows no exception; and the service must be healthy afterwards. The
 * generator is seeded: a failure names the seed, and {@code -Dfuzz.seed=<seed>} replays
 * exactly the same requests ({@code -Dfuzz.per-endpoint=<n>} sends more than the 500 per
 * endpoint of the build).
 */
@HttpEdgeTest
class MalformedRequestFuzzTests {

	/** Requests per endpoint; {@code -Dfuzz.per-endpoint=N} for a longer run. */
	private static final int PER_ENDPOINT = Integer.getInteger("fuzz.per-endpoint", 500);

	private static final String INTERACTION_PARAMETERS = "source connection participantId externalParticipantId "
			+ "organizationId threadId productId model status createdFrom createdTo updatedSince minRating maxRating "
			+ "hasFeedback q sort limit cursor includeTotal includeDeleted";

	private static final List<Endpoint> ENDPOINTS = List.of(
			new Endpoint("GET", "/api/v1/interactions", INTERACTION_PARAMETERS),
			new Endpoint("GET", "/api/v1/interactions/stats", INTERACTION_PARAMETERS + " groupBy interval tz"),
			new Endpoint("GET", "/api/v1/interactions/export", INTERACTION_PARAMETERS + " format"),
			new Endpoint("GET", "/api/v1/threads", "source connection participant createdFrom createdTo limit cursor"),
			new Endpoint("POST", "/api/v1/admin/renormalize", "connection"),
			new Endpoint("GET", "/api/v1/threads/{connection}/{thread}", "limit cursor"),
			new Endpoint("GET", "/api/v1/participants",
					"source connection participant createdFrom createdTo limit cursor"),
			new Endpoint("GET", "/api/v1/participants/{participant}/interactions", "source sort limit cursor"),
			new Endpoint("GET", "/api/v1/interactions/{id}", "include"), new Endpoint("GET", "/api/v1/sources", ""),
			new Endpoint("GET", "/api/v1/sources/{connection}", ""),
			new Endpoint("POST", "/api/v1/sources/{connection}/sync", "mode"),
			new Endpoint("GET", "/api/v1/sources/{connection}/rejects", "limit cursor"),
			new Endpoint("GET", "/api/v1/sync-runs", "connection limit cursor"),
			new Endpoint("GET", "/api/v1/sync-runs/{run}", ""), new Endpoint("GET", "/actuator/health{group}", ""));

	private static final List<String> VALID = List.of("zylon", "greenflash", "flockx", "completed", "in_progress",
			"error", "-createdAt", "updatedAt", "2026-11-01", "2026-11-01T09:30:00Z", "2026-11-01T10:30:00%2B01:00",
			"0.5", "1", "0", "50", "200", "true", "false", "raw", "full", "incremental", HttpEdgeTest.CONNECTION,
			"source,model", "participant", "thread", "hour", "day", "week", "month", "Europe/Berlin", "UTC",
			"America/New_York", "estimated", "exact", "csv", "ndjson", "refund", "%22exact+phrase%22+-excluded",
			"gpt-4o");

	private static final List<String> NUMBERS = List.of("99999999999999999999", "9223372036854775808",
			"-9223372036854775809", "2147483648", "-2147483649", "-1", "1e400", "-1e400", "1e-400", "NaN", "Infinity",
			"-Infinity", "0x1F", "1_000", "1.5", "%D9%A1%D9%A2", "%EF%BC%91", "+5", "05", "1,5", "1e2");

	private static final List<String> DATES = List.of("%2B300000-01-01T00:00:00Z", "-0001-01-01", "10000-01-01",
			"0000-01-01", "%2B10000-01-01T00:00:00Z", "9999-12-31T23:59:60Z", "2026-02-30", "2026-11-01T25:00:00Z",
			"%2B999999999-12-31T23:59:59.999999999Z", "-999999999-01-01T00:00:00Z", "2026-11-01T09:30:00",
			"2026-11-01T09:30:00%2B25:00", "yesterday", "1700000000", "0001-01-01T00:00:00%2B14:00");

	private static final List<String> CONTROLS = List.of("%00", "%01", "%1F", "%7F", "%C2%85", "a%00b", "%0D%0A", "%09",
			"%C2%9F", "x%0Ay");

	private static final List<String> BROKEN_ESCAPES = List.of("%", "%z", "%zz", "%G1", "%%", "%E9", "%C3", "%C3%28",
			"%ED%A0%80", "%F4%90%80%80", "%FF%FE", "%2525", "%252F", "a%2", "%u0041", "%C0%AF");

	private static final List<String> RAW_CHARACTERS = List.of(";", ",", "/", "?", ":", "@", "=", "+", "$", "!", "*",
			"'", "(", ")", "[", "]", "{", "}", "|", "^", "`", "\"", "<", ">", "\\", " ", "#", "\u00e9", "\u00ff",
			"\u0085", "\t");

	private static final List<String> PATH_MANGLES = List.of("//", "/./", "/../", ";x=1", "%2F", "%5C", "%25", "/",
			"%2e%2e/", "%00", "%zz", "\\", "/%20", "%C3%A9", "/..;/", "/.", "%3B");

	private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
			"TRACE", "FOO", "get", "PROPFIND", "M-SEARCH", "CONNECT");

	private static final List<String> ACCEPTS = List.of("application/json", "*/*", "application/xml", "text/html",
			"foo", "*/*;q=x", "application/problem+json", "", "application/json;charset=utf-16",
			"text/*;q=0.1, application/*", "image/png, */*;q=0", "application/json;q=2", "a/b/c", ";;;");

	private static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-www-form-urlencoded",
			"multipart/form-data; boundary=x", "multipart/form-data", "text/plain", ";;;", "application/xml",
			"application/x-www-form-urlencoded; charset=nonsense", "x");

	private static final List<String> BODIES = List.of("", "mode=full", "mode=%zz", "a=%zz", "=x", "{\"x\":1}",
			"--x\r\nbroken", "--x\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nfull\r\n--x--\r\n",
			"\u0000\u0001\u0002", "mode=full&mode=&x");

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private JsonMapper json;

	@Autowired
	private SignedCursors cursors;

	@Test
	void noGeneratedRequestIsAnsweredWithA5xxOrAnErrorThatIsNoProblemDocument() {
		long seed = Long.getLong("fuzz.seed", System.nanoTime());
		System.out.println("MalformedRequestFuzzTests seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
		Random random = new Random(seed);
		RawHttp http = new RawHttp(this.port);
		List<String> failures = new ArrayList<>();
		Map<Integer, Integer> statuses = new TreeMap<>();
		long started = System.nanoTime();
		for (int i = 0; i < PER_ENDPOINT * ENDPOINTS.size(); i++) {
			Request request = generate(random, ENDPOINTS.get(i % ENDPOINTS.size()));
			try {
				RawHttp.Response response = http.send(request.method(), request.target(), request.headers(),
						request.body());
				statuses.merge(response.status(), 1, Integer::sum);
				String failure = check(request, response);
				if (failure != null) {
					failures.add("#" + i + " " + request + "\n    -> " + failure);
				}
			}
			catch (UncheckedIOException | IllegalStateException ex) {
				failures.add("#" + i + " " + request + "\n    -> no HTTP answer: " + ex.getMessage());
			}
		}
		System.out.printf("MalformedRequestFuzzTests: %d requests in %d ms, statuses %s%n",
				PER_ENDPOINT * ENDPOINTS.size(), (System.nanoTime() - started) / 1_000_000, statuses);
		assertThat(failures)
			.as("seed %d (replay with -Dfuzz.seed=%d): %d of %d requests were answered wrongly, first ones:%n%s", seed,
					seed, failures.size(), PER_ENDPOINT * ENDPOINTS.size(),
					String.join("\n", failures.subList(0, Math.min(20, failures.size()))))
			.isEmpty();

		RawHttp.Response list = http.send("GET", "/api/v1/interactions?limit=1",
				List.of("X-API-Key: " + HttpEdgeTest.KEY));
		assertThat(list.status()).as("seed %d: a normal list request afterwards: %s", seed, list).isEqualTo(200);
		assertThat(this.json.readTree(list.body()).has("items")).isTrue();
		RawHttp.Response health = http.send("GET", "/actuator/health", List.of());
		assertThat(health.status()).as("seed %d: health afterwards: %s", seed, health).isEqualTo(200);
		assertThat(this.json.readTree(health.body()).get("status").asString()).isEqualTo("UP");
	}

	/**
	 * @return what is wrong with the answer, or null
	 */
	private String check(Request request, RawHttp.Response response) {
		if (response.status() >= 500) {
			return "a " + response.status() + ": " + abbreviate(response.toString());
		}
		if (response.status() < 400 || request.method().equals("HEAD")) {
			return null;
		}
		String contentType = response.contentType();
		if (contentType == null || !contentType.startsWith("application/problem+json")) {
			return "a " + response.status() + " that is no problem document: " + abbreviate(response.toString());
		}
		for (String leak : List.of("Exception", "java.", "at io.", "\tat ")) {
			if (response.body().contains(leak)) {
				return "a problem showing '" + leak + "': " + abbreviate(response.body());
			}
		}
		try {
			JsonNode problem = this.json.readTree(response.body());
			if (problem.get("status") == null || problem.get("status").asInt() != response.status()
					|| problem.get("title") == null || problem.get("detail") == null) {
				return "a problem without its status, title or detail: " + abbreviate(response.body());
			}
		}
		catch (RuntimeException ex) {
			return "a problem that is not JSON: " + abbreviate(response.body());
		}
		return null;
	}

	private Request generate(Random random, Endpoint endpoint) {
		String method = (random.nextInt(100) < 80) ? endpoint.method() : pick(random, METHODS);
		String path = endpoint.path()
			.replace("{id}", pathValue(random, UUID.randomUUID().toString()))
			.replace("{connection}", pathValue(random, HttpEdgeTest.CONNECTION))
			.replace("{run}", pathValue(random, Integer.toString(random.nextInt(1000))))
			.replace("{thread}", pathValue(random, "thread-" + random.nextInt(10)))
			.replace("{participant}", pathValue(random, "user-" + random.nextInt(10)))
			.replace("{group}", (random.nextInt(3) == 0) ? "/" + pathValue(random, "liveness") : "");
		if (random.nextInt(100) < 15) {
			int at = random.nextInt(path.length() + 1);
			path = path.substring(0, at) + pick(random, PATH_MANGLES) + path.substring(at);
		}
		String target = path + query(random, endpoint.parameterList());
		List<String> headers = new ArrayList<>();
		headers.addAll(keyHeaders(random));
		if (random.nextInt(100) < 30) {
			headers.add("Accept: " + pick(random, ACCEPTS));
		}
		String body = null;
		if (random.nextInt(100) < ((method.equals("POST") || method.equals("PUT")) ? 50 : 10)) {
			headers.add("Content-Type: " + pick(random, CONTENT_TYPES));
			body = (random.nextInt(5) == 0) ? randomText(random, 1 + random.nextInt(300)) : pick(random, BODIES);
		}
		if (random.nextInt(100) < 10) {
			headers.add(junkHeader(random));
		}
		return new Request(method, target, headers, body);
	}

	/** A path variable: its valid form, or a bad value. */
	private String pathValue(Random random, String valid) {
		return (random.nextInt(100) < 30) ? valid : badValue(random);
	}

	private String query(Random random, List<String> declared) {
		int count = random.nextInt(6);
		if (count == 0) {
			return (random.nextInt(10) == 0) ? pick(random, List.of("?", "?&", "?=", "?&&=&", "#x", "? ")) : "";
		}
		StringBuilder query = new StringBuilder("?");
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				query.append((random.nextInt(30) == 0) ? "&&" : "&");
			}
			String name = switch (random.nextInt(10)) {
				case 0 -> badValue(random);
				case 1 -> "";
				case 2 -> pick(random, List.of(INTERACTION_PARAMETERS.split(" ")));
				default -> declared.isEmpty() ? randomText(random, 1 + random.nextInt(12)) : pick(random, declared);
			};
			query.append(name);
			if (random.nextInt(20) != 0) {
				query.append('=').append((random.nextInt(100) < 25) ? pick(random, VALID) : badValue(random));
			}
		}
		return query.toString();
	}

	/** A value as it goes on the wire: escaped, broken, raw or huge. */
	private String badValue(Random random) {
		return switch (random.nextInt(12)) {
			case 0 -> "";
			case 1 -> pick(random, NUMBERS);
			case 2 -> pick(random, DATES);
			case 3 -> pick(random, CONTROLS);
			case 4 -> pick(random, BROKEN_ESCAPES);
			case 5 -> pick(random, VALID) + pick(random, RAW_CHARACTERS) + pick(random, VALID);
			case 6 -> URLEncoder.encode(randomText(random, 1 + random.nextInt(200)), StandardCharsets.UTF_8);
			case 7 -> randomText(random, 1 + random.nextInt(40));
			case 8 -> cursor(random);
			case 9 -> "a".repeat(100 + random.nextInt((random.nextInt(10) == 0) ? 12_000 : 2_000));
			case 10 -> pick(random, VALID) + pick(random, CONTROLS);
			default -> pick(random, VALID) + pick(random, BROKEN_ESCAPES);
		};
	}

	/** Unsigned, garbled, huge, or signed with the test secret but holding garbage. */
	private String cursor(Random random) {
		Function<String, String> escape = (text) -> URLEncoder.encode(text, StandardCharsets.UTF_8);
		return switch (random.nextInt(5)) {
			case 0 -> escape.apply(this.cursors.encode(
					pick(random, List.of("interactions.v1", "sync-runs.v1", "rejects.v1", "")),
					pick(random, List.of("-createdAt", "1", "x")), randomText(random, 8),
					pick(random,
							List.of("+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "2026-11-01T00:00:00Z", "x")),
					pick(random, List.of(UUID.randomUUID().toString(), "not-a-uuid", "", "1-1-1-1-1"))));
			case 1 -> escape
				.apply(this.cursors.encode(pick(random, List.of("sync-runs.v1", "rejects.v1")), pick(random, NUMBERS)));
			case 2 -> randomBase64(random, random.nextInt(60)) + "." + randomBase64(random, random.nextInt(30));
			case 3 -> randomBase64(random, 1000 + random.nextInt(5000));
			default -> pick(random, List.of(".", "..", "a.b.c", "!!!.!!!", "%2B%2F%3D.%3D%3D", "%F0%9F%98%80.x"));
		};
	}

	private List<String> keyHeaders(Random random) {
		int roll = random.nextInt(100);
		if (roll < 80) {
			return List.of("X-API-Key: " + HttpEdgeTest.KEY);
		}
		if (roll < 88) {
			return List
				.of(pick(random, List.of("Authorization: Bearer ", "Authorization: bearer ", "Authorization: BEARER  "))
						+ HttpEdgeTest.KEY);
		}
		return switch (random.nextInt(11)) {
			case 0 -> List.of();
			case 1 -> List.of("X-API-Key: ");
			case 2 -> List.of("X-API-Key: wrong-key-0000000000000");
			case 3 -> List.of("Authorization: Bearer");
			case 4 -> List.of("Authorization: Basic ZWRnZTprZXk=");
			case 5 -> List.of("X-API-Key: " + HttpEdgeTest.KEY + "\u0085");
			case 6 -> List.of("X-API-Key: caf\u00e9-" + HttpEdgeTest.KEY);
			case 7 -> List.of("X-API-Key: " + "k".repeat(random.nextInt(12_000)));
			case 8 -> List.of("X-API-Key: " + HttpEdgeTest.KEY, "X-API-Key: other");
			case 9 -> List.of("X-API-Key: " + HttpEdgeTest.KEY + "\u0001");
			default -> List.of("Authorization: Bearer " + randomText(random, 1 + random.nextInt(50)));
		};
	}

	private String junkHeader(Random random) {
		// not Content-Length, Transfer-Encoding or Expect: a body announced and never
		// sent
		// only makes the server wait for it
		String name = pick(random, List.of("X-Junk", "X-Forwarded-For", "If-None-Match", "Range", "Cookie", "Host",
				"X J", "X-J\u00e9", "Origin", "Accept-Charset", "Accept-Language"));
		String value = switch (random.nextInt(4)) {
			case 0 -> randomText(random, 1 + random.nextInt(100));
			case 1 -> "a" + pick(random, List.of("\u0085", "\u0001", "\u00ff", "\u007f", "\u0000")) + "b";
			case 2 -> "x".repeat(random.nextInt(10_000));
			default -> pick(random, List.of("evil.example", "bytes=0-1", "*", "100-continue", "chunked", "-1",
					"https://evil.example", "abc"));
		};
		return name + ": " + value;
	}

	/** Text of printable ASCII, some Latin-1 and some wider characters, sent as it is. */
	private static String randomText(Random random, int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			int kind = random.nextInt(20);
			text.append((kind == 0) ? (char) (0x80 + random.nextInt(0x80))
					: (kind == 1) ? (char) (0x100 + random.nextInt(0x2000)) : (char) (0x21 + random.nextInt(0x5E)));
		}
		return text.toString();
	}

	private static String randomBase64(Random random, int length) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	private static <T> T pick(Random random, List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

	private static String abbreviate(String text) {
		String line = text.replaceAll("\\s+", " ");
		return (line.length() > 300) ? line.substring(0, 300) + "…" : line;
	}

	private record Endpoint(String method, String path, String parameters) {

		List<String> parameterList() {
			return this.parameters.isEmpty() ? List.of() : List.of(this.parameters.split(" "));
		}

	}

	private record Request(String method, String target, List<String> headers, String body) {

		@Override
		public String toString() {
			String shown = this.method + " " + this.target + " " + this.headers
					+ ((this.body != null) ? " body=" + this.body : "");
			return abbreviate(shown.replaceAll("\\p{Cntrl}", "?"));
		}

	}

}

package io.tributary.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.tributary.HttpEdgeTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console over real HTTP outside the demo: its files need no key and carry a strict
 * Content-Security-Policy, its configuration names no key, and the API stays closed
 * exactly as before. The files themselves hold no inline script, style or handler, so the
 * policy can be that strict.
 */
@HttpEdgeTest
class ConsoleEdgeTests {

	private static final List<String> FILES = List.of("/", "/index.html", "/console/app.js", "/console/app.css",
			"/console/favicon.svg", "/console/config.json");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void theConsoleNeedsNoKeyAndIsServedUnderAStrictPolicy() throws Exception {
		for (String path : FILES) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
				.hasValue("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
						+ "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
			assertThat(response.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
			assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
			assertThat(response.headers().firstValue("Set-Cookie")).as(path).isEmpty();
		}
		assertThat(get("/").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(get("/").body()).contains("<script src=\"console/app.js\" defer></script>");
		assertThat(get("/console/app.js").headers().firstValue("Content-Type").orElseThrow())
			.startsWith("text/javascript");
	}

	@Test
	void outsideTheDemoTheConsoleIsToldOfNoKey() throws Exception {
		HttpResponse<String> config = get("/console/config.json");
		assertThat(config.body()).isEqualTo("{\"keyRequired\":true,\"demoKey\":null,\"demoKeyScopes\":[]}");
		assertThat(config.headers().firstValue("Cache-Control")).hasValue("no-store");
	}

	@Test
	void theApiStaysClosedBesideIt() throws Exception {
		for (String path : List.of("/api/v1/interactions", "/api/v1/sources", "/index.htm", "/favicon.ico",
				"/anything-else")) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(401);
			assertThat(response.headers().firstValue("Content-Type").orElseThrow()).as(path)
				.startsWith("application/problem+json");
			assertThat(response.headers().firstValue("Content-Security-Policy")).as(path).isEmpty();
		}
		assertThat(get("/console/../api/v1/sources").statusCode()).isIn(400, 401);
		assertThat(get("/console/no-such-file.js").statusCode()).isEqualTo(404);
	}

	@Test
	void thePageHoldsNoInlineScriptStyleOrHandler() throws IOException {
		String page = new ClassPathResource("static/index.html").getContentAsString(StandardCharsets.UTF_8);
		assertThat(page.replaceAll("<script src=\"[^\"]+\" defer></script>", "")).doesNotContain("<script");
		assertThat(page).doesNotContain("<style")
			.doesNotContainPattern("\\sstyle=")
			.doesNotContainPattern("\\son[a-z]+=");
		String script = new ClassPathResource("static/console/app.js").getContentAsString(StandardCharsets.UTF_8);
		assertThat(script).doesNotContain("innerHTML", "outerHTML =", "insertAdjacentHTML", "eval(", "new Function",
				"setAttribute('style'", "localStorage", "document.cookie");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}

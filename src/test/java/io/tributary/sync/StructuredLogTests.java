package io.tributary.sync;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.source.SyncMode;
import io.tributary.IntegrationTest;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.test.web.servlet.MockMvc;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON log lines, as one property ({@code logging.structured.format.console=ecs})
 * switches the console to: requests and sync runs carry their trace id (and a run its
 * connection and run id), and secrets are redacted in them as in plain lines.
 */
@IntegrationTest
class StructuredLogTests {

	/**
	 * What {@code logging.structured.format.console=ecs} installs on the console: Spring
	 * Boot's encoder, with this application's configuration (the redacting customizer).
	 * It writes here for the test's length, whichever test context set up the console.
	 */
	private final ByteArrayOutputStream written = new ByteArrayOutputStream();

	private OutputStreamAppender<ILoggingEvent> appender;

	@BeforeEach
	void jsonLines() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		StructuredLogEncoder encoder = new StructuredLogEncoder();
		encoder.setContext(context);
		encoder.setFormat("ecs");
		encoder.setCharset(StandardCharsets.UTF_8);
		encoder.start();
		this.appender = new OutputStreamAppender<>();
		this.appender.setContext(context);
		this.appender.setEncoder(encoder);
		this.appender.setOutputStream(this.written);
		this.appender.start();
		context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(this.appender);
		for (String servlet : SERVLETS) {
			context.getLogger(servlet).setLevel(Level.DEBUG);
		}
	}

	@AfterEach
	void plainAgain() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this.appender);
		this.appender.stop();
		for (String servlet : SERVLETS) {
			context.getLogger(servlet).setLevel(null);
		}
	}

	/** They log each request at DEBUG (MockMvc's is the test one). */
	private static final List<String> SERVLETS = List.of("org.springframework.web.servlet.DispatcherServlet",
			"org.springframework.test.web.servlet.TestDispatcherServlet");

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Test
	void aRequestsLinesAreJsonWithItsTraceId() throws Exception {
		this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
			.get("/api/v1/interactions?limit=1"));

		List<JsonNode> request = lines()
			.filter((line) -> line.path("message").asString().contains("/api/v1/interactions"))
			.toList();
		assertThat(request).isNotEmpty();
		assertThat(request)
			.allSatisfy((line) -> assertThat(line.path("traceId").asString()).matches("[0-9a-f]{16,32}"));
		assertThat(request.stream().map((line) -> line.path("traceId").asString()).distinct()).hasSize(1);
	}

	@Test
	void anIncomingW3cTraceparentIsTheRequestsTraceId() throws Exception {
		this.mvc.perform(
				org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/v1/interactions?limit=2")
					.header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

		assertThat(lines().filter((line) -> line.path("message").asString().contains("/api/v1/interactions?limit=2")))
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(line.path("traceId").asString())
				.isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
	}

	@Test
	void aSyncRunsLinesCarryItsTraceConnectionAndRun() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions"))
			.willReturn(okJson("{\"items\":[],\"meta\":{\"has_next\":false}}")));

		long id = this.syncs.at(upstream, "flockx", "logs-test-key-0001").run("logs-1", SyncMode.FULL).id();

		JsonNode summary = lines()
			.filter((line) -> line.path("message")
				.asString()
				.startsWith("Sync run " + id + " of connection 'logs-1' (full) succeeded"))
			.findFirst()
			.orElseThrow();
		assertThat(summary.path("traceId").asString()).matches("[0-9a-f]{16,32}");
		assertThat(summary.path("connection").asString()).isEqualTo("logs-1");
		assertThat(summary.path("syncRun").asString()).isEqualTo(Long.toString(id));
		assertThat(summary.path("log").path("level").asString()).isEqualTo("INFO");
	}

	@Test
	void secretsAreRedactedInJsonLinesToo() {
		LoggerFactory.getLogger(StructuredLogTests.class)
			.warn("calling with test-key-read-and-operate and Authorization: Bearer sk-live-abcdef0123456789");

		JsonNode line = lines().filter((node) -> node.path("message").asString().startsWith("calling with"))
			.findFirst()
			.orElseThrow();
		assertThat(line.toString()).doesNotContain("test-key-read-and-operate")
			.doesNotContain("sk-live-abcdef0123456789");
	}

	@Test
	void secretsAreRedactedInTheStackTraceOfJsonLines() {
		LoggerFactory.getLogger(StructuredLogTests.class)
			.warn("a failure", new IllegalStateException("the upstream echoed test-key-read-and-operate"));

		JsonNode line = lines().filter((node) -> node.path("message").asString().equals("a failure"))
			.findFirst()
			.orElseThrow();
		assertThat(line.toString()).contains("IllegalStateException").doesNotContain("test-key-read-and-operate");
	}

	private Stream<JsonNode> lines() {
		return this.written.toString(StandardCharsets.UTF_8).lines().map(this.json::readTree);
	}

}

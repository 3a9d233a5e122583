package io.tributary.interaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tributary.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * {@code GET /api/v1/interactions/export} on real PostgreSQL: every match, in order, as
 * NDJSON or RFC 4180 CSV.
 */
@IntegrationTest
class InteractionExportTests {

	private static final String TRICKY = "a, \"quoted\" word\r\nand a second line\nand a third, too";

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@BeforeEach
	void interactions() {
		Interactions.deleteAll(this.jdbc);
		List<NormalizedInteraction> rows = new ArrayList<>();
		for (int i = 0; i < 1200; i++) {
			Instant at = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i);
			rows.add(NormalizedInteraction.builder((i % 2 == 0) ? "zylon" : "flockx", "export", "row-" + i)
				.timestamps(at, at)
				.text((i == 7) ? TRICKY : (i == 9) ? "=HYPERLINK(\"http://evil.example\",\"click\")" : "question " + i,
						(i == 9) ? "@SUM(1+1)" : (i == 11) ? "-2+3" : "answer " + i)
				.messages(List.of())
				.feedback((i == 7) ? "\"" : null)
				.raw(JsonNodeFactory.instance.objectNode().put("id", i))
				.build());
		}
		this.writer.write(rows, List.of());
	}

	@Test
	void ndjsonHasEveryMatchOnItsOwnLineInTheListsOrder() throws Exception {
		MockHttpServletResponse response = export("/api/v1/interactions/export?source=zylon&sort=createdAt");

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).isEqualTo("application/x-ndjson;charset=UTF-8");
		assertThat(response.getHeader("Content-Disposition")).isEqualTo("attachment; filename=\"interactions.ndjson\"");
		assertThat(response.getHeader("Content-Length")).isNull();
		List<String> lines = response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
		assertThat(lines).hasSize(600);
		JsonNode first = this.json.readTree(lines.get(0));
		assertThat(first.get("sourceId").asString()).isEqualTo("row-0");
		assertThat(this.json.readTree(lines.get(599)).get("sourceId").asString()).isEqualTo("row-1198");
		assertThat(first.has("messages")).as("a list item, not a detail").isFalse();
	}

	@Test
	void csvQuotesCommasQuotesAndLineBreaksPerRfc4180() throws Exception {
		MockHttpServletResponse response = export("/api/v1/interactions/export?format=csv&sort=createdAt");

		assertThat(response.getContentType()).isEqualTo("text/csv;charset=UTF-8");
		assertThat(response.getHeader("Content-Disposition")).isEqualTo("attachment; filename=\"interactions.csv\"");
		String body = response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		List<List<String>> records = parse(body);
		assertThat(records).hasSize(1201);
		List<String> header = records.get(0);
		assertThat(header).startsWith("id", "source", "connection", "sourceId");
		List<String> tricky = records.get(8);
		assertThat(tricky.get(header.indexOf("sourceId"))).isEqualTo("row-7");
		assertThat(tricky.get(header.indexOf("inputText"))).isEqualTo(TRICKY);
		assertThat(tricky.get(header.indexOf("feedback"))).isEqualTo("\"");
		assertThat(records).allSatisfy((record) -> assertThat(record).hasSameSizeAs(header));
		assertThat(body).contains("\"a, \"\"quoted\"\" word\r\nand a second line\nand a third, too\"").endsWith("\r\n");
	}

	@Test
	void csvNeutralizesWhatASpreadsheetWouldRunAsAFormulaUnlessAskedForRaw() throws Exception {
		List<List<String>> safe = parse(export("/api/v1/interactions/export?format=csv&sort=createdAt")
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8));
		List<String> header = safe.get(0);
		assertThat(safe.get(10).get(header.indexOf("inputText")))
			.isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
		assertThat(safe.get(10).get(header.indexOf("outputText"))).isEqualTo("'@SUM(1+1)");
		assertThat(safe.get(12).get(header.indexOf("outputText"))).isEqualTo("'-2+3");
		assertThat(safe.get(2).get(header.indexOf("inputText"))).as("ordinary text as it is").isEqualTo("question 1");

		List<List<String>> raw = parse(export("/api/v1/interactions/export?format=csv&sort=createdAt&csvFormulas=raw")
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8));
		assertThat(raw.get(10).get(header.indexOf("inputText")))
			.isEqualTo("=HYPERLINK(\"http://evil.example\",\"click\")");
		assertThat(raw.get(12).get(header.indexOf("outputText"))).isEqualTo("-2+3");
	}

	@Test
	void badParametersAreNamed() throws Exception {
		for (String[] bad : new String[][] { { "format=xml", "format" }, { "limit=5", "limit" },
				{ "cursor=x", "cursor" }, { "source=nope", "source" }, { "createdFrom=%zz", "createdFrom" },
				{ "csvFormulas=eval", "csvFormulas" } }) {
			MockHttpServletResponse response = this.mvc.perform(get("/api/v1/interactions/export?" + bad[0]))
				.andReturn()
				.getResponse();
			assertThat(response.getStatus()).as(bad[0]).isEqualTo(400);
			assertThat(this.json.readTree(response.getContentAsString()).get("parameter").asString()).isEqualTo(bad[1]);
		}
	}

	private MockHttpServletResponse export(String path) throws Exception {
		MvcResult started = this.mvc.perform(get(path)).andReturn();
		return this.mvc.perform(asyncDispatch(started)).andReturn().getResponse();
	}

	/**
	 * A strict RFC 4180 reader: quoted fields may hold commas, quotes (doubled) and line
	 * breaks.
	 */
	private static List<List<String>> parse(String text) {
		List<List<String>> records = new ArrayList<>();
		List<String> record = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		int i = 0;
		boolean quoted = false;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
					field.append('"');
					i += 2;
					continue;
				}
				if (c == '"') {
					quoted = false;
				}
				else {
					field.append(c);
				}
				i++;
				continue;
			}
			if (c == '"' && field.isEmpty()) {
				quoted = true;
			}
			else if (c == ',') {
				record.add(field.toString());
				field.setLength(0);
			}
			else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
				record.add(field.toString());
				field.setLength(0);
				records.add(record);
				record = new ArrayList<>();
				i++;
			}
			else {
				assertThat(c).as("an unquoted field holds no quote or line break (at %d)", i).isNotIn('"', '\r', '\n');
				field.append(c);
			}
			i++;
		}
		assertThat(field).as("the last record ends with CRLF").isEmpty();
		return records;
	}

}

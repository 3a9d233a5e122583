package io.tributary.interaction;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.sql.DataSource;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tributary.common.ApiValue;
import io.tributary.common.ConnectionScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every interaction the list's filters select, written as it is read: PostgreSQL hands
 * the rows over through a server-side cursor ({@value #FETCH} at a time, in a read-only
 * transaction), each row is written and forgotten, so memory stays the same whatever the
 * number of rows. The cursor reads on the exports' own pool
 * ({@link ExportConfiguration}); a client that stops reading for
 * {@code tributary.export.idle-timeout} cuts its export off
 * ({@link IdleTimeoutOutputStream}), which releases the transaction and connection.
 */
@Component
class InteractionExport implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(InteractionExport.class);

	/** Rows PostgreSQL sends per round trip of the cursor. */
	static final int FETCH = 500;

	/** The CSV columns, in order, and how each is read from a row. */
	static final List<Map.Entry<String, Function<InteractionSummary, Object>>> CSV_COLUMNS = List.of(
			Map.entry("id", InteractionSummary::id), Map.entry("source", InteractionSummary::source),
			Map.entry("connection", InteractionSummary::connection),
			Map.entry("sourceId", InteractionSummary::sourceId), Map.entry("threadId", InteractionSummary::threadId),
			Map.entry("participantId", (row) -> row.participant().id()),
			Map.entry("participantExternalId", (row) -> row.participant().externalId()),
			Map.entry("participantType", (row) -> row.participant().type()),
			Map.entry("organizationId", (row) -> row.organization().id()),
			Map.entry("productId", InteractionSummary::productId),
			Map.entry("versionId", InteractionSummary::versionId), Map.entry("model", InteractionSummary::model),
			Map.entry("status", (row) -> row.status().apiValue()),
			Map.entry("inputText", InteractionSummary::inputText),
			Map.entry("outputText", InteractionSummary::outputText),
			Map.entry("inputTokens", (row) -> row.usage().inputTokens()),
			Map.entry("outputTokens", (row) -> row.usage().outputTokens()),
			Map.entry("rating", (row) -> row.rating().value()), Map.entry("ratingMin", (row) -> row.rating().min()),
			Map.entry("ratingMax", (row) -> row.rating().max()),
			Map.entry("ratingNormalized", (row) -> row.rating().normalized()),
			Map.entry("feedback", InteractionSummary::feedback), Map.entry("createdAt", InteractionSummary::createdAt),
			Map.entry("updatedAt", InteractionSummary::updatedAt),
			Map.entry("deletedAt", InteractionSummary::deletedAt),
			Map.entry("searchTruncated", InteractionSummary::searchTruncated));

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate readOnly;

	/**
	 * Writes NDJSON lines into the export's buffer without flushing it to the client
	 * after each line: the body goes out in large slices.
	 */
	private final ObjectWriter json;

	private final SourceNames kinds;

	private final ConnectionScope scope;

	private final ExportProperties properties;

	/**
	 * The threads that write to the clients' sockets, one per export at a time (so no
	 * more than the exports that run).
	 */
	private final ExecutorService writers;

	InteractionExport(@Qualifier(ExportConfiguration.POOL) DataSource dataSource, ExportProperties properties,
			JsonMapper json, SourceNames kinds, ConnectionScope scope) {
		JdbcTemplate template = new JdbcTemplate(dataSource);
		template.setFetchSize(FETCH);
		this.jdbc = new NamedParameterJdbcTemplate(template);
		this.readOnly = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.readOnly.setReadOnly(true);
		this.json = json.writer()
			.without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
			.without(StreamWriteFeature.FLUSH_PASSED_TO_STREAM);
		this.kinds = kinds;
		this.scope = scope;
		this.properties = properties;
		AtomicInteger threads = new AtomicInteger();
		this.writers = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "export-writer-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void destroy() {
		this.writers.shutdownNow();
	}

	/**
	 * Checks the filters and fixes what to read, while the request (and its key's scope)
	 * is at hand; the rows are read when the answer is written.
	 * @param filter the list's filters and sort
	 * @return the export, ready to write
	 */
	Prepared prepare(InteractionFilter filter) {
		filter.check(this.kinds);
		Where where = Where.of(filter, this.scope);
		InteractionSort sort = filter.sortOrDefault();
		String direction = sort.descending() ? " DESC" : " ASC";
		return new Prepared("SELECT " + InteractionQuery.SUMMARY_COLUMNS + " FROM interaction" + where.sql()
				+ " ORDER BY " + sort.column() + direction + ", id" + direction, where.params);
	}

	/**
	 * Writes every row of the export.
	 * @param export what to read
	 * @param format how to write it
	 * @param out the answer's body
	 */
	void write(Prepared export, Format format, OutputStream out) {
		write(export, format, Formulas.NEUTRALIZE, out);
	}

	/**
	 * Writes every row of the export.
	 * @param export what to read
	 * @param format how to write it
	 * @param formulas whether CSV fields a spreadsheet would run as a formula are
	 * neutralised
	 * @param out the answer's body
	 */
	void write(Prepared export, Format format, Formulas formulas, OutputStream out) {
		IdleTimeoutOutputStream body = new IdleTimeoutOutputStream(out, this.properties.idleTimeout(), this.writers);
		try {
			read(export, format, formulas, body);
		}
		catch (RuntimeException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof ExportReaderStalled) {
					log.info("An export was cut off: its client took nothing for {} (tributary.export.idle-timeout); "
							+ "its database connection is released", this.properties.idleTimeout());
					break;
				}
			}
			throw ex;
		}
		finally {
			body.awaitBlockedWrite();
		}
	}

	private void read(Prepared export, Format format, Formulas formulas, OutputStream out) {
		this.readOnly.executeWithoutResult((status) -> {
			Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
			try (JsonGenerator generator = (format == Format.NDJSON) ? this.json.createGenerator(text) : null) {
				if (format == Format.CSV) {
					text.write(String.join(",", CSV_COLUMNS.stream().map(Map.Entry::getKey).toList()));
					text.write("\r\n");
				}
				this.jdbc.query(export.sql(), export.params(), (rs) -> {
					InteractionSummary row = InteractionQuery.summary(rs, 0);
					try {
						if (format == Format.NDJSON) {
							this.json.writeValue(generator, row);
							generator.flush();
							text.write('\n');
						}
						else {
							csv(text, row, formulas);
						}
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
				text.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/**
	 * One CSV record per RFC 4180: every field that holds a comma, a double quote, a
	 * carriage return or a line feed is quoted, with its double quotes doubled; records
	 * end with CRLF; absent values are empty fields.
	 */
	static void csv(Writer out, InteractionSummary row) throws IOException {
		csv(out, row, Formulas.NEUTRALIZE);
	}

	/**
	 * One CSV record, as {@link #csv(Writer, InteractionSummary)}; with
	 * {@link Formulas#NEUTRALIZE}, a text field a spreadsheet would run as a formula
	 * (starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage
	 * return: CSV injection) starts with a {@code '} instead, which spreadsheets show as
	 * text; numbers are left as they are.
	 */
	static void csv(Writer out, InteractionSummary row, Formulas formulas) throws IOException {
		for (int i = 0; i < CSV_COLUMNS.size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			Object value = CSV_COLUMNS.get(i).getValue().apply(row);
			String text = (value != null) ? Objects.toString(value) : "";
			if (formulas == Formulas.NEUTRALIZE && !(value instanceof Number) && runsAsFormula(text)) {
				text = "'" + text;
			}
			out.write(field(text));
		}
		out.write("\r\n");
	}

	private static boolean runsAsFormula(String text) {
		return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
	}

	static String field(String value) {
		if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
			return value;
		}
		return '"' + value.replace("\"", "\"\"") + '"';
	}

	/**
	 * @param sql the statement
	 * @param params its named parameters
	 */
	record Prepared(String sql, Map<String, Object> params) {
	}

	/** What CSV does with fields a spreadsheet would run as formulas. */
	enum Formulas implements ApiValue {

		/** Prefixed with {@code '}, so a spreadsheet shows them as text (the default). */
		NEUTRALIZE("neutralize"),
		/**
		 * Written as they are: for tools that read the CSV as data, not a spreadsheet.
		 */
		RAW("raw");

		private final String apiValue;

		Formulas(String apiValue) {
			this.apiValue = apiValue;
		}

		@Override
		@JsonValue
		public String apiValue() {
			return this.apiValue;
		}

	}

	/** The export formats. */
	enum Format implements ApiValue {

		NDJSON("ndjson", "application/x-ndjson"), CSV("csv", "text/csv");

		private final String apiValue;

		private final String mediaType;

		Format(String apiValue, String mediaType) {
			this.apiValue = apiValue;
			this.mediaType = mediaType;
		}

		@Override
		@JsonValue
		public String apiValue() {
			return this.apiValue;
		}

		String mediaType() {
			return this.mediaType;
		}

	}

}

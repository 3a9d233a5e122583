package io.tributary.interaction;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.tributary.common.Digests;
import io.tributary.common.JsonLimits;
import io.tributary.common.SyncDatabase;
import io.tributary.hygiene.KnownSecrets;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Upserts a batch of {@link NormalizedInteraction}s in one statement: new rows are
 * inserted, existing rows (same connection and source id) are rewritten only when their
 * content hash changed, and the gateway id and {@code first_seen_at} of existing rows
 * never change. A rewritten row takes the upstream's update time when it moved forward;
 * when the upstream gives none (Flockx, an answer completing in Zylon), it takes the time
 * the gateway saw the change, so {@code updatedSince} and incremental consumers see it; a
 * rewrite of an unchanged upstream item (the same {@code raw}: only the mapping changed,
 * as in renormalization) keeps it. The upstream's own time is kept apart, in
 * {@code source_updated_at}, for comparing later listings with: the gateway's clock is
 * never compared with an upstream's. Runs in the caller's transaction.
 */
@Component
public class InteractionWriter {

	private static final List<Column> COLUMNS = List.of(new Column("source", "text", (r) -> r.item.source()),
			new Column("connection", "text", (r) -> r.item.connection()),
			new Column("source_id", "text", (r) -> r.item.sourceId()),
			new Column("thread_id", "text", (r) -> r.item.threadId()),
			new Column("participant_id", "text", (r) -> r.item.participantId()),
			new Column("participant_external_id", "text", (r) -> r.item.participantExternalId()),
			new Column("participant_type", "text", (r) -> r.item.participantType()),
			new Column("organization_id", "text", (r) -> r.item.organizationId()),
			new Column("organization_external_id", "text", (r) -> r.item.organizationExternalId()),
			new Column("product_id", "text", (r) -> r.item.productId()),
			new Column("version_id", "text", (r) -> r.item.versionId()),
			new Column("model", "text", (r) -> r.item.model()),
			new Column("status", "text", (r) -> r.item.status().apiValue()),
			new Column("input_text", "text", (r) -> r.item.inputText()),
			new Column("output_text", "text", (r) -> r.item.outputText()),
			new Column("messages", "jsonb", (r) -> r.messages),
			new Column("input_tokens", "bigint", (r) -> string(r.item.inputTokens())),
			new Column("output_tokens", "bigint", (r) -> string(r.item.outputTokens())),
			new Column("rating", "numeric", (r) -> string(r.item.rating())),
			new Column("rating_min", "numeric", (r) -> string(r.item.ratingMin())),
			new Column("rating_max", "numeric", (r) -> string(r.item.ratingMax())),
			new Column("rating_normalized", "double precision", (r) -> string(r.item.ratingNormalized())),
			new Column("rating_source", "text", (r) -> r.item.ratingSource()),
			new Column("feedback", "text", (r) -> r.item.feedback()),
			new Column("created_at", "timestamptz", (r) -> r.item.createdAt().toString()),
			new Column("updated_at", "timestamptz", (r) -> r.item.updatedAt().toString()),
			new Column("source_updated_at", "timestamptz", (r) -> r.item.updatedAt().toString()),
			new Column("content_hash", "text", (r) -> r.hash), new Column("attributes", "jsonb", (r) -> r.attributes),
			new Column("raw", "jsonb", (r) -> r.raw),
			new Column("mapper_version", "integer", (r) -> Integer.toString(r.mapperVersion)));

	private static final String UPSERT = upsertStatement();

	/**
	 * Sorted object keys, so the hash does not depend on the order an upstream sends
	 * fields in.
	 */
	private final JsonMapper json = JsonMapper.builder(JsonLimits.factory())
		.enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
		.build();

	private final JdbcTemplate jdbc;

	InteractionWriter(@SyncDatabase JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Writes a batch. Items repeated within the batch (same connection and source id)
	 * count once, the one with the latest {@code updatedAt} winning.
	 * @param batch the interactions of one page
	 * @return how many rows were inserted, updated, or left as they were
	 */
	public WriteResult write(Collection<NormalizedInteraction> batch) {
		return write(batch, List.of());
	}

	/**
	 * Writes a batch, replacing every occurrence of the given secrets (the connection's
	 * own credentials, should an upstream echo them in a payload or a user paste one into
	 * a chat) with {@code [redacted]} in everything stored. Secrets shorter than
	 * {@value KnownSecrets#MIN_LENGTH} characters are not searched for: they would match
	 * ordinary text.
	 * @param batch the interactions of one page
	 * @param secrets values that must never be stored
	 * @return how many rows were inserted, updated, or left as they were
	 */
	public WriteResult write(Collection<NormalizedInteraction> batch, Collection<String> secrets) {
		return write(batch, secrets, 1);
	}

	/**
	 * Writes a batch mapped by the given version of its kind's mapper; a stored row of
	 * another version is rewritten even when its content is the same.
	 * @param batch the interactions of one page
	 * @param secrets values that must never be stored
	 * @param mapperVersion the version of the mapping that produced them
	 * @return how many rows were inserted, updated, or left as they were
	 */
	public WriteResult write(Collection<NormalizedInteraction> batch, Collection<String> secrets, int mapperVersion) {
		UnaryOperator<String> scrub = StoredText.withoutSecrets(secrets);
		List<Row> rows = distinct(batch).stream().map((item) -> row(item, scrub, mapperVersion)).toList();
		if (rows.isEmpty()) {
			return WriteResult.EMPTY;
		}
		int[] counts = Objects.requireNonNull(this.jdbc.execute((ConnectionCallback<int[]>) (connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
				for (int c = 0; c < COLUMNS.size(); c++) {
					Column column = COLUMNS.get(c);
					UnaryOperator<String> storable = column.type().equals("jsonb") ? StoredText::json
							: StoredText::text;
					statement.setArray(c + 1, connection.createArrayOf("text",
							rows.stream().map(column.value()).map(scrub).map(storable).toArray()));
				}
				int inserted = 0;
				int updated = 0;
				try (ResultSet result = statement.executeQuery()) {
					while (result.next()) {
						if (result.getBoolean(1)) {
							inserted++;
						}
						else {
							updated++;
						}
					}
				}
				return new int[] { inserted, updated };
			}
		}));
		return new WriteResult(counts[0], counts[1], rows.size() - counts[0] - counts[1]);
	}

	private static Collection<NormalizedInteraction> distinct(Collection<NormalizedInteraction> batch) {
		Map<List<String>, NormalizedInteraction> latest = new LinkedHashMap<>();
		for (NormalizedInteraction item : batch) {
			latest.merge(List.of(item.connection(), item.sourceId()), item,
					(kept, next) -> next.updatedAt().isBefore(kept.updatedAt()) ? kept : next);
		}
		return latest.values();
	}

	/**
	 * Serializes the item once: the content hash is taken over the whole item's JSON, and
	 * its {@code messages}, {@code attributes} and {@code raw} columns are cut out of
	 * that same text (a streaming pass finds where each value starts and ends), instead
	 * of serializing each again.
	 */
	private Row row(NormalizedInteraction item, UnaryOperator<String> scrub, int mapperVersion) {
		String whole = this.json.writeValueAsString(item);
		String messages = null;
		String attributes = null;
		String raw = null;
		try (JsonParser parser = this.json.createParser(whole)) {
			parser.nextToken();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				parser.nextToken();
				int start = (int) parser.currentTokenLocation().getCharOffset();
				parser.skipChildren();
				int end = (int) parser.currentLocation().getCharOffset();
				switch (name) {
					case "messages" -> messages = whole.substring(start, end);
					case "attributes" -> attributes = whole.substring(start, end);
					case "raw" -> raw = whole.substring(start, end);
					default -> {
					}
				}
			}
		}
		return new Row(item, messages, attributes, raw, HexFormat.of().formatHex(Digests.sha256(scrub.apply(whole))),
				mapperVersion);
	}

	private static String string(Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static String upsertStatement() {
		String names = COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));
		String casts = COLUMNS.stream().map((c) -> "u." + c.name() + "::" + c.type()).collect(Collectors.joining(", "));
		String arrays = COLUMNS.stream().map((c) -> "?::text[]").collect(Collectors.joining(", "));
		List<String> updates = new ArrayList<>();
		for (Column column : COLUMNS) {
			if (column.name().equals("updated_at")) {
				// a change the upstream gives no newer update time for is dated when the
				// gateway saw it; a rewrite of the same upstream item (only our mapping
				// changed) keeps its time
				updates.add("updated_at = CASE WHEN excluded.updated_at > i.updated_at THEN excluded.updated_at "
						+ "WHEN i.raw = excluded.raw THEN i.updated_at ELSE GREATEST(i.updated_at, now()) END");
			}
			else if (!column.name().equals("connection") && !column.name().equals("source_id")) {
				updates.add(column.name() + " = excluded." + column.name());
			}
		}
		updates.add("last_synced_at = now()");
		return "INSERT INTO interaction AS i (" + names + ") SELECT " + casts + " FROM unnest(" + arrays + ") AS u("
				+ names + ") ON CONFLICT (connection, source_id) DO UPDATE SET " + String.join(", ", updates)
				+ " WHERE i.content_hash IS DISTINCT FROM excluded.content_hash"
				+ " OR i.mapper_version IS DISTINCT FROM excluded.mapper_version"
				// a row stored before the upstream's own time was kept apart gets it once
				+ " OR i.source_updated_at IS NULL RETURNING (xmax = 0) AS inserted";
	}

	private record Column(String name, String type, Function<Row, String> value) {
	}

	private record Row(NormalizedInteraction item, String messages, String attributes, String raw, String hash,
			int mapperVersion) {
	}

}

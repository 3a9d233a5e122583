import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Which index answers the API's `q` faster on 100k interactions: the tsvector GIN index the schema uses, or
 * a pg_trgm GIN index over the same text with ILIKE. Loads the real V1 migration into a fresh embedded
 * PostgreSQL, fills it with generated prompts and answers (Zipf-distributed vocabulary), and prints the
 * median time of the API's page query (ORDER BY created_at DESC LIMIT 51) and of a count, per term.
 */
public class TextSearchBench {

	static final int ROWS = Integer.getInteger("rows", 100_000);

	static final int RUNS = 15;

	public static void main(String[] args) throws Exception {
		try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
			.setDataDirectory(Files.createTempDirectory("tributary-bench"))
			.setCleanDataDirectory(true)
			.start(); Connection c = pg.getPostgresDatabase().getConnection()) {
			try (Statement s = c.createStatement()) {
				s.execute(Files.readString(Path.of("src/main/resources/db/migration/V1__create_interaction.sql")));
			}
			long t = System.nanoTime();
			load(c);
			System.out.printf("loaded %d rows (with the tsvector GIN index) in %.1f s%n", ROWS, (System.nanoTime() - t) / 1e9);
			String expr = "(coalesce(input_text,'') || ' ' || coalesce(output_text,'') || ' ' || coalesce(feedback,''))";
			try (Statement s = c.createStatement()) {
				s.execute("CREATE EXTENSION pg_trgm");
				t = System.nanoTime();
				s.execute("CREATE INDEX trgm_idx ON interaction USING gin (" + expr + " gin_trgm_ops)");
				System.out.printf("pg_trgm GIN index built in %.1f s%n", (System.nanoTime() - t) / 1e9);
				s.execute("VACUUM ANALYZE interaction");
				print(s, "SELECT pg_size_pretty(pg_relation_size('interaction_search_idx')) || ' tsvector GIN, ' || pg_size_pretty(pg_relation_size('trgm_idx')) || ' pg_trgm GIN'");
			}
			String[][] terms = { { "rare", "w2900" }, { "medium", "w120" }, { "common", "w3" }, { "two words", "w120 w45" },
					{ "absent", "zzzz" } };
			System.out.printf("%n%-10s %-9s | %12s %12s | %12s %12s | %8s%n", "term", "query", "tsv page ms", "tsv count ms",
					"trgm page ms", "trgm cnt ms", "matches");
			for (String[] term : terms) {
				String tsv = "search_vector @@ websearch_to_tsquery('simple', ?)";
				String trgm = term[1].contains(" ") ? expr + " ILIKE ? AND " + expr + " ILIKE ?" : expr + " ILIKE ?";
				Object[] tsvArgs = { term[1] };
				Object[] trgmArgs = Arrays.stream(term[1].split(" ")).map((w) -> "%" + w + "%").toArray();
				double tsvPage = median(c, "SELECT id FROM interaction WHERE " + tsv + " ORDER BY created_at DESC, id DESC LIMIT 51", tsvArgs);
				double tsvCount = median(c, "SELECT count(*) FROM interaction WHERE " + tsv, tsvArgs);
				double trgmPage = median(c, "SELECT id FROM interaction WHERE " + trgm + " ORDER BY created_at DESC, id DESC LIMIT 51", trgmArgs);
				double trgmCount = median(c, "SELECT count(*) FROM interaction WHERE " + trgm, trgmArgs);
				long matches = count(c, "SELECT count(*) FROM interaction WHERE " + tsv, tsvArgs);
				System.out.printf("%-10s %-9s | %12.2f %12.2f | %12.2f %12.2f | %8d%n", term[0], term[1], tsvPage, tsvCount,
						trgmPage, trgmCount, matches);
			}
		}
	}

	static void print(Statement s, String sql) throws Exception {
		try (ResultSet r = s.executeQuery(sql)) {
			r.next();
			System.out.println(r.getString(1));
		}
	}

	static void load(Connection c) throws Exception {
		Random random = new Random(42);
		c.setAutoCommit(false);
		try (PreparedStatement p = c.prepareStatement("INSERT INTO interaction (source, connection, source_id, status, "
				+ "input_text, output_text, feedback, created_at, updated_at, content_hash, raw) VALUES "
				+ "('zylon', 'bench', ?, 'completed', ?, ?, ?, now() - (? * interval '1 second'), now(), 'x', '{}')")) {
			for (int i = 0; i < ROWS; i++) {
				p.setString(1, "s" + i);
				p.setString(2, text(random, 25));
				p.setString(3, text(random, 60));
				p.setString(4, (i % 10 == 0) ? text(random, 8) : null);
				p.setInt(5, i);
				p.addBatch();
				if (i % 1000 == 999) {
					p.executeBatch();
				}
			}
			p.executeBatch();
		}
		c.commit();
		c.setAutoCommit(true);
	}

	/** Words w0..w2999 with a Zipf-like distribution: w3 is everywhere, w2900 is rare. */
	static String text(Random random, int words) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < words; i++) {
			int rank = (int) Math.floor(Math.pow(3000, random.nextDouble())) - 1;
			text.append('w').append(Math.max(0, rank)).append(' ');
		}
		return text.toString();
	}

	static double median(Connection c, String sql, Object[] args) throws Exception {
		count(c, sql, args);
		List<Double> times = new ArrayList<>();
		for (int i = 0; i < RUNS; i++) {
			long t = System.nanoTime();
			count(c, sql, args);
			times.add((System.nanoTime() - t) / 1e6);
		}
		times.sort(null);
		return times.get(RUNS / 2);
	}

	static long count(Connection c, String sql, Object[] args) throws Exception {
		try (PreparedStatement p = c.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				p.setObject(i + 1, args[i]);
			}
			long n = 0;
			try (ResultSet r = p.executeQuery()) {
				while (r.next()) {
					n = sql.contains("count(*)") ? r.getLong(1) : n + 1;
				}
			}
			return n;
		}
	}

}

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway against PostgreSQL's own limits, in one run (see bench/README.md): starts
 * an embedded PostgreSQL 17, the fast upstreams (bench/FastUpstreams.java) and the
 * gateway jar as separate processes, and prints every figure as a ratio against a
 * baseline measured in the same run.
 */
public class Bench {

	static final String KEY = "tributary-bench-key";

	static final int PG_PORT = Integer.getInteger("bench.pg-port", 15432);

	static final int UPSTREAM_PORT = Integer.getInteger("bench.upstream-port", 18090);

	static final int GATEWAY_PORT = Integer.getInteger("bench.gateway-port", 18080);

	/**
	 * The constrained gateway: a 256 MiB heap, and the options the Docker image uses to keep
	 * memory outside the heap small (a serial collector on small heaps, a smaller code cache,
	 * thread stacks and direct buffers, two malloc arenas), overridable with
	 * -Dbench.constrained="…".
	 */
	static final List<String> CONSTRAINED = List.of(System
		.getProperty("bench.constrained",
				"-Xmx256m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:MaxDirectMemorySize=64m")
		.split(" "));

	static final String[] CONNECTIONS = { "greenflash-bench", "zylon-bench", "flockx-bench" };

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	static final Path WORK = Path.of("target/bench").toAbsolutePath();

	static final Path PG_LOG_DIR = WORK.resolve("pg-log");

	final int rows;

	final int seconds;

	final boolean write;

	final List<String[]> table = new ArrayList<>();

	final List<String> notes = new ArrayList<>();

	EmbeddedPostgres postgres;

	final List<Process> upstreams = new ArrayList<>();

	public static void main(String[] args) throws Exception {
		Args parsed = Args.parse(args, 1_000_000, 20, "--ingest-only", "--stats-only", "--serving-only");
		new Bench(parsed.rows(), parsed.seconds(), parsed.write()).run();
	}

	/**
	 * A bench run's arguments: {@code --rows N}, {@code --seconds S}, {@code --write},
	 * {@code --profile}, and the run's own switches, each set as the system property
	 * {@code bench.<name>}.
	 */
	record Args(int rows, int seconds, boolean write) {

		static Args parse(String[] args, int rows, int seconds, String... switches) {
			boolean write = false;
			List<String> allowed = new ArrayList<>(List.of("--profile"));
			allowed.addAll(List.of(switches));
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--rows" -> rows = Integer.parseInt(args[++i].replace("_", ""));
					case "--seconds" -> seconds = Integer.parseInt(args[++i]);
					case "--write" -> write = true;
					default -> {
						if (!allowed.contains(args[i])) {
							throw new IllegalArgumentException("unknown argument " + args[i]
									+ " (use --rows N, --seconds S, --write, " + String.join(", ", allowed) + ")");
						}
						System.setProperty("bench." + args[i].substring(2), "true");
					}
				}
			}
			return new Args(rows, seconds, write);
		}

	}

	Bench(int rows, int seconds, boolean write) {
		this.rows = rows;
		this.seconds = seconds;
		this.write = write;
	}

	void run() throws Exception {
		Path jar = jar();
		startPostgres();
		startUpstream(UPSTREAM_PORT, (this.rows + 2) / 3);

		// Ingest, unconstrained heap; this database then serves.
		Ingest full = ingest(jar, "bench_default", List.of());
		this.gateway = full.gateway;
		Ingest small;
		if (Boolean.getBoolean("bench.serving-only")) {
			try {
				try (Connection c = connect("bench_default"); Statement s = c.createStatement()) {
					s.execute("VACUUM ANALYZE");
				}
				serving("bench_default");
				groupPages("bench_default");
			}
			finally {
				full.gateway.destroy();
				full.gateway.waitFor();
			}
			print();
			return;
		}
		if (Boolean.getBoolean("bench.stats-only")) {
			try {
				copyBaseline("bench_default", full);
				row("ingest: full sync, rows/s (the rollups kept by the triggers)", fmt(full.rowsPerSecond),
						"COPY " + fmt(this.copyRowsPerSecond) + " (no triggers)",
						ratio(full.rowsPerSecond, this.copyRowsPerSecond), "≥ 0.5");
				rollupMaintenance("bench_default");
				rollups("bench_default");
			}
			finally {
				full.gateway.destroy();
				full.gateway.waitFor();
			}
			print();
			return;
		}
		try {
			copyBaseline("bench_default", full);
			if (Boolean.getBoolean("bench.ingest-only")) {
				throw new Done();
			}
			serving("bench_default");
			deepPages();
			idleRun();
		}
		catch (Done ex) {
			// ingest figures only
		}
		finally {
			full.gateway.destroy();
			full.gateway.waitFor();
		}
		small = ingest(jar, "bench_xmx256m", CONSTRAINED);
		try {
			if (!Boolean.getBoolean("bench.ingest-only")) {
				export("bench_xmx256m");
			}
		}
		finally {
			small.gateway.destroy();
			small.gateway.waitFor();
		}

		row("ingest: full sync, rows/s", fmt(full.rowsPerSecond), "COPY " + fmt(this.copyRowsPerSecond),
				ratio(full.rowsPerSecond, this.copyRowsPerSecond), "≥ 0.5");
		row("ingest with " + String.join(" ", CONSTRAINED) + ", rows/s", fmt(small.rowsPerSecond), "unconstrained " + fmt(full.rowsPerSecond),
				ratio(small.rowsPerSecond, full.rowsPerSecond), "≥ 0.9");
		row("peak RSS of the gateway during the sync, default heap", mib(full.peakRssKb), "", "", "");
		row("interaction table with its indexes", (this.tableBytes >> 20) + " MiB (" + (this.tableBytes / Math.max(1, full.stored)) + " B/row)",
				"table alone " + (this.heapBytes >> 20) + " MiB", "", "");
		row("peak RSS of the gateway during the sync, -Xmx256m …", mib(small.peakRssKb), "", "", "≤ 512 MiB");
		print();
	}

	/** The gateway jar bench/run.sh built. */
	static Path jar() throws IOException {
		try (var files = Files.list(Path.of("target"))) {
			return files.filter((p) -> p.getFileName().toString().matches("tributary-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no target/tributary-*.jar: run bench/run.sh"));
		}
	}

	/** A fresh PostgreSQL 17 cluster on {@link #PG_PORT}, stopped with the bench. */
	void startPostgres() throws IOException {
		Files.createDirectories(PG_LOG_DIR);
		log("PostgreSQL 17 (embedded) on port %d", PG_PORT);
		this.postgres = EmbeddedPostgres.builder()
			.setDataDirectory(WORK.resolve("pg"))
			.setCleanDataDirectory(true)
			.setPort(PG_PORT)
			.setServerConfig("max_connections", "200")
			.setServerConfig("shared_buffers", "512MB")
			.setServerConfig("logging_collector", "on")
			.setServerConfig("log_destination", "csvlog")
			.setServerConfig("log_directory", PG_LOG_DIR.toString())
			.setServerConfig("log_filename", "pg")
			.start();
		Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll));
	}

	/**
	 * Fast upstreams (bench/FastUpstreams.java) on {@code port}, {@code perKind} stored
	 * interactions per kind, plus its {@code options}; stopped with the bench.
	 */
	Process startUpstream(int port, int perKind, String... options) throws Exception {
		log("fast upstreams on port %d, %d interactions per kind %s", port, perKind, String.join(" ", options));
		List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "bench/FastUpstreams.java", "--port",
				String.valueOf(port), "--per-kind", String.valueOf(perKind)));
		command.addAll(List.of(options));
		Process upstream = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(WORK.resolve((port == UPSTREAM_PORT) ? "upstream.log" : "upstream-" + port + ".log").toFile())
			.start();
		this.upstreams.add(upstream);
		waitFor(() -> get("http://127.0.0.1:" + port + "/__stats").statusCode() == 200, 60);
		return upstream;
	}

	static final class Done extends RuntimeException {

	}

	// ---- ingest

	record Ingest(Process gateway, double rowsPerSecond, long peakRssKb, long stored) {
	}

	double copyRowsPerSecond;

	long tableBytes;

	long heapBytes;

	Ingest ingest(Path jar, String database, List<String> jvmOptions) throws Exception {
		createDatabase(database);
		Process gateway = startGateway(jar, database, jvmOptions, UPSTREAM_PORT);
		Sync sync = syncAll(gateway, database, "full");
		long stored = count(database, "SELECT count(*) FROM interaction");
		sync.check();
		double rate = stored / sync.seconds();
		try (Connection c = connect(database); Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('interaction'), pg_relation_size('interaction')")) {
			rs.next();
			this.tableBytes = rs.getLong(1);
			this.heapBytes = rs.getLong(2);
		}
		log("  %d rows in %.1f s: %.0f rows/s, peak RSS %s", stored, sync.seconds(), rate, mib(sync.peakRssKb()));
		return new Ingest(gateway, rate, sync.peakRssKb(), stored);
	}

	void createDatabase(String database) throws Exception {
		try (Connection c = admin(); Statement s = c.createStatement()) {
			s.execute("DROP DATABASE IF EXISTS " + database);
			s.execute("CREATE DATABASE " + database);
		}
	}

	/**
	 * The gateway jar with bench/gateway-bench.yml on {@code database}, its connections
	 * against the upstreams on {@code upstreamPort}; returns once it is ready.
	 */
	Process startGateway(Path jar, String database, List<String> jvmOptions, int upstreamPort) throws Exception {
		List<String> command = new ArrayList<>(List.of(javaBin()));
		command.addAll(jvmOptions);
		if (Boolean.getBoolean("bench.profile")) {
			command.add("-XX:StartFlightRecording=filename=" + WORK.resolve(database + ".jfr") + ",settings=profile");
		}
		command.addAll(List.of("-jar", jar.toString(), "--spring.config.additional-location=file:bench/gateway-bench.yml",
				"--server.port=" + GATEWAY_PORT, "--bench.upstream-port=" + upstreamPort,
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + database,
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres"));
		log("gateway %s on %s", String.join(" ", jvmOptions), database);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(WORK.resolve("gateway-" + database + ".log").toFile());
		if (jvmOptions.equals(CONSTRAINED)) {
			// as in the Docker image: glibc's malloc keeps at most two arenas instead of eight per core
			builder.environment().put("MALLOC_ARENA_MAX", "2");
		}
		Process gateway = builder.start();
		try {
			waitFor(() -> {
				if (!gateway.isAlive()) {
					throw new IllegalStateException("the gateway did not start: see " + WORK + "/gateway-" + database + ".log");
				}
				return get(gatewayUrl("/actuator/health/readiness")).statusCode() == 200;
			}, 300); // minutes when the shared machine is busy
		}
		catch (Exception ex) {
			gateway.destroy();
			throw ex;
		}
		return gateway;
	}

	/** A sync of every connection, triggered at once: how long until the last run ended. */
	record Sync(double seconds, long peakRssKb, Map<String, JsonNode> runs) {

		boolean succeeded() {
			return this.runs.values().stream().allMatch((state) -> "succeeded".equals(state.path("outcome").asString()));
		}

		/** Logs each run: outcome, pages, rows, its own duration, any error. */
		void log() {
			for (var run : this.runs.entrySet()) {
				JsonNode state = run.getValue();
				Bench.log("  %s: %s, %d pages, %d inserted, %d rejected, %.1f s%s", run.getKey(),
						state.path("outcome").asString(), state.path("pages").asInt(), state.path("inserted").asInt(),
						state.path("rejected").asInt(), runSeconds(run.getKey()),
						state.path("error").isNull() ? "" : ", error: " + state.path("error").asString());
			}
		}

		/** Logs each run; throws unless all succeeded. */
		void check() {
			log();
			for (var run : this.runs.entrySet()) {
				if (!"succeeded".equals(run.getValue().path("outcome").asString())) {
					throw new IllegalStateException("run of " + run.getKey() + " did not succeed: " + run.getValue());
				}
			}
		}

		/** How long the run of {@code connection} took, by its own record. */
		double runSeconds(String connection) {
			JsonNode state = this.runs.get(connection);
			return Duration.between(java.time.Instant.parse(state.path("startedAt").asString()),
					java.time.Instant.parse(state.path("finishedAt").asString()))
				.toMillis() / 1000.0;
		}

	}

	/**
	 * Triggers a run of {@code mode} on every connection at once and polls every 500 ms
	 * until each has ended, sampling the gateway's peak RSS; {@code during} is called on
	 * each poll (null for none).
	 */
	Sync syncAll(Process gateway, String database, String mode) throws Exception {
		return syncAll(gateway, database, mode, 500, null);
	}

	Sync syncAll(Process gateway, String database, String mode, int pollMs, Check during) throws Exception {
		long startedAt = System.nanoTime();
		Map<String, Long> runs = new LinkedHashMap<>();
		for (String connection : CONNECTIONS) {
			JsonNode started = JSON.readTree(post(gatewayUrl("/api/v1/sources/" + connection + "/sync?mode=" + mode)));
			runs.put(connection, started.path("runId").asLong());
		}
		Map<String, JsonNode> finished = new LinkedHashMap<>();
		long peak = 0;
		while (finished.size() < runs.size()) {
			Thread.sleep(pollMs);
			peak = Math.max(peak, rssKb(gateway, "VmHWM"));
			if (during != null) {
				during.ok();
			}
			for (var run : runs.entrySet()) {
				if (!finished.containsKey(run.getKey())) {
					JsonNode state = JSON.readTree(getBody(gatewayUrl("/api/v1/sync-runs/" + run.getValue())));
					if (!"running".equals(state.path("outcome").asString())) {
						finished.put(run.getKey(), state);
					}
				}
			}
			if (!gateway.isAlive()) {
				throw new IllegalStateException("the gateway died during the sync: see " + WORK + "/gateway-" + database + ".log");
			}
		}
		double elapsed = (System.nanoTime() - startedAt) / 1e9;
		peak = Math.max(peak, rssKb(gateway, "VmHWM"));
		return new Sync(elapsed, peak, finished);
	}

	void copyBaseline(String database, Ingest ingest) throws Exception {
		Path data = WORK.resolve("interaction.copy");
		try (Connection c = connect(database); Statement s = c.createStatement()) {
			var copy = c.unwrap(PGConnection.class).getCopyAPI();
			try (OutputStream out = Files.newOutputStream(data)) {
				copy.copyOut("COPY interaction TO STDOUT (FORMAT binary)", out);
			}
			s.execute("DROP TABLE IF EXISTS interaction_copy");
			s.execute("CREATE TABLE interaction_copy (LIKE interaction INCLUDING ALL)");
			s.execute("CHECKPOINT");
			long start = System.nanoTime();
			long copied;
			try (InputStream in = Files.newInputStream(data)) {
				copied = copy.copyIn("COPY interaction_copy FROM STDIN (FORMAT binary)", in);
			}
			double elapsed = (System.nanoTime() - start) / 1e9;
			this.copyRowsPerSecond = copied / elapsed;
			log("COPY of the same %d rows into an identical table (same indexes): %.1f s, %.0f rows/s", copied, elapsed,
					this.copyRowsPerSecond);
			s.execute("DROP TABLE interaction_copy");
			s.execute("VACUUM ANALYZE interaction");
		}
		finally {
			Files.deleteIfExists(data);
		}
	}

	// ---- serving

	void serving(String database) throws Exception {
		String createdFrom;
		try (Connection c = connect(database); Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT (created_at AT TIME ZONE 'UTC')::date FROM interaction ORDER BY created_at LIMIT 1 OFFSET "
						+ (this.rows / 2))) {
			rs.next();
			createdFrom = rs.getObject(1, LocalDate.class).toString();
		}
		String[][] requests = {
				{ "GET /api/v1/interactions?limit=50", "limit=50",
						"SELECT * FROM interaction WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 51" },
				{ "filtered: source + createdFrom + minRating", "source=greenflash&createdFrom=" + createdFrom + "&minRating=0.5&limit=50",
						"SELECT * FROM interaction WHERE deleted_at IS NULL AND source = 'greenflash' AND created_at >= '"
								+ createdFrom + "' AND rating_normalized >= 0.5 ORDER BY created_at DESC, id DESC LIMIT 51" },
				{ "q=password", "q=password&limit=50",
						"SELECT * FROM interaction WHERE deleted_at IS NULL AND search_vector @@ websearch_to_tsquery('simple', 'password') ORDER BY created_at DESC, id DESC LIMIT 51" },
				{ "stats: groupBy=source, interval=day, tz=Europe/Berlin, last half", "stats?groupBy=source&interval=day&tz=Europe/Berlin&createdFrom=" + createdFrom,
						"SELECT date_trunc('day', created_at, 'Europe/Berlin'), source, count(*), sum(input_tokens), sum(output_tokens), count(rating_normalized), avg(rating_normalized), count(feedback) FROM interaction WHERE deleted_at IS NULL AND created_at >= '"
								+ createdFrom + "' GROUP BY 1, 2 ORDER BY 1, 2" } };
		for (String[] request : requests) {
			if (Boolean.getBoolean("bench.serving-only") && (request[1].startsWith("q=") || request[1].startsWith("stats?"))) {
				continue; // PostgreSQL's own cost (a GIN scan, an aggregate of every row), not the list's
			}
			String url = gatewayUrl("/api/v1/interactions" + (request[1].startsWith("stats?") ? "/" : "?") + request[1]);
			HttpResponse<String> first = get(url);
			if (first.statusCode() != 200) {
				throw new IllegalStateException(url + " answered " + first.statusCode() + ": " + first.body());
			}
			JsonNode answer = JSON.readTree(first.body());
			int items = answer.has("groups") ? answer.path("groups").size() : answer.path("items").size();
			this.clients = request[1].startsWith("stats?") ? 4 : 32;
			wrk(url, 5);
			quiesce(database);
			List<String> sql = capture(database, url);
			Load gateway = wrk(url, this.seconds);
			Load replay = pgbench(database, String.join(";\n", sql) + ";\n", this.seconds);
			Load plain = pgbench(database, request[2] + ";\n", this.seconds);
			log("  %s: %d items; gateway %s; its SQL (%d statements) %s; plain SELECT %s", request[0], items, gateway,
					sql.size(), replay, plain);
			row(request[0] + ", " + this.clients + " clients", gateway.perSecond("req/s"), replay.perSecond("tps") + " (its SQL)",
					ratio(gateway.rate, replay.rate), "≥ 0.5");
			row(request[1].startsWith("stats?") ? "  same, vs a plain GROUP BY of the same rows"
					: "  same, vs plain SELECT … LIMIT 51", "", plain.perSecond("tps"), ratio(gateway.rate, plain.rate),
					"");
			row("  same, latency p50 / p99", gateway.latencies(), "its SQL " + replay.latencies(), "",
					"p99 < 50 ms");
			cpuRow(gateway, replay);
		}
		this.clients = 32;
	}

	/**
	 * {@code --serving-only}: the first page of threads and of people (read from their
	 * summaries) at 32 clients against the SQL the gateway issued for them; no plain
	 * {@code GROUP BY} and no scan (their costs are PostgreSQL's, see {@link #rollups}).
	 */
	void groupPages(String database) throws Exception {
		for (String[] page : new String[][] { { "threads: first page of 50", "/api/v1/threads?limit=50" },
				{ "participants: first page of 50", "/api/v1/participants?limit=50" } }) {
			String url = gatewayUrl(page[1]);
			this.clients = 32;
			wrk(url, 5);
			quiesce(database);
			List<String> sql = capture(database, url);
			Load gateway = wrk(url, this.seconds);
			Load replay = pgbench(database, String.join(";\n", sql) + ";\n", this.seconds);
			log("  %s at 32 clients: gateway %s; its SQL (%d statements) %s", page[0], gateway, sql.size(), replay);
			row(page[0] + ", 32 clients", gateway.perSecond("req/s"), replay.perSecond("tps") + " (its SQL)",
					ratio(gateway.rate, replay.rate), "≥ 0.5");
			row("  same, latency p50 / p99", gateway.latencies(), "its SQL " + replay.latencies(), "", "p99 < 50 ms");
			cpuRow(gateway, replay);
		}
	}

	/**
	 * What a request costs in CPU on each side, against its SQL's transaction; the ratio
	 * is the throughput ratio the two would have on cores of their own (CPU the only
	 * bound), whatever the neighbours took meanwhile.
	 */
	void cpuRow(Load gateway, Load replay) {
		log("    CPU per request: %s (the gateway's threads: %s); its SQL: %s", gateway.cpu().perRequest("wrk", true),
				gateway.cpu().gatewayThreads(), replay.cpu().perRequest("pgbench", false));
		row("  same, CPU per request", gateway.cpu().perRequest("wrk", true),
				"its SQL: " + replay.cpu().perRequest("pgbench", false),
				ratio(replay.cpu().total(), gateway.cpu().total()), "");
	}

	// ---- rollups

	/**
	 * What keeping the rollups costs a write, in PostgreSQL alone: the same 100-row INSERT
	 * statements (a sync page) and 100-row UPDATE statements that change every row's
	 * rating, into two copies of the table, one with the rollup triggers and one without;
	 * then a rebuild of every rollup through the API (which also undoes what the copy's
	 * triggers added to them).
	 */
	void rollupMaintenance(String database) throws Exception {
		int rows = Math.min(200_000, this.rows);
		try (Connection c = connect(database); Statement s = c.createStatement()) {
			List<String> columns = new ArrayList<>();
			try (ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_name = "
					+ "'interaction' AND is_generated = 'NEVER' ORDER BY ordinal_position")) {
				while (rs.next()) {
					columns.add(rs.getString(1));
				}
			}
			String names = String.join(", ", columns);
			List<String> ids = new ArrayList<>();
			try (ResultSet rs = s.executeQuery("SELECT id FROM interaction ORDER BY created_at, id LIMIT " + rows)) {
				while (rs.next()) {
					ids.add(rs.getString(1));
				}
			}
			String[] tables = { "rollup_bare", "rollup_kept" };
			for (String table : tables) {
				s.execute("DROP TABLE IF EXISTS " + table);
				s.execute("CREATE TABLE " + table + " (LIKE interaction INCLUDING ALL)");
			}
			// every trigger the interactions have, on the copy: rollups, thread and participant summaries
			for (String kind : List.of("rollup", "thread_summary", "participant_summary")) {
				s.execute("CREATE TRIGGER kept_" + kind + "_insert AFTER INSERT ON rollup_kept REFERENCING NEW TABLE AS n "
						+ "FOR EACH STATEMENT EXECUTE FUNCTION interaction_" + kind + "_insert()");
				s.execute("CREATE TRIGGER kept_" + kind + "_update AFTER UPDATE ON rollup_kept REFERENCING OLD TABLE AS o "
						+ "NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION interaction_" + kind + "_update()");
			}
			s.execute("CHECKPOINT");
			// page by page into both copies, in turns, so neither has the warmer cache
			double[] insertMs = new double[2];
			double[] updateMs = new double[2];
			for (String statement : List.of("INSERT INTO %s (" + names + ") SELECT " + names
					+ " FROM interaction WHERE id = ANY (CAST(? AS uuid[]))",
					"UPDATE %s SET rating_normalized = 1 - rating_normalized, updated_at = now() "
							+ "WHERE id = ANY (CAST(? AS uuid[]))")) {
				double[] into = statement.startsWith("INSERT") ? insertMs : updateMs;
				try (var bare = c.prepareStatement(String.format(statement, tables[0]));
						var kept = c.prepareStatement(String.format(statement, tables[1]))) {
					for (int page = 0; page < ids.size(); page += 100) {
						java.sql.Array pageIds = c.createArrayOf("text",
								ids.subList(page, Math.min(ids.size(), page + 100)).toArray());
						for (int k = 0; k < 2; k++) {
							int which = (page / 100 + k) % 2;
							var prepared = (which == 0) ? bare : kept;
							prepared.setArray(1, pageIds);
							long start = System.nanoTime();
							prepared.executeUpdate();
							into[which] += (System.nanoTime() - start) / 1e6;
						}
					}
				}
				into[0] /= (ids.size() + 99) / 100;
				into[1] /= (ids.size() + 99) / 100;
			}
			for (String table : tables) {
				s.execute("DROP TABLE " + table);
			}
			log("rollup maintenance, %d rows in pages of 100: INSERT %.2f ms/page with, %.2f without; UPDATE %.2f with, %.2f without",
					ids.size(), insertMs[1], insertMs[0], updateMs[1], updateMs[0]);
			row("rollup and summary upkeep: a 100-row INSERT (" + ids.size() + " rows), ms per statement",
					String.format(Locale.ROOT, "%.2f ms with the triggers", insertMs[1]),
					String.format(Locale.ROOT, "%.2f ms without", insertMs[0]), ratio(insertMs[1], insertMs[0]), "");
			row("  a 100-row UPDATE changing every rating, ms per statement",
					String.format(Locale.ROOT, "%.2f ms with the triggers", updateMs[1]),
					String.format(Locale.ROOT, "%.2f ms without", updateMs[0]), ratio(updateMs[1], updateMs[0]), "");
		}
		long start = System.nanoTime();
		HttpResponse<String> rebuilt = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl("/api/v1/admin/rollups/rebuild")))
			.header("X-API-Key", KEY)
			.timeout(Duration.ofMinutes(10))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		double seconds = (System.nanoTime() - start) / 1e9;
		if (rebuilt.statusCode() != 200) {
			throw new IllegalStateException("rebuild answered " + rebuilt.statusCode() + ": " + rebuilt.body());
		}
		JsonNode answer = JSON.readTree(rebuilt.body());
		long bytes = count(database, "SELECT pg_total_relation_size('interaction_rollup')");
		log("rebuild: %s in %.1f s; interaction_rollup %d MiB", rebuilt.body(), seconds, bytes >> 20);
		row("rebuild of every rollup and summary (POST /api/v1/admin/rollups/rebuild)",
				String.format(Locale.ROOT, "%.1f s", seconds), fmt(answer.path("interactions").asLong()) + " interactions, "
						+ fmt(answer.path("threads").asLong()) + " threads, " + fmt(answer.path("participants").asLong())
						+ " people", "", "");
		row("interaction_rollup", fmt(answer.path("rollupRows").asLong()) + " rows, " + (bytes >> 20) + " MiB",
				"", "", "");
	}

	/**
	 * A dashboard's questions at 8 and 32 clients: {@code stats?groupBy=source,model&interval=day}
	 * over 30 days (answered from the rollups), the first page of threads and of people
	 * (from their summaries); each against the SQL the gateway issued for it and a plain
	 * {@code GROUP BY} of the same rows (the cost without them). The same questions with a
	 * filter no rollup or summary covers ({@code updatedSince}, {@code createdFrom} long ago)
	 * select the same rows and are computed from them: their exact figures must equal.
	 */
	void rollups(String database) throws Exception {
		String from = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(30).toString();
		dashboard(database, "stats: groupBy=source,model, interval=day, tz=Europe/Berlin, 30 days",
				"/api/v1/interactions/stats?groupBy=source,model&interval=day&tz=Europe/Berlin&createdFrom=" + from,
				"&updatedSince=2000-01-01T00:00:00Z", "groups",
				"SELECT date_trunc('day', created_at, 'Europe/Berlin'), source, model, count(*), sum(input_tokens), "
						+ "sum(output_tokens), count(rating_normalized), avg(rating_normalized), count(feedback), "
						+ "count(*) FILTER (WHERE status = 'error') FROM interaction WHERE deleted_at IS NULL "
						+ "AND created_at >= '" + from + "' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
		dashboard(database, "threads: first page of 50", "/api/v1/threads?limit=50", "&createdFrom=2000-01-01",
				"items",
				"SELECT connection, thread_id, min(source), min(COALESCE(participant_external_id, participant_id)), "
						+ "array_agg(DISTINCT model) FILTER (WHERE model IS NOT NULL), min(created_at), max(created_at), "
						+ "count(*), avg(rating_normalized), sum(input_tokens), sum(output_tokens) FROM interaction "
						+ "WHERE thread_id IS NOT NULL AND deleted_at IS NULL GROUP BY connection, thread_id "
						+ "ORDER BY max(created_at) DESC, connection DESC, thread_id DESC LIMIT 51");
		dashboard(database, "participants: first page of 50", "/api/v1/participants?limit=50",
				"&createdFrom=2000-01-01", "items",
				"SELECT participant_external_id, array_agg(DISTINCT source), array_agg(DISTINCT connection), count(*), "
						+ "count(DISTINCT thread_id), min(created_at), max(created_at), avg(rating_normalized), "
						+ "sum(input_tokens), sum(output_tokens) FROM interaction WHERE participant_external_id IS NOT NULL "
						+ "AND deleted_at IS NULL GROUP BY 1 ORDER BY max(created_at) DESC, 1 DESC LIMIT 51");
		this.clients = 32;
	}

	void dashboard(String database, String label, String path, String scanFilter, String list, String plain)
			throws Exception {
		String url = gatewayUrl(path);
		String scanUrl = url + scanFilter;
		// the first request, before the gateway keeps any answer: the rollup SQL itself
		quiesce(database);
		List<String> first = captureCold(database, url);
		JsonNode fast = JSON.readTree(getBody(url));
		JsonNode scan = JSON.readTree(getBody(scanUrl));
		if (list.equals("groups")
				&& (!"rollups".equals(fast.path("computedFrom").asString()) || !"scan".equals(scan.path("computedFrom").asString()))) {
			throw new IllegalStateException("computedFrom: " + fast.path("computedFrom") + ", " + scan.path("computedFrom"));
		}
		int items = fast.path(list).size();
		int equal = 0;
		for (int g = 0; g < Math.min(items, scan.path(list).size()); g++) {
			JsonNode a = fast.path(list).get(g);
			JsonNode b = scan.path(list).get(g);
			boolean same = true;
			for (String figure : list.equals("groups") ? List.of("bucket", "key", "count", "inputTokens", "outputTokens",
					"ratedCount", "avgRating", "feedbackCount", "errorCount", "cost") : List.copyOf(b.propertyNames())) {
				same &= a.path(figure).equals(b.path(figure));
			}
			equal += same ? 1 : 0;
		}
		log("%s: %d %s, %d from the rows, exact figures equal in %d", label, items, list, scan.path(list).size(), equal);
		row(label + ": exact figures vs the same computed from the rows", "equal in " + equal + " of " + items + " " + list,
				scan.path(list).size() + " " + list, "", "all equal");
		this.clients = 8;
		wrk(url, 5);
		quiesce(database);
		List<String> sql = capture(database, url);
		for (int clients : new int[] { 8, 32 }) {
			this.clients = clients;
			Load gateway = wrk(url, this.seconds);
			Load replay = pgbench(database, String.join(";\n", sql) + ";\n", this.seconds);
			Load aggregate = pgbench(database, plain + ";\n", this.seconds);
			log("  %s at %d clients: gateway %s; its SQL (%d statements) %s; plain GROUP BY %s", label, clients, gateway,
					sql.size(), replay, aggregate);
			row(label + ", " + clients + " clients", gateway.perSecond("req/s"), replay.perSecond("tps") + " (its SQL)",
					ratio(gateway.rate, replay.rate), "≥ 0.5");
			row("  same, vs a plain GROUP BY of the same rows", "", aggregate.perSecond("tps"),
					ratio(gateway.rate, aggregate.rate), "");
			row("  same, latency p50 / p99", gateway.latencies(),
					"its SQL " + replay.latencies() + "; plain GROUP BY " + aggregate.latencies(), "",
					(clients == 8) ? "p99 < 50 ms" : "");
		}
		if (!first.equals(sql)) {
			for (int clients : new int[] { 8, 32 }) {
				this.clients = clients;
				Load uncached = pgbench(database, String.join(";\n", first) + ";\n", this.seconds);
				log("  %s, the SQL of a first request (%d statements), %d clients: %s", label, first.size(), clients,
						uncached);
				row("  the SQL of a first request (nothing kept yet), " + clients + " clients", "",
						uncached.perSecond("tps") + ", " + uncached.latencies(), "", "");
			}
		}
		this.clients = 8;
		// the old cost: at 1 000 000 rows a scan at 8 clients can outlast the API's statement
		// timeout, and its 503s are the figure, not a failure of the bench
		String out = wrkOutput(scanUrl, this.seconds);
		Load scanned = wrkLoad(out);
		String refused = out.contains("Non-2xx") ? ", " + (long) number(out, "Non-2xx or 3xx responses:\\s+([0-9]+)")
				+ " of " + (long) number(out, "([0-9]+) requests in") + " answered 503 (tributary.api.statement-timeout)"
				: "";
		log("  %s computed from the rows, 8 clients: %s%s", label, scanned, refused);
		row("  the same computed from the rows (" + scanFilter.substring(1) + "), 8 clients",
				scanned.perSecond("req/s") + ", " + scanned.latencies() + refused, "", "", "");
	}

	// ---- export

	/**
	 * Every interaction through the export, CSV and NDJSON, on the gateway started with
	 * {@code -Xmx256m}, against PostgreSQL's {@code COPY} of the same columns; the heap is
	 * sampled every 100 ms during each export and during as long a time of idleness.
	 */
	void export(String database) throws Exception {
		String columns = "id, source, connection, source_id, thread_id, participant_id, participant_external_id, "
				+ "participant_type, organization_id, product_id, version_id, model, status, input_text, output_text, "
				+ "input_tokens, output_tokens, rating, rating_min, rating_max, rating_normalized, feedback, created_at, "
				+ "updated_at, deleted_at";
		long copyStart = System.nanoTime();
		long copied;
		try (Connection c = connect(database)) {
			copied = new org.postgresql.copy.CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class)).copyOut(
					"COPY (SELECT " + columns + " FROM interaction WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC) TO STDOUT (FORMAT csv)",
					OutputStream.nullOutputStream());
		}
		double copySeconds = (System.nanoTime() - copyStart) / 1e9;
		for (String format : List.of("csv", "ndjson")) {
			long started = System.nanoTime();
			HeapSampler during = new HeapSampler();
			long lines = 0;
			long bytes = 0;
			HttpResponse<java.io.InputStream> response = HTTP.send(
					HttpRequest.newBuilder(URI.create(gatewayUrl("/api/v1/interactions/export?format=" + format)))
						.header("X-API-Key", KEY)
						.build(),
					HttpResponse.BodyHandlers.ofInputStream());
			try (java.io.InputStream body = response.body()) {
				byte[] buffer = new byte[1 << 16];
				int read;
				while ((read = body.read(buffer)) > 0) {
					bytes += read;
					for (int i = 0; i < read; i++) {
						if (buffer[i] == '\n') {
							lines++;
						}
					}
				}
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			during.stop();
			HeapSampler idle = new HeapSampler();
			Thread.sleep((long) Math.min(seconds * 1000, 30_000));
			idle.stop();
			long rows = format.equals("csv") ? lines - 1 : lines;
			log("  export %s: %d rows (%d MiB) in %.1f s; heap during %s, idle %s", format, rows, bytes >> 20, seconds,
					during, idle);
			row("export " + format + " (-Xmx256m), " + rows + " rows", fmt(rows / seconds) + " rows/s",
					"COPY csv " + fmt(copied / copySeconds) + " rows/s", ratio(rows / seconds, copied / copySeconds), "");
			row("  heap used while exporting (max / median)", during.describe(), "idle " + idle.describe(),
					String.format(Locale.ROOT, "%+d MiB max", (during.max() - idle.max()) >> 20), "a few tens of MiB");
		}
	}

	/** Samples the gateway's used heap every 100 ms, from its metrics endpoint. */
	final class HeapSampler {

		private final List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());

		private final Thread thread;

		private volatile boolean stopped;

		HeapSampler() {
			this.thread = new Thread(() -> {
				while (!this.stopped) {
					try {
						JsonNode metric = JSON.readTree(
								getBody(gatewayUrl("/actuator/metrics/jvm.memory.used?tag=area:heap")));
						this.samples.add(metric.at("/measurements/0/value").asLong());
						Thread.sleep(100);
					}
					catch (Exception ex) {
						return;
					}
				}
			});
			this.thread.setDaemon(true);
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.stopped = true;
			this.thread.join();
		}

		long max() {
			return this.samples.stream().mapToLong(Long::longValue).max().orElse(0);
		}

		String describe() {
			long[] sorted = this.samples.stream().mapToLong(Long::longValue).sorted().toArray();
			long median = (sorted.length > 0) ? sorted[sorted.length / 2] : 0;
			return (max() >> 20) + " / " + (median >> 20) + " MiB (" + sorted.length + " samples)";
		}

		@Override
		public String toString() {
			return describe();
		}

	}

	record Load(double rate, double p50Ms, double p99Ms, Cpu cpu) {

		Load(double rate, double p50Ms, double p99Ms) {
			this(rate, p50Ms, p99Ms, null);
		}

		String perSecond(String unit) {
			return fmt(this.rate) + " " + unit;
		}

		String latencies() {
			return String.format(Locale.ROOT, "%.1f / %.1f ms", this.p50Ms, this.p99Ms);
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%.0f/s p50 %.1f ms p99 %.1f ms", this.rate, this.p50Ms, this.p99Ms);
		}

	}

	Load wrk(String url, int seconds) throws Exception {
		Cpu before = Cpu.now(this.gateway, this.postgres);
		String out = wrkOutput(url, seconds);
		if (out.contains("Non-2xx")) {
			throw new IllegalStateException("wrk saw errors:\n" + out);
		}
		Load load = wrkLoad(out);
		return new Load(load.rate, load.p50Ms, load.p99Ms,
				Cpu.now(this.gateway, this.postgres).minus(before, number(out, "([0-9]+) requests in")));
	}

	/** The gateway serving the loads, whose CPU time {@link #wrk} counts; null for none. */
	Process gateway;

	/**
	 * CPU time per request (or per transaction) of each side of a load, from /proc: the
	 * gateway process, PostgreSQL (the postmaster, its live backends and the ones it
	 * reaped), and the load generator (wrk or pgbench: this process's reaped children). On
	 * a shared machine throughput moves with the neighbours; the CPU a request costs much
	 * less.
	 */
	record Cpu(double gateway, double postgres, double client, double[] threads) {

		Cpu(double gateway, double postgres, double client) {
			this(gateway, postgres, client, new double[THREADS.length]);
		}

		/** The gateway's threads by name (/proc/<pid>/task/<tid>/comm), in the order of {@link #threads}. */
		static final String[][] THREADS = { { "requests", "http-nio" }, { "JIT", "C1 Compi", "C2 Compi" },
				{ "GC", "GC Thread", "G1 " }, { "JFR", "JFR " } };

		/** CPU seconds of the gateway's threads, summed per {@link #THREADS} group. */
		static double[] threads(Process gateway) {
			double[] sums = new double[THREADS.length];
			if (gateway == null) {
				return sums;
			}
			try (var tasks = Files.list(Path.of("/proc/" + gateway.pid() + "/task"))) {
				for (Path task : tasks.toList()) {
					String name = Files.readString(task.resolve("comm")).strip();
					for (int g = 0; g < THREADS.length; g++) {
						for (int k = 1; k < THREADS[g].length; k++) {
							if (name.startsWith(THREADS[g][k])) {
								String stat = Files.readString(task.resolve("stat"));
								String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
								sums[g] += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK;
							}
						}
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// a thread ended meanwhile: this sample is short of it
			}
			return sums;
		}

		/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times. */
		static final double TICK = 0.01;

		static Cpu now(Process gateway, EmbeddedPostgres postgres) {
			double pg = 0;
			try {
				long postmaster = Long.parseLong(Files.readAllLines(WORK.resolve("pg/postmaster.pid")).get(0).strip());
				long[] own = stat(postmaster);
				pg = own[0] + own[1] + own[2] + own[3];
				try (var procs = Files.list(Path.of("/proc"))) {
					for (Path proc : procs.filter((p) -> p.getFileName().toString().matches("\\d+")).toList()) {
						long[] child = stat(Long.parseLong(proc.getFileName().toString()));
						if (child[4] == postmaster) {
							pg += child[0] + child[1];
						}
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				pg = Double.NaN;
			}
			long[] self = stat(ProcessHandle.current().pid());
			long[] gw = (gateway != null) ? stat(gateway.pid()) : new long[5];
			return new Cpu((gw[0] + gw[1]) * TICK, pg * TICK, (self[2] + self[3]) * TICK, threads(gateway));
		}

		/** @return utime, stime, cutime, cstime, ppid of {@code pid} (zeros once gone) */
		static long[] stat(long pid) {
			try {
				String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
				String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				// after the name: state ppid … utime (14th field of the line) is f[11]
				return new long[] { Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
						Long.parseLong(f[14]), Long.parseLong(f[1]) };
			}
			catch (IOException | RuntimeException ex) {
				return new long[5];
			}
		}

		/** Per request: what each side used since {@code before}, over {@code requests}. */
		Cpu minus(Cpu before, double requests) {
			double[] threads = new double[THREADS.length];
			for (int g = 0; g < threads.length; g++) {
				threads[g] = (this.threads[g] - before.threads[g]) / requests;
			}
			return new Cpu((this.gateway - before.gateway) / requests, (this.postgres - before.postgres) / requests,
					(this.client - before.client) / requests, threads);
		}

		/** The CPU of a request, in ms, each side; {@code client} names the load generator. */
		String perRequest(String client, boolean withGateway) {
			return (withGateway ? String.format(Locale.ROOT, "gateway %.3f + ", this.gateway * 1000) : "")
					+ String.format(Locale.ROOT, "PostgreSQL %.3f + %s %.3f ms", this.postgres * 1000, client,
							this.client * 1000);
		}

		/** The gateway's CPU per request by its threads: requests, JIT, GC, JFR, the rest. */
		String gatewayThreads() {
			StringBuilder out = new StringBuilder();
			double rest = this.gateway;
			for (int g = 0; g < THREADS.length; g++) {
				out.append(String.format(Locale.ROOT, "%s %.3f, ", THREADS[g][0], this.threads[g] * 1000));
				rest -= this.threads[g];
			}
			return out.append(String.format(Locale.ROOT, "other %.3f ms", rest * 1000)).toString();
		}

		double total() {
			return this.gateway + this.postgres + this.client;
		}

	}

	/** What {@code wrk -t2 -c<clients> --latency} prints for {@code url} with the bench's key. */
	String wrkOutput(String url, int seconds) throws Exception {
		// a minute before wrk gives a request up (its default, 2 s, would drop the slow baselines' answers)
		return exec(List.of("wrk", "-t2", "-c" + this.clients, "-d" + seconds + "s", "--timeout", "60s", "--latency", "-H", "X-API-Key: " + KEY, url));
	}

	static Load wrkLoad(String out) {
		return new Load(number(out, "Requests/sec:\\s+([0-9.]+)"), wrkLatency(out, "50%"), wrkLatency(out, "99%"));
	}

	static double wrkLatency(String out, String percentile) {
		Matcher m = Pattern.compile(percentile + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
		if (!m.find()) {
			throw new IllegalStateException("no " + percentile + " in wrk output:\n" + out);
		}
		double value = Double.parseDouble(m.group(1));
		return switch (m.group(2)) {
			case "us" -> value / 1000;
			case "s" -> value * 1000;
			default -> value;
		};
	}

	/** Clients of the load being measured: 32, or 4 for the rollups (each a scan of many rows). */
	int clients = 32;

	Load pgbench(String database, String script, int seconds) throws Exception {
		Path file = WORK.resolve("pgbench.sql");
		Files.writeString(file, script);
		Path logs = WORK.resolve("pgbench-log");
		deleteTree(logs);
		Files.createDirectories(logs);
		Cpu before = Cpu.now(null, this.postgres);
		String out = exec(List.of("pgbench", "-n", "-M", "prepared", "-c", String.valueOf(this.clients), "-j", "2", "-T", String.valueOf(seconds),
				"-h", "127.0.0.1", "-p", String.valueOf(PG_PORT), "-U", "postgres", "-f", file.toString(), "-l",
				"--log-prefix=" + logs.resolve("tx"), database));
		double tps = number(out, "tps = ([0-9.]+) \\(without initial connection time\\)");
		Cpu cpu = Cpu.now(null, this.postgres).minus(before, number(out, "number of transactions actually processed: ([0-9]+)"));
		List<Double> latencies = new ArrayList<>();
		try (var files = Files.list(logs)) {
			for (Path log : files.toList()) {
				for (String line : Files.readAllLines(log)) {
					String[] fields = line.split(" ");
					latencies.add(Long.parseLong(fields[2]) / 1000.0);
				}
			}
		}
		double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return new Load(tps, percentile(sorted, 0.50), percentile(sorted, 0.99), cpu);
	}

	/**
	 * The statements the gateway issues for one request, with their parameters inlined, from
	 * PostgreSQL's statement log.
	 */
	/** Waits until no statement of the database runs (the warm-up's last requests have ended). */
	void quiesce(String database) throws Exception {
		waitFor(() -> count("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
				+ "' AND state = 'active' AND pid <> pg_backend_pid()") == 0, 120);
	}

	List<String> capture(String database, String url) throws Exception {
		// a request just before, so what the gateway keeps for a few seconds (the freshness
		// of the connections) is kept, as it is under load: the statements of every request
		get(url);
		return captureCold(database, url);
	}

	/** The statements of one request to {@code url}, without a request just before. */
	List<String> captureCold(String database, String url) throws Exception {
		Path csv = PG_LOG_DIR.resolve("pg.csv");
		try (Connection c = admin(); Statement s = c.createStatement()) {
			s.execute("ALTER SYSTEM SET log_min_duration_statement = 0");
			s.execute("SELECT pg_reload_conf()");
			Thread.sleep(500);
			long offset = Files.exists(csv) ? Files.size(csv) : 0;
			if (get(url).statusCode() != 200) {
				throw new IllegalStateException(url);
			}
			Thread.sleep(500);
			s.execute("ALTER SYSTEM RESET log_min_duration_statement");
			s.execute("SELECT pg_reload_conf()");
			byte[] all = Files.readAllBytes(csv);
			String text = new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
			List<String> statements = new ArrayList<>();
			for (List<String> record : csvRecords(text)) {
				String message = record.size() > 13 ? record.get(13) : "";
				String detail = record.size() > 14 ? record.get(14) : "";
				Matcher m = Pattern.compile("(?s)duration: [0-9.]+ ms\\s+execute [^:]*: (.*)").matcher(message);
				if (!m.matches() || !record.get(2).equals(database)) {
					continue;
				}
				String sql = m.group(1);
				if (sql.contains("pg_reload_conf") || sql.contains("ALTER SYSTEM")) {
					continue;
				}
				statements.add(inline(sql, detail));
			}
			if (statements.isEmpty()) {
				throw new IllegalStateException("no statement of the gateway in the log for " + url);
			}
			return statements;
		}
	}

	static String inline(String sql, String detail) {
		Map<Integer, String> values = new LinkedHashMap<>();
		Matcher p = Pattern.compile("\\$(\\d+) = ('(?:[^']|'')*'|NULL)").matcher(detail);
		while (p.find()) {
			values.put(Integer.parseInt(p.group(1)), p.group(2));
		}
		List<Integer> indexes = new ArrayList<>(values.keySet());
		indexes.sort((a, b) -> b - a);
		for (int index : indexes) {
			sql = sql.replace("$" + index, values.get(index));
		}
		return sql.strip();
	}

	static List<List<String>> csvRecords(String text) {
		List<List<String>> records = new ArrayList<>();
		List<String> record = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < text.length(); i++) {
			char ch = text.charAt(i);
			if (quoted) {
				if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (ch == '"') {
					quoted = false;
				}
				else {
					field.append(ch);
				}
			}
			else if (ch == '"') {
				quoted = true;
			}
			else if (ch == ',') {
				record.add(field.toString());
				field.setLength(0);
			}
			else if (ch == '\n') {
				record.add(field.toString());
				field.setLength(0);
				records.add(record);
				record = new ArrayList<>();
			}
			else {
				field.append(ch);
			}
		}
		return records;
	}

	// ---- deep pages and the idle run

	void deepPages() throws Exception {
		int target = Math.min(20_000, this.rows / 50 - 1);
		String base = gatewayUrl("/api/v1/interactions?limit=50");
		String cursor = null;
		long start = System.nanoTime();
		for (int page = 2; page <= target; page++) {
			JsonNode body = JSON.readTree(getBody(cursor == null ? base : base + "&cursor=" + cursor));
			cursor = body.path("page").path("nextCursor").asString();
			if (cursor == null || cursor.isEmpty()) {
				throw new IllegalStateException("no next cursor after page " + (page - 1));
			}
		}
		log("walked %d pages in %.1f s", target, (System.nanoTime() - start) / 1e9);
		String deep = base + "&cursor=" + cursor;
		double first = medianMs(base, 30);
		double last = medianMs(deep, 30);
		row("keyset page " + target + " vs page 1, median of 30", String.format(Locale.ROOT, "%.2f ms", last),
				String.format(Locale.ROOT, "page 1: %.2f ms", first), ratio(last, first), "≤ 1.5");
		double counted = medianMs(base + "&includeTotal=true", 10);
		row("page 1 with includeTotal=true (an exact count), median of 10",
				String.format(Locale.ROOT, "%.2f ms", counted), String.format(Locale.ROOT, "without: %.2f ms", first),
				ratio(counted, first), "");
	}

	double medianMs(String url, int times) throws Exception {
		double[] ms = new double[times];
		for (int i = 0; i < 5; i++) {
			getBody(url);
		}
		for (int i = 0; i < times; i++) {
			long start = System.nanoTime();
			getBody(url);
			ms[i] = (System.nanoTime() - start) / 1e6;
		}
		Arrays.sort(ms);
		return percentile(ms, 0.5);
	}

	void idleRun() throws Exception {
		String stats = "http://127.0.0.1:" + UPSTREAM_PORT + "/__stats";
		HTTP.send(HttpRequest.newBuilder(URI.create(stats + "/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		for (String connection : CONNECTIONS) {
			long run = JSON.readTree(post(gatewayUrl("/api/v1/sources/" + connection + "/sync?mode=incremental")))
				.path("runId")
				.asLong();
			waitFor(() -> !"running".equals(
					JSON.readTree(getBody(gatewayUrl("/api/v1/sync-runs/" + run))).path("outcome").asString()), 120);
		}
		JsonNode counts = JSON.readTree(getBody(stats));
		StringBuilder perPath = new StringBuilder();
		for (var entry : counts.properties()) {
			perPath.append(perPath.isEmpty() ? "" : ", ").append(entry.getKey()).append(' ').append(entry.getValue().asInt());
		}
		log("idle incremental run, upstream requests: %s", perPath);
		row("idle incremental run: upstream requests per stream", perPath.toString(), "", "", "≤ 2 per stream");
	}

	// ---- helpers

	interface Check {

		boolean ok() throws Exception;

	}

	static void waitFor(Check check, int seconds) throws Exception {
		long deadline = System.nanoTime() + seconds * 1_000_000_000L;
		while (true) {
			try {
				if (check.ok()) {
					return;
				}
			}
			catch (IOException ex) {
				// not up yet
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("gave up waiting after " + seconds + " s");
			}
			Thread.sleep(250);
		}
	}

	static String gatewayUrl(String path) {
		return "http://127.0.0.1:" + GATEWAY_PORT + path;
	}

	static HttpResponse<String> get(String url) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", KEY).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	static String getBody(String url) throws Exception {
		HttpResponse<String> response = get(url);
		if (response.statusCode() != 200) {
			throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	static String post(String url) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
			.header("X-API-Key", KEY)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 202) {
			throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	Connection admin() throws Exception {
		return connect("postgres");
	}

	static Connection connect(String database) throws Exception {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + database, "postgres",
				"postgres");
	}

	static long count(String database, String sql) throws Exception {
		try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	static long rssKb(Process process, String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
				if (line.startsWith(field + ":")) {
					return Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
		}
		catch (IOException ex) {
			// gone
		}
		return 0;
	}

	static String exec(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
		}
		return out;
	}

	static double number(String text, String regex) {
		Matcher m = Pattern.compile(regex).matcher(text);
		if (!m.find()) {
			throw new IllegalStateException("no /" + regex + "/ in:\n" + text);
		}
		return Double.parseDouble(m.group(1));
	}

	static double percentile(double[] sorted, double p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
	}

	static String javaBin() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	static void deleteTree(Path path) throws IOException {
		if (Files.exists(path)) {
			try (var walk = Files.walk(path)) {
				walk.sorted((a, b) -> b.compareTo(a)).forEach((p) -> p.toFile().delete());
			}
		}
	}

	static String fmt(double value) {
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	static String ratio(double value, double baseline) {
		return String.format(Locale.ROOT, "%.2f", value / baseline);
	}

	static String mib(long kb) {
		return (kb / 1024) + " MiB";
	}

	void row(String... cells) {
		this.table.add(cells);
	}

	static void log(String format, Object... args) {
		System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
	}

	void stopAll() {
		for (Process upstream : this.upstreams) {
			upstream.destroy();
		}
		try {
			if (this.postgres != null) {
				this.postgres.close();
			}
		}
		catch (IOException ex) {
			// exiting anyway
		}
	}

	/** What the run's heading in RESULTS.md says after its date and commit. */
	String heading() {
		return fmt(this.rows) + " interactions";
	}

	void print() throws Exception {
		StringBuilder out = new StringBuilder();
		out.append("| figure | gateway | baseline (same run) | ratio | target |\n|---|---|---|---|---|\n");
		for (String[] cells : this.table) {
			out.append("| ").append(String.join(" | ", cells)).append(" |\n");
		}
		String header = String.format(Locale.ROOT, "## %s, commit %s, %s%n%nMachine: %s%n%n", LocalDate.now(),
				exec(List.of("git", "describe", "--always", "--dirty")).strip(), heading(), machine());
		System.out.println();
		System.out.print(header);
		System.out.print(out);
		if (this.write) {
			Path results = Path.of("bench/RESULTS.md");
			if (!Files.exists(results)) {
				Files.writeString(results, "# Benchmark results\n\nWritten by `bench/run.sh --write`; newest last.\n\n");
			}
			Files.writeString(results, header + out + "\n", java.nio.file.StandardOpenOption.APPEND);
			log("added to %s", results);
		}
	}

	static String machine() throws Exception {
		String cpu = Files.readAllLines(Path.of("/proc/cpuinfo"))
			.stream()
			.filter((l) -> l.startsWith("model name"))
			.findFirst()
			.map((l) -> l.substring(l.indexOf(':') + 1).strip())
			.orElse("unknown CPU");
		long memKb = Files.readAllLines(Path.of("/proc/meminfo"))
			.stream()
			.filter((l) -> l.startsWith("MemTotal"))
			.mapToLong((l) -> Long.parseLong(l.replaceAll("\\D", "")))
			.findFirst()
			.orElse(0);
		return String.format(Locale.ROOT, "%d cores (%s), %d GiB, Java %s, %s", Runtime.getRuntime().availableProcessors(),
				cpu, memKb / 1024 / 1024, System.getProperty("java.version"), exec(List.of("pgbench", "--version")).strip());
	}

}

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Issue 20's bulkheads under load (see bench/README.md, "Bulkheads under load"), on the
 * gateway started with {@code -Xmx256m}: list pages and a full sync while twelve CSV
 * exports are read at a trickle, and three odd but valid upstream items synced among
 * ordinary ones. Reuses {@link Bench}'s processes, loads and table; bench/bulkheads.sh
 * compiles the two together and runs this.
 */
public class BulkheadBench extends Bench {

	/** The exporters' keys (bench/gateway-bench.yml), three exports each. */
	static final String[] EXPORTERS = { "tributary-bench-exporter-1", "tributary-bench-exporter-2",
			"tributary-bench-exporter-3", "tributary-bench-exporter-4" };

	static final int EXPORTS = 12;

	/** Bytes each trickling export reads per 250 ms: 2 KiB a second. */
	static final int SIP = 512;

	/** The upstreams of the odd-payload phase: ordinary items only, and with the odd ones. */
	static final int PLAIN_PORT = UPSTREAM_PORT + 1;

	static final int ODD_PORT = UPSTREAM_PORT + 2;

	/** Ordinary items per kind around the odd ones, as in the trial. */
	static final int ODD_PER_KIND = 600;

	/**
	 * How each odd item of bench/FastUpstreams.java {@code --odd} is found stored whole,
	 * per connection.
	 */
	static final Map<String, String[]> ODD_ITEMS = new LinkedHashMap<>();

	static {
		ODD_ITEMS.put("greenflash-bench", new String[] { "Greenflash message of 300 KB of `a.`",
				"SELECT count(*) FROM interaction WHERE connection = 'greenflash-bench' AND length(input_text) >= 300000" });
		ODD_ITEMS.put("zylon-bench", new String[] { "Zylon `user_input._meta` nested 800 deep",
				"SELECT count(*) FROM interaction WHERE connection = 'zylon-bench' AND raw #> '{user_input,_meta"
						+ ",n".repeat(799) + "}' = '{}'::jsonb" });
		ODD_ITEMS.put("flockx-bench", new String[] { "Flockx answer of 5 MB",
				"SELECT count(*) FROM interaction WHERE connection = 'flockx-bench'"
						+ " AND greatest(length(input_text), length(output_text)) >= 4990000" });
	}

	public static void main(String[] args) throws Exception {
		Args parsed = Args.parse(args, 200_000, 15, "--odd-only");
		new BulkheadBench(parsed.rows(), parsed.seconds(), parsed.write()).run();
	}

	BulkheadBench(int rows, int seconds, boolean write) {
		super(rows, seconds, write);
		this.clients = 8;
	}

	@Override
	String heading() {
		return fmt(this.rows) + " interactions, bulkheads under load (`bash bench/bulkheads.sh`), gateway "
				+ String.join(" ", CONSTRAINED);
	}

	@Override
	void run() throws Exception {
		Path jar = jar();
		startPostgres();
		if (!Boolean.getBoolean("bench.odd-only")) {
			startUpstream(UPSTREAM_PORT, (this.rows + 2) / 3);
			trickle(jar);
		}
		oddPayloads(jar);
		print();
	}

	// ---- twelve exports at a trickle

	void trickle(Path jar) throws Exception {
		String database = "bench_bulkheads";
		Ingest fill = ingest(jar, database, CONSTRAINED);
		Process gateway = fill.gateway();
		try {
			try (Connection c = connect(database); Statement s = c.createStatement()) {
				s.execute("VACUUM ANALYZE interaction");
			}
			String list = gatewayUrl("/api/v1/interactions?limit=50");
			wrk(list, 5);
			Load before = wrk(list, this.seconds);
			log("list page, %d clients, no exports: %s", this.clients, before);
			log("full sync, no exports");
			Sync quiet = syncAll(gateway, database, "full");
			quiet.check();
			log("  %.1f s", quiet.seconds());

			log("%d CSV exports read at %d B/s each, %d keys", EXPORTS, SIP * 4, EXPORTERS.length);
			List<Trickle> exports = new ArrayList<>();
			Load during;
			long failed;
			String running;
			Sync loaded;
			long heldFor;
			try {
				for (int i = 0; i < EXPORTS; i++) {
					Trickle export = new Trickle(EXPORTERS[i / (EXPORTS / EXPORTERS.length)]);
					exports.add(export);
					export.open();
					log("  export %2d (%s): %d in %.0f ms%s", i + 1, export.key.substring("tributary-bench-".length()),
							export.status, export.answeredMs,
							(export.retryAfter != null) ? ", Retry-After " + export.retryAfter : "");
				}
				long trickleStart = System.nanoTime();
				Thread.sleep(5_000);
				running = metric("tributary.exports.running", "") + " running, export pool "
						+ metric("hikaricp.connections.active", "pool:export") + " active";
				log("  %s", running);
				String out = wrkOutput(list, this.seconds);
				during = wrkLoad(out);
				failed = failures(out);
				log("list page, %d clients, during the exports: %s, %d failed", this.clients, during, failed);
				log("full sync during the exports");
				loaded = syncAll(gateway, database, "full");
				loaded.log();
				log("  %.1f s", loaded.seconds());
				heldFor = (System.nanoTime() - trickleStart) / 1_000_000_000L;
			}
			finally {
				for (Trickle export : exports) {
					export.close();
				}
			}

			long ok = exports.stream().filter((e) -> e.status == 200).count();
			long perKey = exports.stream().filter((e) -> e.status == 429).count();
			long busy = exports.stream().filter((e) -> e.status == 503).count();
			long withRetryAfter = exports.stream().filter((e) -> e.status != 200 && e.retryAfter != null).count();
			double slowestRefusal = exports.stream()
				.filter((e) -> e.status != 200)
				.mapToDouble((e) -> e.answeredMs)
				.max()
				.orElse(0);
			List<Trickle> streaming = exports.stream().filter((e) -> e.status == 200).toList();
			long cut = streaming.stream().filter((e) -> e.ended).count();
			long least = streaming.stream().mapToLong((e) -> e.bytes).min().orElse(0);
			long most = streaming.stream().mapToLong((e) -> e.bytes).max().orElse(0);
			log("exports: %d × 200, %d × 429, %d × 503 (%d with Retry-After, slowest refusal %.0f ms); streaming ones read "
					+ "%d–%d bytes in %d s, %d cut off", ok, perKey, busy, withRetryAfter, slowestRefusal, least, most,
					heldFor, cut);

			row("list page (GET /api/v1/interactions?limit=50), " + this.clients + " clients, " + this.seconds
					+ " s, during " + EXPORTS + " trickling exports", during.perSecond("req/s"),
					"no exports " + before.perSecond("req/s"), ratio(during.rate(), before.rate()), "≈ 1");
			row("  same, latency p50 / p99", during.latencies(), "no exports " + before.latencies(),
					ratio(during.p99Ms(), before.p99Ms()) + " (p99)", "usual latency");
			row("  same, answers other than 2xx, or socket errors", String.valueOf(failed), "", "", "0");
			row(EXPORTS + " CSV exports at " + (SIP * 4) + " B/s, " + EXPORTERS.length + " keys × "
					+ (EXPORTS / EXPORTERS.length) + ": answers", ok + " × 200, " + perKey + " × 429, " + busy + " × 503",
					"", "", "≤ 4 × 200 (max-concurrent), the rest 429 / 503");
			row("  refusals with Retry-After; slowest refusal", withRetryAfter + " of " + (perKey + busy) + "; "
					+ String.format(Locale.ROOT, "%.0f ms", slowestRefusal), "", "", "all, at once");
			row("  streaming exports: bytes read each in " + heldFor + " s, cut off; the gateway's metrics",
					String.format(Locale.ROOT, "%,d–%,d B (%.0f B/s), %d cut off; %s", least, most,
							(double) most / heldFor, cut, running),
					"", "", "0 cut off (idle-timeout 60 s)");
			row("full sync of all connections (" + fmt(fill.stored()) + " rows) during the exports",
					(loaded.succeeded() ? "succeeded" : "FAILED") + String.format(Locale.ROOT, ", %.1f s", loaded.seconds()),
					String.format(Locale.ROOT, "no exports: %.1f s", quiet.seconds()),
					ratio(loaded.seconds(), quiet.seconds()), "succeeds");
			row("peak RSS of the gateway (fill, syncs, exports)", mib(rssKb(gateway, "VmHWM")), "", "", "≤ 512 MiB");
		}
		finally {
			gateway.destroy();
			gateway.waitFor();
		}
	}

	/** The value of an Actuator metric, optionally with one {@code tag:value}. */
	static String metric(String name, String tag) throws Exception {
		JsonNode metric = JSON.readTree(
				getBody(gatewayUrl("/actuator/metrics/" + name + (tag.isEmpty() ? "" : "?tag=" + tag))));
		return String.valueOf(metric.at("/measurements/0/value").asLong());
	}

	/** Non-2xx answers and socket errors of a wrk run. */
	static long failures(String wrk) {
		long failures = 0;
		var non2xx = java.util.regex.Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(wrk);
		if (non2xx.find()) {
			failures += Long.parseLong(non2xx.group(1));
		}
		var socket = java.util.regex.Pattern
			.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
			.matcher(wrk);
		if (socket.find()) {
			for (int g = 1; g <= 4; g++) {
				failures += Long.parseLong(socket.group(g));
			}
		}
		return failures;
	}

	/**
	 * One CSV export over a raw socket with a small receive buffer, read {@link #SIP}
	 * bytes every 250 ms (a browser on a poor link) until closed.
	 */
	static final class Trickle {

		final String key;

		final Socket socket = new Socket();

		int status;

		String retryAfter;

		double answeredMs;

		volatile long bytes;

		/** The gateway ended the answer (cut it off) while it was being read. */
		volatile boolean ended;

		volatile boolean stopped;

		Thread reader;

		Trickle(String key) {
			this.key = key;
		}

		void open() throws IOException {
			this.socket.setReceiveBufferSize(4096);
			long start = System.nanoTime();
			this.socket.connect(new InetSocketAddress("127.0.0.1", GATEWAY_PORT), 5_000);
			this.socket.setSoTimeout(60_000);
			OutputStream out = this.socket.getOutputStream();
			out.write(("GET /api/v1/interactions/export?format=csv HTTP/1.1\r\nHost: 127.0.0.1:" + GATEWAY_PORT
					+ "\r\nX-API-Key: " + this.key + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = this.socket.getInputStream();
			String head = head(in);
			this.answeredMs = (System.nanoTime() - start) / 1e6;
			this.status = Integer.parseInt(head.split(" ", 3)[1]);
			for (String line : head.split("\r\n")) {
				if (line.regionMatches(true, 0, "Retry-After:", 0, 12)) {
					this.retryAfter = line.substring(12).strip();
				}
			}
			if (this.status != 200) {
				this.socket.setSoTimeout(5_000);
				try {
					in.readAllBytes();
				}
				catch (SocketTimeoutException ex) {
					// the problem body is read; the gateway keeps the connection
				}
				this.socket.close();
				return;
			}
			this.reader = new Thread(() -> {
				byte[] sip = new byte[SIP];
				try {
					while (!this.stopped) {
						int read = in.read(sip);
						if (read < 0) {
							this.ended = true;
							return;
						}
						this.bytes += read;
						Thread.sleep(250);
					}
				}
				catch (IOException ex) {
					this.ended = !this.stopped;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			this.reader.setDaemon(true);
			this.reader.start();
		}

		/** The status line and headers, up to the blank line. */
		static String head(InputStream in) throws IOException {
			StringBuilder head = new StringBuilder();
			int b;
			while ((b = in.read()) >= 0) {
				head.append((char) b);
				if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
					return head.toString();
				}
			}
			throw new IOException("the gateway closed the connection before its answer's headers: " + head);
		}

		void close() throws InterruptedException {
			this.stopped = true;
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
			if (this.reader != null) {
				this.reader.join(5_000);
			}
		}

	}

	// ---- odd payloads

	record OddRun(Sync sync, Map<String, Double> storedAfter, long peakRssKb, long stored) {
	}

	void oddPayloads(Path jar) throws Exception {
		startUpstream(PLAIN_PORT, ODD_PER_KIND);
		startUpstream(ODD_PORT, ODD_PER_KIND, "--odd");
		OddRun plain = oddRun(jar, "bench_plain", PLAIN_PORT);
		OddRun odd = oddRun(jar, "bench_odd", ODD_PORT);
		for (var item : ODD_ITEMS.entrySet()) {
			String connection = item.getKey();
			Double storedAfter = odd.storedAfter().get(connection);
			JsonNode run = odd.sync().runs().get(connection);
			row(item.getValue()[0] + " among " + ODD_PER_KIND + " ordinary items: stored after; its run",
					((storedAfter != null) ? String.format(Locale.ROOT, "%.1f s", storedAfter) : "NOT STORED")
							+ String.format(Locale.ROOT, "; run %s in %.1f s, %d rejected", run.path("outcome").asString(),
									odd.sync().runSeconds(connection), run.path("rejected").asInt()),
					String.format(Locale.ROOT, "ordinary only: run %.1f s", plain.sync().runSeconds(connection)),
					ratio(odd.sync().runSeconds(connection), plain.sync().runSeconds(connection)), "within seconds");
		}
		row("  all three connections synced (" + odd.stored() + " rows)",
				String.format(Locale.ROOT, "%.1f s", odd.sync().seconds()),
				String.format(Locale.ROOT, "ordinary only (%d rows): %.1f s", plain.stored(), plain.sync().seconds()),
				ratio(odd.sync().seconds(), plain.sync().seconds()), "");
		row("  peak RSS of the gateway (start and sync)", mib(odd.peakRssKb()), "ordinary only " + mib(plain.peakRssKb()),
				ratio(odd.peakRssKb(), plain.peakRssKb()), "≤ 512 MiB");
	}

	/**
	 * A fresh gateway started with {@code -Xmx256m} on a fresh database, a full sync of
	 * every connection against the upstreams on {@code port}, the odd items looked for
	 * every 100 ms.
	 */
	OddRun oddRun(Path jar, String database, int port) throws Exception {
		createDatabase(database);
		Process gateway = startGateway(jar, database, CONSTRAINED, port);
		try (Connection c = connect(database); Statement s = c.createStatement()) {
			Map<String, Double> storedAfter = new LinkedHashMap<>();
			long start = System.nanoTime();
			Check look = () -> {
				for (var item : ODD_ITEMS.entrySet()) {
					if (!storedAfter.containsKey(item.getKey())) {
						try (ResultSet rs = s.executeQuery(item.getValue()[1])) {
							rs.next();
							if (rs.getLong(1) > 0) {
								storedAfter.put(item.getKey(), (System.nanoTime() - start) / 1e9);
							}
						}
					}
				}
				return true;
			};
			log("full sync, %d items per kind%s", ODD_PER_KIND, (port == ODD_PORT) ? ", odd ones among them" : "");
			Sync sync = syncAll(gateway, database, "full", 100, look);
			look.ok();
			sync.log();
			long stored = count(database, "SELECT count(*) FROM interaction");
			long peak = rssKb(gateway, "VmHWM");
			log("  %d rows in %.1f s, odd items stored after %s, peak RSS %s", stored, sync.seconds(), storedAfter,
					mib(peak));
			return new OddRun(sync, storedAfter, peak, stored);
		}
		finally {
			gateway.destroy();
			gateway.waitFor();
		}
	}

}

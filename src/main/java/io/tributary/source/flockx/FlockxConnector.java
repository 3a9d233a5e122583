package io.tributary.source.flockx;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.Existence;
import io.tributary.source.KindSettings;
import io.tributary.source.KnownVersions;
import io.tributary.source.Paging;
import io.tributary.source.SourceConnector;
import io.tributary.source.SourceKind;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncRequest;
import io.tributary.source.UpstreamClients;
import io.tributary.source.UpstreamException;
import io.tributary.source.UpstreamJson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Reads Flockx newest first ({@code sort_order=desc}), page by page, with
 * {@code end_time} pinned to the run's start for the whole run so new interactions cannot
 * shift the pages being read, and stepping back when deletions do (see {@link Window}).
 * Incomplete interactions are read too by default and stored as in progress; they are
 * rewritten when a later run sees them complete.
 */
@Component
class FlockxConnector implements SourceConnector {

	static final SourceKind KIND = SourceKind.of("flockx");

	private static final URI PUBLIC_BASE_URL = URI.create("https://api.flockx.io/api/v1");

	/**
	 * How Flockx refuses a saved page: a page number past the end (404, "Invalid page",
	 * as its page-number pagination answers) or a validation error (400, 422).
	 */
	private static final Predicate<UpstreamException> REFUSED_POSITION = Paging.refusedWith(400, 404, 422);

	private static final String CALL = "GET /interactions";

	/** Flockx is one stream: the list, newest first. */
	static final String STREAM = "list";

	private final UpstreamClients clients;

	private final KnownVersions known;

	private final JsonMapper json;

	FlockxConnector(UpstreamClients clients, KnownVersions known, JsonMapper json) {
		this.clients = clients;
		this.known = known;
		this.json = json;
	}

	@Override
	public SourceKind kind() {
		return KIND;
	}

	@Override
	public URI defaultBaseUrl() {
		return PUBLIC_BASE_URL;
	}

	/**
	 * None are known: a Flockx item names its participant by {@code participant.user_id}
	 * alone, an id that a connection hashes or removes only when it lists it.
	 */
	@Override
	public List<String> personalFields() {
		return List.of();
	}

	@Override
	public Object settings(KindSettings settings) {
		return settings.bind(FlockxSettings.class);
	}

	/**
	 * Flockx documents its detail as {@code GET /interactions/{interaction_id}}, and
	 * {@code interaction_id} is the turn that groups a user's message and the agent's
	 * answers, not the listed {@code id}; which of the two the path takes is not said. So
	 * the probe goes by the listed id first (the id a listed item is known by): when it
	 * answers, every item is asked by its id; when it answers 404 but the probe's stored
	 * {@code interaction_id} answers 200, each item is asked by its stored
	 * {@code interaction_id} (each turn once): a turn that is gone means the item is
	 * gone, one that is there means it is there. Items stored without a turn are unknown.
	 */
	@Override
	public Flux<Existence> exists(SyncRequest request, List<String> sourceIds, String probeId) {
		return Existence.byDetail(sourceIds, probeId, api(request)::get, (ids) -> turns(request.name(), ids));
	}

	private Map<String, String> turns(String connection, Collection<String> sourceIds) {
		Map<String, String> turns = new HashMap<>();
		this.known.withRaw(connection, sourceIds).forEach((id, version) -> {
			JsonNode turn = (version.raw() != null) ? version.raw().get("interaction_id") : null;
			if (turn != null && turn.isString() && !turn.asString().isBlank()) {
				turns.put(id, turn.asString());
			}
		});
		return turns;
	}

	private FlockxApi api(SyncRequest request) {
		FlockxSettings flockx = request.settings(FlockxSettings.class);
		return this.clients.client(request, FlockxApi.class, (headers) -> headers.set(HttpHeaders.AUTHORIZATION,
				authorization(flockx.authScheme(), request.connection().apiKey())));
	}

	@Override
	public Flux<SourcePage> fetch(SyncRequest request) {
		FlockxApi api = api(request);
		int size = request.connection().pageSize();
		return Paging.stream(request, STREAM, REFUSED_POSITION, (position) -> {
			Position start = Position.resume(position, size)
				.orElseGet(() -> new Position(1, size, request.startedAt().truncatedTo(ChronoUnit.MILLIS).toString()));
			Paging.StopRule stop = Paging.stopRule(request, STREAM);
			Window window = new Window(start);
			return page(request, api, start, window)
				.expand((listed) -> (listed.next() != null && !stop.isLast(listed.page()))
						? page(request, api, listed.next(), window) : Mono.empty())
				.map((listed) -> listed.page().at(STREAM, listed.at().toString()))
				.filter((page) -> page.fetched() > 0);
		});
	}

	/**
	 * What one run has read of the listing. Page numbers skip under deletions: when items
	 * above the position are deleted between two page requests, the items after it move
	 * up, and as many of them as were deleted land on the page already read.
	 * {@code meta.total} tells: when it falls by {@code d} between two answers, the first
	 * item not yet read may now be up to {@code d} places earlier, so the window steps
	 * back to the page that holds that place and reads on from there (pages read again
	 * are fine: items already read are dropped by id). With {@code end_time} pinned, new
	 * items cannot push pages down; a deletion and an insertion between the same two
	 * answers leave the total as it was and go unseen (the next pass reads what they
	 * moved).
	 */
	static final class Window {

		private final Set<String> seen = new HashSet<>();

		/** Items from the start of the listing known read, in its current numbering. */
		private long covered;

		private Long total;

		Window(Position start) {
			this.covered = (long) (start.number() - 1) * start.size();
		}

		/**
		 * @param at where the answer was read
		 * @param received how many items it listed
		 * @param total its {@code meta.total}; null when absent
		 * @param more whether the listing goes on after it
		 * @return the next position to read; null at the end
		 */
		Position next(Position at, int received, Long total, boolean more) {
			if (total != null && this.total != null && total < this.total) {
				this.covered = Math.max(0, this.covered - (this.total - total));
			}
			if (total != null) {
				this.total = total;
			}
			long from = (long) (at.number() - 1) * at.size();
			if (from > this.covered) {
				// items may have moved above this page since the one before: read them
				return at.withNumber((int) (this.covered / at.size()) + 1);
			}
			this.covered = Math.max(this.covered, from + received);
			if (!more) {
				return null;
			}
			return at.withNumber((int) (this.covered / at.size()) + 1);
		}

		/**
		 * @param items an answer's items
		 * @return those this run has not read before (and items without an id)
		 */
		List<JsonNode> unread(List<JsonNode> items) {
			List<JsonNode> unread = items.stream()
				.filter((node) -> SourcePage.id(node) == null || !this.seen.contains(SourcePage.id(node)))
				.toList();
			this.seen.addAll(SourcePage.ids(items));
			return unread;
		}

	}

	/**
	 * Where a page is read: its number and size, and the {@code end_time} pinned for the
	 * whole pass (a resumed pass keeps its first run's, so pages do not shift).
	 *
	 * @param number page number, from 1
	 * @param size page size
	 * @param endTime the pinned {@code end_time}
	 */
	record Position(int number, int size, String endTime) {

		private static final Pattern TEXT = Pattern.compile("page=(\\d+) size=(\\d+) end_time=(\\S+)");

		/**
		 * @param text a position written by {@link #toString()}; null to start afresh
		 * @param size this run's page size: a position written with another size is
		 * converted to the page that holds its first item, so nothing is skipped
		 * @return the position to read again, if {@code text} is one
		 */
		static Optional<Position> resume(String text, int size) {
			Matcher matcher = (text != null) ? TEXT.matcher(text) : null;
			if (matcher == null || !matcher.matches()) {
				return Optional.empty();
			}
			long firstItem = (Long.parseLong(matcher.group(1)) - 1) * Long.parseLong(matcher.group(2));
			return Optional.of(new Position((int) (firstItem / size) + 1, size, matcher.group(3)));
		}

		Position next() {
			return withNumber(this.number + 1);
		}

		Position withNumber(int number) {
			return new Position(number, this.size, this.endTime);
		}

		@Override
		public String toString() {
			return "page=" + this.number + " size=" + this.size + " end_time=" + this.endTime;
		}

	}

	static String authorization(String scheme, String key) {
		return (scheme == null || scheme.isBlank()) ? key : scheme.trim() + " " + key;
	}

	private Mono<Listed> page(SyncRequest request, FlockxApi api, Position at, Window window) {
		FlockxSettings flockx = request.settings(FlockxSettings.class);
		int number = at.number();
		String call = CALL + "?page=" + number;
		return UpstreamClients
			.decoding(call, api.list(number, at.size(), "desc", at.endTime(), flockx.includeIncomplete(),
					flockx.agentId(), flockx.channelId()))
			.map((body) -> {
				FlockxInteraction.Envelope envelope = UpstreamJson.read(this.json, call, body,
						FlockxInteraction.Envelope.class, (read) -> {
							if (read.items() == null) {
								throw new IllegalArgumentException("the envelope has no items array");
							}
							return read;
						});
				Long total = (envelope.meta() != null) ? envelope.meta().total() : null;
				int received = envelope.items().size();
				UpstreamJson.requirePageSize(call, received, at.size());
				SourcePage page = SourcePage
					.mapping(request, window.unread(envelope.items()), (node) -> map(request, call, node))
					.withTotal(total);
				boolean hasNext = received > 0 && hasNext(envelope.meta(), number, at.size(), received);
				return new Listed(at, page, window.next(at, received, total, hasNext));
			});
	}

	/**
	 * 2: reactions become a rating.
	 */
	@Override
	public int mapperVersion() {
		return 2;
	}

	@Override
	public NormalizedInteraction remap(SyncRequest request, JsonNode raw) {
		return map(request, "stored item", raw);
	}

	private NormalizedInteraction map(SyncRequest request, String call, JsonNode node) {
		return UpstreamJson.read(this.json, call, node, FlockxInteraction.class, (item) -> {
			UpstreamJson.requireIdentity(item.id() != null && item.createdAt() != null);
			FlockxSettings flockx = request.settings(FlockxSettings.class);
			return FlockxMapper.map(request.name(), flockx.agentId(), item, node, flockx.reactionScores(),
					request.connection().timeZone());
		});
	}

	/**
	 * {@code meta.has_next} when sent; otherwise {@code meta.total} against the items
	 * read so far; otherwise whether the page was full.
	 */
	static boolean hasNext(FlockxInteraction.Meta meta, int page, int size, int received) {
		if (meta != null && meta.hasNext() != null) {
			return meta.hasNext();
		}
		if (meta != null && meta.total() != null) {
			return (long) (page - 1) * size + received < meta.total();
		}
		return received >= size;
	}

	private record Listed(Position at, SourcePage page, Position next) {
	}

}

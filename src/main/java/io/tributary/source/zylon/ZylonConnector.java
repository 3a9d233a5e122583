package io.tributary.source.zylon;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
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
import io.tributary.source.SyncMode;
import io.tributary.source.SyncRequest;
import io.tributary.source.UpstreamClients;
import io.tributary.source.UpstreamException;
import io.tributary.source.UpstreamJson;
import io.tributary.source.zylon.ZylonSettings.ApiVariant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Reads Zylon, project by project, newest first with cursors ({@code after} +
 * {@code first} + {@code page_order=DESC}). {@code api-variant: project} reads the
 * project-level list, {@code threads} lists the project's threads and reads each thread's
 * list, {@code auto} starts with the project-level list and switches to threads (and
 * remembers it) when the instance answers 404 there. The incremental stop applies per
 * ordered stream: per project, or per thread.
 */
@Component
class ZylonConnector implements SourceConnector {

	private static final Logger log = LoggerFactory.getLogger(ZylonConnector.class);

	private static final String DESC = "DESC";

	/**
	 * How Zylon refuses a saved cursor: expired or unknown (400, 410, 422). Not 404, with
	 * which an instance that dropped the project list endpoint answers (the thread
	 * variant), nor 409, which is transient.
	 */
	private static final Predicate<UpstreamException> REFUSED_POSITION = Paging.refusedWith(400, 410, 422);

	static final SourceKind KIND = SourceKind.of("zylon");

	private final UpstreamClients clients;

	private final JsonMapper json;

	private final Map<String, ApiVariant> detected = new ConcurrentHashMap<>();

	ZylonConnector(UpstreamClients clients, JsonMapper json) {
		this.clients = clients;
		this.json = json;
	}

	@Override
	public SourceKind kind() {
		return KIND;
	}

	/**
	 * Zylon is self-hosted: there is no public host, so every connection sets base-url.
	 */
	@Override
	public URI defaultBaseUrl() {
		return null;
	}

	/**
	 * The author ({@code created_by}): e-mail, name and picture. Its ids are hashed or
	 * removed only when a connection lists them.
	 */
	@Override
	public List<String> personalFields() {
		return List.of("created_by.email", "created_by.name", "created_by.profile_picture");
	}

	@Override
	public Object settings(KindSettings settings) {
		ZylonSettings zylon = settings.bind(ZylonSettings.class);
		if (zylon.org() == null || zylon.org().isBlank()) {
			throw settings.invalid("org", "is required for type zylon: the x-org header");
		}
		if (zylon.projectIds().isEmpty() || zylon.projectIds().stream().anyMatch(String::isBlank)) {
			throw settings.invalid("project-ids", "needs one or more project ids for type zylon");
		}
		ZylonSettings.FeedbackScale scale = zylon.feedbackScale();
		if (scale == null || scale.min() == null || scale.max() == null || scale.max().compareTo(scale.min()) <= 0) {
			throw settings.invalid("feedback-scale",
					"needs a min below its max, was " + ((scale != null) ? scale.min() + ".." + scale.max() : "none"));
		}
		if (zylon.feedbackConcurrency() < 1 || zylon.feedbackConcurrency() > 64) {
			throw settings.invalid("feedback-concurrency", "must be 1..64, was " + zylon.feedbackConcurrency());
		}
		return zylon;
	}

	@Override
	public Flux<Existence> exists(SyncRequest request, List<String> sourceIds, String probeId) {
		return Existence.byDetail(sourceIds, probeId, api(request)::interaction);
	}

	/**
	 * Zylon answers one interaction by the id it lists: {@code GET
	 * /v1/app/interaction/{id}}.
	 */
	@Override
	public boolean refreshes() {
		return true;
	}

	/**
	 * Each open item by {@code GET /v1/app/interaction/{id}} (the bare interaction, or
	 * one inside {@code data}), {@code feedback-concurrency} calls at once, in pages of
	 * {@code page-size}; mapped as a listed item, under the personal-data rule, with its
	 * feedback when {@code fetch-feedback} is on (carried over when its time did not
	 * move, as for listed items).
	 */
	@Override
	public Flux<SourcePage> refresh(SyncRequest request, List<String> sourceIds) {
		if (sourceIds.isEmpty()) {
			return Flux.empty();
		}
		ZylonApi api = api(request);
		String call = "GET /app/interaction/{id}";
		return SourcePage
			.byDetail(request, sourceIds, request.settings(ZylonSettings.class).feedbackConcurrency(),
					(id) -> UpstreamClients.decoding(call, api.interaction(id)).map(ZylonConnector::unwrap),
					(node) -> map(request, call, node))
			.concatMap((page) -> feedback(api, request, page), 0);
	}

	private static JsonNode unwrap(JsonNode body) {
		if (body != null && !body.has("id") && body.path("data").isObject()) {
			return body.get("data");
		}
		return body;
	}

	private ZylonApi api(SyncRequest request) {
		ZylonSettings zylon = request.settings(ZylonSettings.class);
		return this.clients.client(request, ZylonApi.class, (headers) -> {
			headers.setBearerAuth(request.connection().apiKey());
			headers.set("x-org", zylon.org());
		});
	}

	@Override
	public Flux<SourcePage> fetch(SyncRequest request) {
		ZylonSettings zylon = request.settings(ZylonSettings.class);
		ZylonApi api = api(request);
		return Flux.fromIterable(zylon.projectIds()).concatMap((projectId) -> project(api, request, projectId), 0);
	}

	private Flux<SourcePage> project(ZylonApi api, SyncRequest request, String projectId) {
		String key = request.name() + "/" + projectId;
		ApiVariant variant = this.detected.getOrDefault(key, request.settings(ZylonSettings.class).apiVariant());
		if (variant == ApiVariant.THREADS) {
			return threads(api, request, projectId);
		}
		Flux<SourcePage> projectLevel = interactions(api, request, "project:" + projectId,
				"GET /app/project/{projectId}/interaction", request.connection().pageSize(),
				(at) -> api.projectInteractions(projectId, at.first(), at.after(), at.page(), at.pageSize(), DESC,
						(at.after() == null && at.number() == 1) ? Boolean.TRUE : null));
		if (variant == ApiVariant.PROJECT) {
			return projectLevel;
		}
		return Flux.defer(() -> {
			AtomicBoolean emitted = new AtomicBoolean();
			return projectLevel.doOnNext((page) -> emitted.set(true))
				.onErrorResume((ex) -> !emitted.get() && ex instanceof UpstreamException upstream
						&& Integer.valueOf(404).equals(upstream.status()), (ex) -> {
							log.info("Connection '{}': project {} has no project-level interaction list (404); "
									+ "reading its threads instead", request.name(), projectId);
							this.detected.put(key, ApiVariant.THREADS);
							return threads(api, request, projectId);
						});
		});
	}

	private Flux<SourcePage> threads(ZylonApi api, SyncRequest request, String projectId) {
		int first = request.connection().pageSize();
		return cursorPages(request.name(), "GET /app/project/{projectId}/thread", Position.start(first),
				(at) -> api.projectThreads(projectId, at.first(), at.after(), at.page(), at.pageSize(), DESC),
				(at, page) -> page, (page) -> false)
			.concatMapIterable(ZylonPage::data)
			.map((thread) -> thread.path("id").asString(""))
			.filter((threadId) -> !threadId.isEmpty())
			.concatMap((threadId) -> interactions(api, request, "thread:" + threadId,
					"GET /app/thread/{threadId}/interaction", first,
					(at) -> api.threadInteractions(threadId, at.first(), at.after(), at.page(), at.pageSize(), DESC)),
					0);
	}

	/**
	 * One ordered stream of interaction pages (a project's, or a thread's), ending early
	 * per the incremental stop rule, resuming where a stopped full run left it, and
	 * closed by its end marker.
	 */
	private Flux<SourcePage> interactions(ZylonApi api, SyncRequest request, String stream, String call, int size,
			Function<Position, Mono<JsonNode>> fetch) {
		return Paging.stream(request, stream, REFUSED_POSITION, (position) -> {
			Paging.StopRule stop = Paging.stopRule(request, stream);
			return cursorPages(request.name(), call, Position.resume(position, size), fetch,
					(at, page) -> SourcePage.mapping(request, page.data(), (node) -> map(request, call, node))
						.at(stream, at.toString())
						.withTotal(page.totalCount()),
					stop::isLast)
				.filter((page) -> page.fetched() > 0)
				.concatMap((page) -> feedback(api, request, page), 0);
		});
	}

	/**
	 * With {@code fetch-feedback}: the feedback of each new or changed interaction of the
	 * page (of every one in a full run, which catches feedback given later) becomes its
	 * rating and feedback text, kept in its raw under {@link ZylonMapper#FEEDBACK} (an
	 * interaction without feedback, a 404, keeps a null there: asked, none given).
	 * <p>
	 * An interaction whose time did not move is not asked again, but it is not written
	 * without its feedback either: the stored feedback is carried over to the listed
	 * item, so an unchanged item maps to what is stored (no rewrite, no rating erased, no
	 * {@code updated_at} moved), and one that changed without its time moving (an answer
	 * completing: Zylon gives it no update time) is written with the feedback it had. An
	 * interaction stored without ever having been asked (before the connection turned
	 * {@code fetch-feedback} on) is asked.
	 */
	private Mono<SourcePage> feedback(ZylonApi api, SyncRequest request, SourcePage page) {
		ZylonSettings settings = request.settings(ZylonSettings.class);
		if (!settings.fetchFeedback() || page.items().isEmpty()) {
			return Mono.just(page);
		}
		boolean full = request.mode() == SyncMode.FULL;
		return Mono
			.fromCallable(() -> (request.known() != null && !full)
					? request.known()
						.withRaw(request.name(), page.items().stream().map(NormalizedInteraction::sourceId).toList())
					: Map.<String, KnownVersions.Version>of())
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((versions) -> Flux.fromIterable(page.items()).flatMapSequential((item) -> {
				KnownVersions.Version stored = versions.get(item.sourceId());
				JsonNode carried = (stored != null && stored.raw() != null) ? stored.raw().get(ZylonMapper.FEEDBACK)
						: null;
				if (!full && carried != null && stored.updatedAt().equals(item.updatedAt())) {
					return Mono.just(withFeedback(request, "stored item", item, carried, false));
				}
				String call = "GET /app/feedback/{targetId}";
				return UpstreamClients.decoding(call, api.feedback(item.sourceId()))
					.map((body) -> withFeedback(request, call, item, body, true))
					.onErrorResume(
							(ex) -> ex instanceof UpstreamException upstream
									&& Integer.valueOf(404).equals(upstream.status()),
							(ex) -> Mono.just(withFeedback(request, call, item, NullNode.getInstance(), false)))
					.defaultIfEmpty(item);
			}, settings.feedbackConcurrency()).collectList())
			.map(page::withItems);
	}

	/**
	 * The item mapped again with this feedback in its raw (renormalization reads it).
	 * @param received whether the feedback is an upstream's answer, which goes through
	 * the connection's personal-data rule; the rest of the item went through it as
	 * listed, and feedback carried from the stored item as it was stored
	 */
	private NormalizedInteraction withFeedback(SyncRequest request, String call, NormalizedInteraction item,
			JsonNode feedback, boolean received) {
		request.deadline().check();
		// a shallow copy: only a top-level field changes, and nothing mutates the trees
		ObjectNode raw = ((ObjectNode) item.raw()).objectNode().setAll((ObjectNode) item.raw());
		raw.set(ZylonMapper.FEEDBACK, feedback);
		return map(request, call, received ? request.personalData().applyToField(raw, ZylonMapper.FEEDBACK) : raw);
	}

	/**
	 * Follows {@code next_cursor} while there is a next page and {@code last} does not
	 * say stop. A server that says there is a next page but sends no cursor, or that
	 * answers a cursor with the same page again, is read on by page number instead; the
	 * same page twice by page number is an upstream fault, not a loop.
	 */
	private <T> Flux<T> cursorPages(String name, String call, Position start, Function<Position, Mono<JsonNode>> fetch,
			BiFunction<Position, ZylonPage, T> map, Predicate<T> last) {
		return page(name, call, fetch, start, null).map((step) -> step.with(map))
			.expand((step) -> (!step.page().hasMore() || last.test(step.value())) ? Mono.empty()
					: page(name, call, fetch, step.position().next(step.page()), step.page())
						.map((next) -> next.with(map)))
			.map(Step::value);
	}

	private <T> Mono<Step<T>> page(String name, String call, Function<Position, Mono<JsonNode>> fetch, Position at,
			ZylonPage previous) {
		return UpstreamClients.decoding(call, fetch.apply(at))
			.map((body) -> UpstreamJson.read(this.json, call, body, ZylonPage.class, (page) -> {
				if (page.data() == null) {
					throw new IllegalArgumentException("the envelope has no data array");
				}
				UpstreamJson.requirePageSize(call, page.data().size(), at.size());
				return page;
			}))
			.flatMap((page) -> {
				if (!Paging.repeats(page.data(), (previous != null) ? previous.data() : null)) {
					return Mono.just(new Step<T>(at, page, null));
				}
				if (!at.byPage()) {
					log.info("Connection '{}': {} answered the cursor with the same page; reading by page number", name,
							call);
					return page(name, call, fetch, at.asPage(), previous);
				}
				return Mono.error(UpstreamException.undecodable(call, new IllegalStateException(
						"the upstream answered the same page again: it honours neither cursors nor page numbers")));
			});
	}

	/**
	 * Where a request reads: by cursor ({@code after}, absent for the first page) or by
	 * page number.
	 *
	 * @param after the cursor
	 * @param number the page's number
	 * @param byPage whether to send {@code page} + {@code page_size} instead of a cursor
	 * @param size the page size
	 */
	record Position(String after, int number, boolean byPage, int size) {

		private static final Pattern TEXT = Pattern.compile("(?:after=(\\S+) )?page=(\\d+) size=(\\d+)( by=page)?");

		static Position start(int size) {
			return new Position(null, 1, false, size);
		}

		/**
		 * @param text a position written by {@link #toString()}; null to start afresh
		 * @param size this run's page size (page numbers of another size are converted to
		 * the page holding the same first item, so nothing is skipped)
		 * @return where to read again
		 */
		static Position resume(String text, int size) {
			Matcher matcher = (text != null) ? TEXT.matcher(text) : null;
			if (matcher == null || !matcher.matches()) {
				return start(size);
			}
			long firstItem = (Long.parseLong(matcher.group(2)) - 1) * Long.parseLong(matcher.group(3));
			int number = (int) (firstItem / size) + 1;
			boolean sameSize = Integer.parseInt(matcher.group(3)) == size;
			if (matcher.group(4) != null || !sameSize) {
				return new Position(null, number, true, size);
			}
			return new Position(matcher.group(1), number, false, size);
		}

		@Override
		public String toString() {
			return ((this.after != null && !this.byPage) ? "after=" + this.after + " " : "") + "page=" + this.number
					+ " size=" + this.size + (this.byPage ? " by=page" : "");
		}

		Position next(ZylonPage page) {
			boolean cursor = !this.byPage && page.nextCursor() != null && !page.nextCursor().isBlank();
			return cursor ? new Position(page.nextCursor(), this.number + 1, false, this.size)
					: new Position(null, this.number + 1, true, this.size);
		}

		Position asPage() {
			return new Position(null, this.number, true, this.size);
		}

		Integer first() {
			return this.byPage ? null : this.size;
		}

		Integer page() {
			return this.byPage ? this.number : null;
		}

		Integer pageSize() {
			return this.byPage ? this.size : null;
		}

	}

	private record Step<T>(Position position, ZylonPage page, T value) {

		<R> Step<R> with(BiFunction<Position, ZylonPage, R> map) {
			return new Step<>(this.position, this.page, map.apply(this.position, this.page));
		}

	}

	/**
	 * 2: a feedback rating without its own scale is read on the connection's
	 * {@code feedback-scale}, no longer guessed from its value.
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
		ZylonSettings.FeedbackScale scale = request.settings(ZylonSettings.class).feedbackScale();
		return UpstreamJson.read(this.json, call, node, ZylonInteraction.class, (item) -> {
			UpstreamJson.requireIdentity(item.id() != null && item.createdAt() != null);
			return ZylonMapper.map(request.name(), item, node, scale, request.connection().timeZone());
		});
	}

}

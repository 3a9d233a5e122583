package io.tributary.source.greenflash;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tributary.hygiene.PersonalData;
import io.tributary.hygiene.Secrets;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.Existence;
import io.tributary.source.KindSettings;
import io.tributary.source.KnownVersions.Version;
import io.tributary.source.KnownVersions;
import io.tributary.source.Paging;
import io.tributary.source.Rejected;
import io.tributary.source.SourceConnector;
import io.tributary.source.SourceKind;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.SyncRequest;
import io.tributary.source.UpstreamClients;
import io.tributary.source.UpstreamException;
import io.tributary.source.UpstreamJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Reads Greenflash: list pages of {@code limit} items, page 1 by number and the rest by
 * overlapping offsets, so deletions during a pass skip nothing (see {@code Lister}), to a
 * short or empty page. The list carries no messages, so items that are new, whose
 * {@code updatedAt} moved or whose listed content differs from what is stored are fetched
 * one by one (bounded concurrency); a listed item written without its detail keeps the
 * stored detail's fields. Greenflash has no time filter and documents no order: the early
 * stop applies only while pages really come newest first.
 */
@Component
class GreenflashConnector implements SourceConnector {

	private static final Logger log = LoggerFactory.getLogger(GreenflashConnector.class);

	private static final Pattern POSITION = Pattern.compile("page=(\\d+) offset=(\\d+)( by=offset)?(?: anchor=(.+))?",
			Pattern.DOTALL);

	/** Greenflash is one stream: the list. */
	static final String STREAM = "list";

	static final SourceKind KIND = SourceKind.of("greenflash");

	private static final URI PUBLIC_BASE_URL = URI.create("https://www.greenflash.ai/api/v1");

	/**
	 * How Greenflash refuses a saved offset or page: a validation error (400, or 416 or
	 * 422 from a proxy or a later version), as for an offset past a depth cap. Not 404,
	 * which a list endpoint answers for a wrong base URL, nor 409, which is transient.
	 */
	private static final Predicate<UpstreamException> REFUSED_POSITION = Paging.refusedWith(400, 416, 422);

	private final UpstreamClients clients;

	private final KnownVersions known;

	private final JsonMapper json;

	GreenflashConnector(UpstreamClients clients, KnownVersions known, JsonMapper json) {
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
	 * The detail's {@code participant}: e-mail and name. The customer's own user id
	 * ({@code externalParticipantId}, {@code participant.externalId}) is hashed or
	 * removed only when a connection lists it.
	 */
	@Override
	public List<String> personalFields() {
		return List.of("participant.email", "participant.name");
	}

	@Override
	public Object settings(KindSettings settings) {
		GreenflashSettings greenflash = settings.bind(GreenflashSettings.class);
		if (greenflash.fetchConcurrency() < 1 || greenflash.fetchConcurrency() > 64) {
			throw settings.invalid("fetch-concurrency", "must be 1..64, was " + greenflash.fetchConcurrency());
		}
		return greenflash;
	}

	@Override
	public Flux<SourcePage> fetch(SyncRequest request) {
		GreenflashApi api = this.clients.client(request, GreenflashApi.class,
				(headers) -> headers.setBearerAuth(request.connection().apiKey()));
		return Paging.stream(request, STREAM, REFUSED_POSITION, (position) -> {
			Lister lister = new Lister(api, request);
			Paging.StopRule stop = Paging.stopRule(request, STREAM);
			return lister.first(position)
				.expand((page) -> stop.isLastOf(page.listing()) ? Mono.empty() : lister.after(page))
				.filter((page) -> !page.nodes().isEmpty())
				.concatMap((page) -> toPage(api, request, page).map((mapped) -> mapped.at(STREAM, page.position())), 0);
		});
	}

	/**
	 * Greenflash answers one interaction by the id it lists: {@code GET
	 * /interactions/{id}}.
	 */
	@Override
	public boolean refreshes() {
		return true;
	}

	/**
	 * Each open item by its detail, {@code fetch-concurrency} calls at once, in pages of
	 * {@code page-size}, mapped as a listed item's detail under the personal-data rule.
	 */
	@Override
	public Flux<SourcePage> refresh(SyncRequest request, List<String> sourceIds) {
		if (sourceIds.isEmpty()) {
			return Flux.empty();
		}
		GreenflashApi api = this.clients.client(request, GreenflashApi.class,
				(headers) -> headers.setBearerAuth(request.connection().apiKey()));
		return SourcePage.byDetail(request, sourceIds, request.settings(GreenflashSettings.class).fetchConcurrency(),
				(id) -> UpstreamClients.decoding("GET /interactions/{id}", api.get(id))
					.map((body) -> unwrap(body, false)),
				(node) -> GreenflashMapper.map(request.name(), decode(node), node));
	}

	@Override
	public Flux<Existence> exists(SyncRequest request, List<String> sourceIds, String probeId) {
		GreenflashApi api = this.clients.client(request, GreenflashApi.class,
				(headers) -> headers.setBearerAuth(request.connection().apiKey()));
		return Existence.byDetail(sourceIds, probeId, api::get);
	}

	/**
	 * Pages through one run's list. Page 1 is read by {@code page} + {@code limit}; every
	 * later page by {@code offset}, starting one item before the previous page ended, so
	 * that each answer must list again an item this run has read (the anchor). An answer
	 * without one means items above were deleted since (the list shifted up, and the
	 * items it shifted past the position would be skipped): the lister steps back until
	 * an answer holds an anchor (or reaches offset 0), then reads on from there. Items
	 * read before are dropped by id, so each is written once per run.
	 * <p>
	 * What the vendor leaves open is handled, not assumed: a server that ignores
	 * {@code offset} (it answers the page before again) is read by {@code page}, and one
	 * that ignores {@code page} by {@code offset}; a {@code Link rel="next"} that names a
	 * position ({@code page}, {@code offset}) is taken as "there is more" (it would skip
	 * under deletions), one that carries anything else (a cursor) is followed. The list
	 * ends at an empty answer or one shorter than an earlier one, so a server that caps
	 * {@code limit} loses nothing; after a short first page, page 2 is asked by number to
	 * tell a cap from the end.
	 */
	private final class Lister {

		/**
		 * Steps back that read nothing new before the list counts as ended: only an
		 * upstream whose offsets disagree with each other gets there.
		 */
		private static final int MAX_FRUITLESS = 3;

		private static final java.util.Set<String> POSITIONAL = java.util.Set.of("page", "offset", "limit", "productId",
				"versionId");

		private final GreenflashApi api;

		private final String name;

		private final URI base;

		private final int limit;

		private final String productId;

		private final String versionId;

		private final PersonalData personalData;

		/** Every id this run has listed. */
		private final java.util.Set<String> seen = new java.util.HashSet<>();

		/** Whether the server answered an offset with the page before: page by number. */
		private boolean offsetIgnored;

		/** Answers in a row that listed no item read before and nothing new either. */
		private int fruitless;

		Lister(GreenflashApi api, SyncRequest request) {
			this.api = api;
			this.name = request.name();
			GreenflashSettings settings = request.settings(GreenflashSettings.class);
			this.base = URI.create(request.connection().baseUrl() + "/");
			this.limit = request.connection().pageSize();
			this.productId = settings.productId();
			this.versionId = settings.versionId();
			this.personalData = request.personalData();
		}

		/**
		 * @param resume a position written by {@link Listed#position()}, to read that
		 * page again; null to start at page 1
		 */
		Mono<Listed> first(String resume) {
			Matcher position = (resume != null) ? POSITION.matcher(resume) : null;
			if (position == null || !position.matches()) {
				return byPage(1, 0, null);
			}
			int offset = Integer.parseInt(position.group(2));
			if (position.group(4) != null) {
				// the saved page's first item: an answer that lists it again starts no
				// later than where the pass stopped, so no step back is needed
				this.seen.add(position.group(4));
			}
			if (position.group(3) != null) {
				return byOffset(Integer.parseInt(position.group(1)), offset, null);
			}
			// the page holding the item at offset (an earlier one when the size changed):
			// never skips
			return byPage(offset / this.limit + 1, (offset / this.limit) * this.limit, null);
		}

		/**
		 * @param page the page just read
		 * @return the next one; empty at the end of the list
		 */
		Mono<Listed> after(Listed page) {
			int received = page.received().size();
			int number = page.number() + 1;
			if (page.offsetMode() && !page.anchored() && this.fruitless >= MAX_FRUITLESS) {
				log.warn(
						"Connection '{}': the upstream's offsets disagree with each other (reading back found "
								+ "nothing new {} times); the list ends here, the next pass reads it again",
						this.name, MAX_FRUITLESS);
				return Mono.empty();
			}
			if (page.offsetMode() && !page.anchored()) {
				// the list shifted up past this answer's start: step back, overlapping
				int step = Math.max(1, Math.max(page.largestBefore(), received) - 1);
				return byOffset(number, Math.max(0, page.offset() - step), page);
			}
			if (received == 0) {
				return Mono.empty();
			}
			URI next = page.next();
			if (next != null && !positional(next)) {
				// a cursor: it holds the position, and never overlaps
				return read("page=" + number, this.api.follow(next), number, page.offset() + received, page, false);
			}
			boolean shorter = received < this.limit && received < page.largestBefore();
			if (next == null && shorter) {
				return Mono.empty();
			}
			boolean shortFirst = page.number() == 1 && !page.offsetMode() && received < this.limit;
			if (!this.offsetIgnored && this.limit > 1 && !shortFirst) {
				return byOffset(number, page.offset() + received - 1, page);
			}
			if (next != null) {
				return read("page=" + number, this.api.follow(next), number, page.offset() + received, page, false);
			}
			return page.offsetMode() ? byOffset(number, page.offset() + received, page)
					: byPage(number, page.offset() + received, page);
		}

		/** A link that only says where the next page starts (it would skip). */
		private boolean positional(URI next) {
			String query = next.getRawQuery();
			if (query == null || query.isEmpty()) {
				return true;
			}
			for (String parameter : query.split("&")) {
				String name = parameter.substring(0,
						(parameter.indexOf('=') >= 0) ? parameter.indexOf('=') : parameter.length());
				if (!POSITIONAL.contains(name)) {
					return false;
				}
			}
			return true;
		}

		private Mono<Listed> byPage(int number, int offset, Listed previous) {
			return read("page=" + number, this.api.list(number, null, this.limit, this.productId, this.versionId),
					number, offset, previous, false);
		}

		private Mono<Listed> byOffset(int number, int offset, Listed previous) {
			return read("offset=" + offset, this.api.list(null, offset, this.limit, this.productId, this.versionId),
					number, offset, previous, true);
		}

		private Mono<Listed> read(String position, Mono<ResponseEntity<JsonNode>> call, int number, int offset,
				Listed previous, boolean offsetMode) {
			String described = "GET /interactions?" + position;
			return UpstreamClients.decoding(described, call).flatMap((response) -> {
				JsonNode body = unwrap(response.getBody(), true);
				if (body == null || !body.isArray()) {
					return Mono.error(UpstreamException.undecodable(described,
							new IllegalArgumentException("expected a JSON array of interactions")));
				}
				UpstreamJson.requirePageSize(described, body.size(), this.limit);
				// personal fields go before anything is read: a list item is mapped as
				// listed when its detail is not fetched, and quarantined as listed
				List<JsonNode> received = body.valueStream().map(this.personalData::apply).toList();
				if (Paging.repeats(received, (previous != null) ? previous.received() : null)) {
					return again(position, described, number, offset, previous, offsetMode);
				}
				URI next = sameApi(next(response.getHeaders()));
				int largestBefore = (previous != null) ? Math.max(previous.largestBefore(), previous.received().size())
						: 0;
				List<String> ids = SourcePage.ids(received);
				boolean anchored = !offsetMode || offset == 0 || ids.stream().anyMatch(this.seen::contains);
				if (offsetMode && !anchored && offset > 0) {
					log.info("Connection '{}': {} lists no item read before: items above were deleted during the "
							+ "pass; reading back", this.name, position);
				}
				List<JsonNode> nodes = received.stream()
					.filter((node) -> SourcePage.id(node) == null || !this.seen.contains(SourcePage.id(node)))
					.toList();
				this.seen.addAll(ids);
				this.fruitless = !nodes.isEmpty() ? 0 : anchored ? this.fruitless : this.fruitless + 1;
				List<Decoded> decoded = new ArrayList<>();
				List<Rejected> rejected = new ArrayList<>();
				List<SourcePage.Listed> listing = new ArrayList<>();
				for (JsonNode node : nodes) {
					try {
						GreenflashInteraction item = decode(node);
						decoded.add(new Decoded(item, node));
						listing.add(new SourcePage.Listed(item.id(), item.createdAt(), updatedAt(item)));
					}
					catch (RuntimeException ex) {
						rejected.add(Rejected.of(node, ex));
						listing.add(new SourcePage.Listed(SourcePage.id(node), null, null));
					}
				}
				return Mono.just(new Listed(number, offset, offsetMode, largestBefore, received, anchored, nodes,
						decoded, rejected, listing, next));
			});
		}

		/**
		 * The server answered with the page before: it ignores the parameter that moved.
		 * Read by the other one, once; a server that ignores both is an error.
		 */
		private Mono<Listed> again(String position, String described, int number, int offset, Listed previous,
				boolean offsetMode) {
			if (offsetMode && !this.offsetIgnored) {
				this.offsetIgnored = true;
				log.info("Connection '{}': the upstream answered {} with the same items as the page before; "
						+ "reading by page number instead", this.name, position);
				int read = previous.offset() + previous.received().size();
				return byPage(read / this.limit + 1, (read / this.limit) * this.limit, previous);
			}
			if (!offsetMode && !this.offsetIgnored) {
				log.info("Connection '{}': the upstream answered {} with the same items as the page before; "
						+ "reading by offset instead", this.name, position);
				return byOffset(number, Math.max(0, offset - 1), previous);
			}
			return Mono.error(UpstreamException.undecodable(described, new IllegalStateException(
					"the upstream answered the same page again: it honours neither page nor offset")));
		}

		/**
		 * A {@code Link rel="next"} is followed only when it points at the configured API
		 * (same scheme, host, port and path prefix): the request carries the key, which
		 * must never go to another host. Any other link is ignored and paging goes on by
		 * number.
		 */
		private URI sameApi(URI next) {
			if (next == null) {
				return null;
			}
			URI resolved;
			try {
				resolved = this.base.resolve(next);
			}
			catch (IllegalArgumentException ex) {
				resolved = null;
			}
			if (resolved != null && resolved.getScheme() != null
					&& resolved.getScheme().equalsIgnoreCase(this.base.getScheme()) && resolved.getHost() != null
					&& resolved.getHost().equalsIgnoreCase(this.base.getHost()) && port(resolved) == port(this.base)
					&& resolved.getRawUserInfo() == null && resolved.normalize().getRawPath() != null
					&& resolved.normalize().getRawPath().startsWith(this.base.getRawPath())) {
				return resolved;
			}
			log.warn(
					"Connection '{}': ignored a Link rel=\"next\" outside the configured base URL ({}); "
							+ "paging on by number",
					this.name, (resolved != null) ? resolved.getHost() : "unparseable");
			return null;
		}

		private static int port(URI uri) {
			return (uri.getPort() != -1) ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
		}

	}

	private Mono<SourcePage> toPage(GreenflashApi api, SyncRequest request, Listed page) {
		List<Decoded> listed = page.decoded();
		GreenflashSettings settings = request.settings(GreenflashSettings.class);
		boolean fetchMessages = settings.fetchMessages();
		boolean allDetails = fetchMessages && request.mode() == SyncMode.FULL
				&& settings.fullRunDetails() == GreenflashSettings.FullRunDetails.ALL;
		return Mono
			.fromCallable(() -> this.known.withRaw(request.name(),
					listed.stream().map((decoded) -> decoded.item().id()).toList()))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((versions) -> Flux.fromIterable(listed)
				.filter((decoded) -> allDetails || changed(decoded, versions.get(decoded.item().id()), fetchMessages))
				.flatMapSequential((decoded) -> fetchMessages ? detail(api, decoded) : Mono.just(decoded),
						settings.fetchConcurrency())
				.map((decoded) -> decoded.detailed() ? decoded : decoded.carrying(versions.get(decoded.item().id())))
				.collectList())
			.map((details) -> {
				// details are as received and go through the rule here; listed items
				// (and what they carry from the stored item) went through it already
				SourcePage mapped = SourcePage.mapping(
						details.stream()
							.map((decoded) -> decoded.detailed() ? request.personalData().apply(decoded.node())
									: decoded.node())
							.toList(),
						PersonalData.KEEP, request.deadline(),
						(node) -> GreenflashMapper.map(request.name(), decode(node), node));
				List<Rejected> rejected = new ArrayList<>(page.rejected());
				rejected.addAll(mapped.rejected());
				return new SourcePage(STREAM, mapped.items(), rejected, page.nodes().size(),
						SourcePage.ids(page.nodes()), page.createdAt(), page.updatedAt(), page.position(), false, null);
			});
	}

	/**
	 * New, moved on, listed with other content than is stored, or stored without messages
	 * that are now wanted. The content compared is the list's own fields (rating,
	 * feedback, properties, ids, model, times), redacted as stored, against the same
	 * fields of the stored item, so a rating or property changed without
	 * {@code updatedAt} moving is seen by any run that lists the item. What only the
	 * detail holds (messages, participant) cannot be compared without asking it: a change
	 * there that moves no list field is seen only with {@code full-run-details: all}.
	 */
	private static boolean changed(Decoded listed, Version stored, boolean fetchMessages) {
		GreenflashInteraction item = listed.item();
		Instant updatedAt = (item.updatedAt() != null) ? item.updatedAt() : item.createdAt();
		if (stored == null || stored.updatedAt().isBefore(updatedAt) || (fetchMessages && !stored.hasMessages())) {
			return true;
		}
		return stored.raw() != null && !ListedContent.same(Secrets.redact(listed.node()), stored.raw());
	}

	/**
	 * The detail; the listed item when the detail is gone (deleted between list and
	 * detail).
	 */
	private Mono<Decoded> detail(GreenflashApi api, Decoded listed) {
		return UpstreamClients.decoding("GET /interactions/{id}", api.get(listed.item().id()))
			.map((body) -> unwrap(body, false))
			.map((node) -> new Decoded(listed.item(), node, true))
			.onErrorResume(UpstreamException.class,
					(ex) -> Integer.valueOf(404).equals(ex.status()) ? Mono.just(listed) : Mono.error(ex));
	}

	@Override
	public NormalizedInteraction remap(SyncRequest request, JsonNode raw) {
		return GreenflashMapper.map(request.name(), decode(raw), raw);
	}

	private GreenflashInteraction decode(JsonNode node) {
		return UpstreamJson.read(this.json, "GET /interactions", node, GreenflashInteraction.class, (item) -> {
			UpstreamJson.requireIdentity(item.id() != null && item.createdAt() != null);
			return item;
		});
	}

	/**
	 * The documented shapes are a bare array (list) and the bare object (detail); an
	 * answer wrapped in {@code data}, {@code interactions}, {@code items} or
	 * {@code interaction} is unwrapped rather than refused.
	 */
	static JsonNode unwrap(JsonNode body, boolean list) {
		if (body == null || (list ? body.isArray() : body.has("id"))) {
			return body;
		}
		for (String field : List.of("data", "interactions", "items", "interaction")) {
			JsonNode inner = body.path(field);
			if (list ? inner.isArray() : inner.isObject()) {
				return inner;
			}
		}
		return body;
	}

	static URI next(HttpHeaders headers) {
		String next = LinkHeader.next(headers.getOrEmpty(HttpHeaders.LINK));
		return (next != null) ? URI.create(next) : null;
	}

	/**
	 * One listed page.
	 *
	 * @param number its number in this run
	 * @param offset items listed before it
	 * @param offsetMode whether it was read by offset
	 * @param largestBefore the largest earlier page
	 * @param nodes the items as JSON
	 * @param received every item of the answer as JSON, read before or not
	 * @param anchored whether the answer is known to start no later than the first item
	 * this run has not read (it lists an item read before, or starts the list)
	 * @param nodes the items this run had not read yet, as JSON
	 * @param decoded those that decode, with their JSON
	 * @param rejected those that do not
	 * @param listing every item with its own id and times (none for a rejected one), in
	 * the upstream's order: what the stop rule compares
	 * @param next the Link rel="next" URL, resolved, when it points at the configured API
	 */
	private record Listed(int number, int offset, boolean offsetMode, int largestBefore, List<JsonNode> received,
			boolean anchored, List<JsonNode> nodes, List<Decoded> decoded, List<Rejected> rejected,
			List<SourcePage.Listed> listing, URI next) {

		/**
		 * Where this page was read from, for a resumed run to read it again; by offset,
		 * with its first item as the anchor the answer must list again (see
		 * {@link Lister}), so a resumed run steps back only when items above were deleted
		 * meanwhile.
		 */
		String position() {
			String anchor = (this.offsetMode && !this.received.isEmpty()) ? SourcePage.id(this.received.get(0)) : null;
			return "page=" + this.number + " offset=" + this.offset + (this.offsetMode ? " by=offset" : "")
					+ ((anchor != null) ? " anchor=" + anchor : "");
		}

		List<Instant> createdAt() {
			return this.decoded.stream().map((decoded) -> decoded.item().createdAt()).toList();
		}

		List<Instant> updatedAt() {
			return this.decoded.stream().map(Decoded::item).map(GreenflashConnector::updatedAt).toList();
		}

	}

	/**
	 * One item as decoded, and its JSON.
	 *
	 * @param item the item
	 * @param node its JSON: the list's, or the detail's
	 * @param detailed whether the JSON is the detail's
	 */
	private record Decoded(GreenflashInteraction item, JsonNode node, boolean detailed) {

		Decoded(GreenflashInteraction item, JsonNode node) {
			this(item, node, false);
		}

		/**
		 * A listed item written without its detail (none fetched, or it answered 404)
		 * keeps what an earlier detail stored: every field the list does not carry
		 * (messages, participant) is taken from the stored item, so writing the list's
		 * change does not erase them.
		 */
		Decoded carrying(Version stored) {
			if (stored == null || stored.raw() == null || !stored.raw().isObject() || !this.node.isObject()) {
				return this;
			}
			// a shallow copy: only top-level fields are added, and nothing mutates the
			// trees
			ObjectNode merged = ((ObjectNode) this.node).objectNode().setAll((ObjectNode) this.node);
			stored.raw().properties().forEach((field) -> {
				if (!merged.has(field.getKey())) {
					merged.set(field.getKey(), field.getValue());
				}
			});
			return new Decoded(this.item, merged, false);
		}

	}

	private static Instant updatedAt(GreenflashInteraction item) {
		return (item.updatedAt() != null) ? item.updatedAt() : item.createdAt();
	}

}

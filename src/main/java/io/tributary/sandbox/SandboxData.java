package io.tributary.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The sandbox's interactions: a pure function of (source, index), the time the sandbox
 * started and the chaos seed, so the data is the same on every start and each upstream
 * can compute what it shows at any moment. In chaos mode a share of the items is deleted
 * at some moment: from then on no list shows it and its detail answers 404.
 */
@Component
@Profile("demo")
class SandboxData {

	static final int SEEDED = 300;

	static final Duration HISTORY = Duration.ofDays(30);

	private static final String[][] EXCHANGES = {
			{ "How do I rotate my API key without downtime?",
					"Create a second key, deploy it everywhere, then revoke the old one from Settings → API keys." },
			{ "Can I get a refund for last month's invoice?",
					"Refunds are possible within 30 days: open Billing → Invoices, pick the invoice and choose Request refund." },
			{ "Summarize the attached contract in three bullet points.",
					"1. Twelve-month term, auto-renewing. 2. 30-day termination notice. 3. Liability capped at fees paid." },
			{ "Why is my dashboard showing no data since yesterday?",
					"The ingestion token expired yesterday at 14:00 UTC; generate a new one under Integrations." },
			{ "Translate 'We will ship your order tomorrow' into German.", "Wir versenden Ihre Bestellung morgen." },
			{ "What's the difference between the Pro and Team plans?",
					"Team adds SSO, shared workspaces and audit logs; Pro is for a single user." },
			{ "Write a SQL query for the ten customers with the highest revenue.",
					"SELECT customer_id, sum(amount) AS revenue FROM orders GROUP BY customer_id ORDER BY revenue DESC LIMIT 10;" },
			{ "How do I export my chat history?",
					"Go to Settings → Privacy → Export data; you'll get a ZIP by email." },
			{ "Is there a rate limit on the search endpoint?",
					"Yes: 100 requests per minute per key; responses carry Retry-After when you exceed it." },
			{ "Draft a polite reply declining the meeting on Friday.",
					"Thank you for the invitation. Unfortunately I can't make Friday; could we find another time next week?" },
			{ "My password reset email never arrives.",
					"Check the spam folder, then make sure no-reply@example.com is allowed; resend after five minutes." },
			{ "Explain what a vector database is in one paragraph.",
					"A vector database stores embeddings and finds the nearest ones to a query vector, which powers semantic search." },
			{ "Can you change the delivery address on order 48213?",
					"I've updated the delivery address; the courier will use the new one from tomorrow." },
			{ "What are your support hours?", "Support answers 24/7 by chat and Monday to Friday 8–18 CET by phone." },
			{ "Recommend a laptop for video editing under 2000 euros.",
					"Look for 32 GB RAM, a dedicated GPU with 8 GB and a colour-accurate screen; several 16-inch models fit." } };

	private static final String[] MODELS = { "gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "llama-3.1-70b" };

	private static final String[] USERS = { "ana", "bruno", "chen", "dara", "emeka", "farah", "goran" };

	private static final String[] FEEDBACK = { "Exactly what I needed", "Too long", "Wrong answer, the plan has SSO",
			"Helpful, thanks!", "Didn't solve my problem" };

	private final Instant started;

	private final Clock clock;

	private final SandboxChaos chaos;

	SandboxData(Clock clock, SandboxChaos chaos) {
		this.clock = clock;
		this.chaos = chaos;
		this.started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
	}

	/**
	 * @param source greenflash, zylon or flockx
	 * @return the interactions that exist now (created, not deleted), newest first
	 */
	List<Item> visible(String source) {
		Instant now = now();
		return created(source, now).filter((item) -> !item.deletedBy(now)).toList();
	}

	/**
	 * @param source greenflash, zylon or flockx
	 * @return the interactions that were created and are deleted by now, newest first
	 */
	List<Item> deleted(String source) {
		Instant now = now();
		return created(source, now).filter((item) -> item.deletedBy(now)).toList();
	}

	private Stream<Item> created(String source, Instant now) {
		int live = (int) Math.max(0, Duration.between(this.started, now).toSeconds() / liveEverySeconds(source) + 1);
		return IntStream.range(0, SEEDED + live)
			.mapToObj((i) -> item(source, i))
			.filter((item) -> !item.createdAt().isAfter(now))
			.sorted((a, b) -> b.createdAt().compareTo(a.createdAt()) != 0 ? b.createdAt().compareTo(a.createdAt())
					: b.id().compareTo(a.id()));
	}

	/**
	 * The upstream set: the ids the upstream lists now, as the gateway stores them —
	 * interaction ids for Greenflash and Zylon, message event ids for Flockx (the user's
	 * event from the exchange's creation, the agent's two seconds later, complete or
	 * not).
	 * @param source greenflash, zylon or flockx
	 * @return the ids
	 */
	Set<String> upstreamIds(String source) {
		Instant now = now();
		Set<String> ids = new LinkedHashSet<>();
		for (Item item : visible(source)) {
			if (!"flockx".equals(source)) {
				ids.add(item.id());
				continue;
			}
			ids.add(eventId(item, 0));
			if (!item.answeredAt().isAfter(now)) {
				ids.add(eventId(item, 1));
			}
		}
		return ids;
	}

	/**
	 * @param source greenflash, zylon or flockx
	 * @param id an interaction's id
	 * @return the interaction, when it exists now (created, not deleted)
	 */
	Optional<Item> find(String source, String id) {
		Instant now = now();
		return findCreated(source, id).filter((item) -> !item.deletedBy(now));
	}

	/**
	 * @param source greenflash, zylon or flockx
	 * @param id an interaction's id
	 * @return the interaction, when it was created by now, deleted or not
	 */
	Optional<Item> findCreated(String source, String id) {
		try {
			UUID uuid = UUID.fromString(id);
			long index = uuid.getLeastSignificantBits();
			if (uuid.getMostSignificantBits() != source.hashCode() || index < 0 || index > Integer.MAX_VALUE) {
				return Optional.empty();
			}
			Item item = item(source, (int) index);
			return (item.id().equals(id) && !item.createdAt().isAfter(now())) ? Optional.of(item) : Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The id of one of the two Flockx message events of an exchange.
	 * @param item the exchange
	 * @param part 0 for the user's event, 1 for the agent's
	 * @return the event's id
	 */
	static String eventId(Item item, int part) {
		return new UUID(0xf10c0000L + part, item.index()).toString();
	}

	Instant now() {
		return this.clock.instant();
	}

	private static int liveEverySeconds(String source) {
		return switch (source) {
			case "greenflash" -> 20;
			case "zylon" -> 25;
			default -> 15;
		};
	}

	Item item(String source, int index) {
		SplittableRandom random = new SplittableRandom(source.hashCode() * 1_000_003L + index);
		Instant createdAt;
		if (index < SEEDED) {
			long offset = HISTORY.toSeconds() * (SEEDED - index) / SEEDED;
			createdAt = this.started.minusSeconds(offset).plusSeconds(random.nextInt(600));
		}
		else {
			createdAt = this.started.plusSeconds((long) (index - SEEDED) * liveEverySeconds(source));
		}
		String[] exchange = EXCHANGES[random.nextInt(EXCHANGES.length)];
		String user = USERS[random.nextInt(USERS.length)];
		int product = random.nextInt(3);
		boolean rated = random.nextInt(10) < 6;
		// Ratings arrive late: seeded ones hours to days later, live ones one to three
		// minutes later.
		Instant ratedAt = !rated ? null
				: createdAt.plusSeconds(index < SEEDED ? 600 + random.nextInt(3 * 86_400) : 60 + random.nextInt(120));
		int[][] scales = { { 1, 5 }, { 0, 10 }, { 0, 1 } };
		int[] scale = scales[product];
		int rating = scale[0] + random.nextInt(scale[1] - scale[0] + 1);
		String feedback = (rated && random.nextInt(3) == 0) ? FEEDBACK[random.nextInt(FEEDBACK.length)] : null;
		// Answers take a while: live ones complete 30 to 150 seconds after they start.
		Instant completeAt = (index < SEEDED) ? createdAt.plusSeconds(5)
				: createdAt.plusSeconds(30 + random.nextInt(120));
		return new Item(source, index, new UUID(source.hashCode(), index).toString(), createdAt, user,
				"thread-" + source + "-" + (index % 40), product, MODELS[random.nextInt(MODELS.length)], exchange[0],
				exchange[1], 20 + random.nextInt(400), 40 + random.nextInt(900), rating, scale[0], scale[1], ratedAt,
				feedback, completeAt, index % 17 == 0, this.chaos.deletedAt(source, index, createdAt, this.started));
	}

	/**
	 * One simulated interaction; each upstream renders it in its own JSON.
	 */
	record Item(String source, int index, String id, Instant createdAt, String user, String thread, int product,
			String model, String question, String answer, int inputTokens, int outputTokens, int rating, int ratingMin,
			int ratingMax, Instant ratedAt, String feedback, Instant completeAt, boolean failed, Instant deletedAt) {

		boolean ratedBy(Instant now) {
			return this.ratedAt != null && !this.ratedAt.isAfter(now);
		}

		boolean completeBy(Instant now) {
			return !this.completeAt.isAfter(now);
		}

		/**
		 * @return whether it is deleted upstream by {@code now} (chaos mode only)
		 */
		boolean deletedBy(Instant now) {
			return this.deletedAt != null && !this.deletedAt.isAfter(now);
		}

		/**
		 * @return when the answer (Flockx's agent event) is posted
		 */
		Instant answeredAt() {
			return this.createdAt.plusSeconds(2);
		}

		Instant updatedAt(Instant now) {
			return ratedBy(now) ? this.ratedAt : this.createdAt;
		}

		String userId() {
			return new UUID(0x5eed, this.user.hashCode()).toString();
		}

	}

}

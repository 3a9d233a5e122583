package io.tributary.interaction;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One upstream interaction mapped to the unified model: what a connector hands to the
 * {@link InteractionWriter}. Identity is {@code (connection, sourceId)}.
 *
 * @param source the upstream kind's name ({@code greenflash}, {@code zylon}, …)
 * @param connection the configured connection it was read through
 * @param sourceId the upstream's id, unique within the connection
 * @param threadId conversation / channel / thread the interaction belongs to
 * @param participantId upstream id of the user
 * @param participantExternalId the customer's own id of the user, where the upstream
 * keeps one
 * @param participantType kind of participant (user, agent, …)
 * @param organizationId upstream id of the organization
 * @param organizationExternalId the customer's own id of the organization
 * @param productId product, project or agent the interaction ran in
 * @param versionId product version
 * @param model AI model that answered
 * @param status completed, in progress or error
 * @param inputText what the user said, flattened to text
 * @param outputText what the assistant answered, flattened to text
 * @param messages the conversation, normalized
 * @param inputTokens prompt tokens
 * @param outputTokens completion tokens
 * @param rating the user's rating on the upstream's scale
 * @param ratingMin lowest value of that scale
 * @param ratingMax highest value of that scale
 * @param feedback the user's feedback text
 * @param createdAt when the interaction happened upstream
 * @param updatedAt when it last changed upstream; {@code createdAt} where the upstream
 * does not say
 * @param attributes upstream properties and metadata worth filtering or showing
 * @param raw the upstream object as received, secrets stripped
 */
public record NormalizedInteraction(String source, String connection, String sourceId, String threadId,
		String participantId, String participantExternalId, String participantType, String organizationId,
		String organizationExternalId, String productId, String versionId, String model, InteractionStatus status,
		String inputText, String outputText, List<Message> messages, Long inputTokens, Long outputTokens,
		BigDecimal rating, BigDecimal ratingMin, BigDecimal ratingMax, String feedback, Instant createdAt,
		Instant updatedAt, JsonNode attributes, JsonNode raw) {

	public NormalizedInteraction {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(connection, "connection");
		Objects.requireNonNull(sourceId, "sourceId");
		Objects.requireNonNull(createdAt, "createdAt");
		status = (status != null) ? status : InteractionStatus.COMPLETED;
		messages = (messages != null) ? List.copyOf(messages) : List.of();
		feedback = (feedback == null || feedback.isBlank()) ? null : feedback;
		updatedAt = (updatedAt != null) ? updatedAt : createdAt;
		attributes = (attributes != null) ? attributes : JsonNodeFactory.instance.objectNode();
		raw = (raw != null) ? raw : JsonNodeFactory.instance.objectNode();
	}

	/**
	 * The rating mapped onto 0..1:
	 * {@code (rating - ratingMin) / (ratingMax - ratingMin)}, clamped; null when any of
	 * the three is missing or the scale is empty.
	 * @return the normalized rating, or null
	 */
	public Double ratingNormalized() {
		if (this.rating == null || this.ratingMin == null || this.ratingMax == null
				|| this.ratingMax.compareTo(this.ratingMin) <= 0) {
			return null;
		}
		double value = this.rating.subtract(this.ratingMin)
			.divide(this.ratingMax.subtract(this.ratingMin), MathContext.DECIMAL64)
			.doubleValue();
		return Math.max(0.0, Math.min(1.0, value));
	}

	/** The attribute a mapper sets when it derived the rating itself. */
	public static final String RATING_SOURCE = "ratingSource";

	/**
	 * @return where the rating came from: the mapper's {@value #RATING_SOURCE} attribute
	 * (such as {@code reactions}), else {@code upstream} when there is a rating; null
	 * without one
	 */
	public String ratingSource() {
		if (this.rating == null) {
			return null;
		}
		JsonNode derived = this.attributes.get(RATING_SOURCE);
		return (derived != null && derived.isString()) ? derived.asString() : "upstream";
	}

	/**
	 * @param name an attribute's name
	 * @param value its value
	 * @return a copy with that attribute set
	 */
	public NormalizedInteraction withAttribute(String name, JsonNode value) {
		ObjectNode copy = (this.attributes instanceof ObjectNode object) ? object.objectNode().setAll(object)
				: JsonNodeFactory.instance.objectNode();
		copy.set(name, value);
		return new NormalizedInteraction(this.source, this.connection, this.sourceId, this.threadId, this.participantId,
				this.participantExternalId, this.participantType, this.organizationId, this.organizationExternalId,
				this.productId, this.versionId, this.model, this.status, this.inputText, this.outputText, this.messages,
				this.inputTokens, this.outputTokens, this.rating, this.ratingMin, this.ratingMax, this.feedback,
				this.createdAt, this.updatedAt, copy, this.raw);
	}

	/**
	 * @param value the rating
	 * @param min the lowest value of its scale
	 * @param max the highest value of its scale
	 * @param source where it came from (the {@value #RATING_SOURCE} attribute)
	 * @return this interaction with that rating
	 */
	public NormalizedInteraction withRating(BigDecimal value, BigDecimal min, BigDecimal max, String source) {
		ObjectNode copy = (this.attributes instanceof ObjectNode object) ? object.objectNode().setAll(object)
				: JsonNodeFactory.instance.objectNode();
		copy.put(RATING_SOURCE, source);
		return new NormalizedInteraction(this.source, this.connection, this.sourceId, this.threadId, this.participantId,
				this.participantExternalId, this.participantType, this.organizationId, this.organizationExternalId,
				this.productId, this.versionId, this.model, this.status, this.inputText, this.outputText, this.messages,
				this.inputTokens, this.outputTokens, value, min, max, this.feedback, this.createdAt, this.updatedAt,
				copy, this.raw);
	}

	/**
	 * @param feedback the user's feedback text
	 * @return this interaction with that feedback
	 */
	public NormalizedInteraction withFeedback(String feedback) {
		return new NormalizedInteraction(this.source, this.connection, this.sourceId, this.threadId, this.participantId,
				this.participantExternalId, this.participantType, this.organizationId, this.organizationExternalId,
				this.productId, this.versionId, this.model, this.status, this.inputText, this.outputText, this.messages,
				this.inputTokens, this.outputTokens, this.rating, this.ratingMin, this.ratingMax, feedback,
				this.createdAt, this.updatedAt, this.attributes, this.raw);
	}

	/**
	 * @param externalId the customer's own id of the participant
	 * @return this interaction with that id
	 */
	public NormalizedInteraction withParticipantExternalId(String externalId) {
		return new NormalizedInteraction(this.source, this.connection, this.sourceId, this.threadId, this.participantId,
				externalId, this.participantType, this.organizationId, this.organizationExternalId, this.productId,
				this.versionId, this.model, this.status, this.inputText, this.outputText, this.messages,
				this.inputTokens, this.outputTokens, this.rating, this.ratingMin, this.ratingMax, this.feedback,
				this.createdAt, this.updatedAt, this.attributes, this.raw);
	}

	public static Builder builder(String source, String connection, String sourceId) {
		return new Builder(source, connection, sourceId);
	}

	/**
	 * Builds a {@link NormalizedInteraction} field by field; connectors set what their
	 * upstream has.
	 */
	public static final class Builder {

		private final String source;

		private final String connection;

		private final String sourceId;

		private String threadId;

		private String participantId;

		private String participantExternalId;

		private String participantType;

		private String organizationId;

		private String organizationExternalId;

		private String productId;

		private String versionId;

		private String model;

		private InteractionStatus status;

		private String inputText;

		private String outputText;

		private List<Message> messages;

		private Long inputTokens;

		private Long outputTokens;

		private BigDecimal rating;

		private BigDecimal ratingMin;

		private BigDecimal ratingMax;

		private String feedback;

		private Instant createdAt;

		private Instant updatedAt;

		private JsonNode attributes;

		private JsonNode raw;

		private Builder(String source, String connection, String sourceId) {
			this.source = source;
			this.connection = connection;
			this.sourceId = sourceId;
		}

		public Builder threadId(String threadId) {
			this.threadId = threadId;
			return this;
		}

		public Builder participant(String id, String externalId, String type) {
			this.participantId = id;
			this.participantExternalId = externalId;
			this.participantType = type;
			return this;
		}

		public Builder organization(String id, String externalId) {
			this.organizationId = id;
			this.organizationExternalId = externalId;
			return this;
		}

		public Builder productId(String productId) {
			this.productId = productId;
			return this;
		}

		public Builder versionId(String versionId) {
			this.versionId = versionId;
			return this;
		}

		public Builder model(String model) {
			this.model = model;
			return this;
		}

		public Builder status(InteractionStatus status) {
			this.status = status;
			return this;
		}

		public Builder text(String inputText, String outputText) {
			this.inputText = inputText;
			this.outputText = outputText;
			return this;
		}

		public Builder messages(List<Message> messages) {
			this.messages = messages;
			return this;
		}

		public Builder tokens(Long inputTokens, Long outputTokens) {
			this.inputTokens = inputTokens;
			this.outputTokens = outputTokens;
			return this;
		}

		public Builder rating(BigDecimal value, BigDecimal min, BigDecimal max) {
			this.rating = value;
			this.ratingMin = min;
			this.ratingMax = max;
			return this;
		}

		public Builder feedback(String feedback) {
			this.feedback = feedback;
			return this;
		}

		public Builder timestamps(Instant createdAt, Instant updatedAt) {
			this.createdAt = createdAt;
			this.updatedAt = updatedAt;
			return this;
		}

		public Builder attributes(JsonNode attributes) {
			this.attributes = attributes;
			return this;
		}

		public Builder raw(JsonNode raw) {
			this.raw = raw;
			return this;
		}

		public NormalizedInteraction build() {
			return new NormalizedInteraction(this.source, this.connection, this.sourceId, this.threadId,
					this.participantId, this.participantExternalId, this.participantType, this.organizationId,
					this.organizationExternalId, this.productId, this.versionId, this.model, this.status,
					this.inputText, this.outputText, this.messages, this.inputTokens, this.outputTokens, this.rating,
					this.ratingMin, this.ratingMax, this.feedback, this.createdAt, this.updatedAt, this.attributes,
					this.raw);
		}

	}

}

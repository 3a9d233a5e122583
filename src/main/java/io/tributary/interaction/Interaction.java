package io.tributary.interaction;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A stored interaction, read through JPA. Rows are only ever written by
 * {@link InteractionWriter}, so the entity is immutable to Hibernate.
 */
@Entity
@Immutable
@Table(name = "interaction")
class Interaction {

	@Id
	private UUID id;

	private String source;

	private String connection;

	private String sourceId;

	private String threadId;

	private String participantId;

	private String participantExternalId;

	private String participantType;

	private String organizationId;

	private String organizationExternalId;

	private String productId;

	private String versionId;

	private String model;

	private String status;

	private String inputText;

	private String outputText;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(columnDefinition = "jsonb")
	private String messages;

	private Long inputTokens;

	private Long outputTokens;

	private BigDecimal rating;

	private BigDecimal ratingMin;

	private BigDecimal ratingMax;

	private Double ratingNormalized;

	private String feedback;

	private Instant createdAt;

	private Instant updatedAt;

	private Instant firstSeenAt;

	private Instant lastSyncedAt;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(columnDefinition = "jsonb")
	private String attributes;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(columnDefinition = "jsonb")
	private String raw;

	protected Interaction() {
	}

	UUID getId() {
		return this.id;
	}

	String getSource() {
		return this.source;
	}

	String getConnection() {
		return this.connection;
	}

	String getSourceId() {
		return this.sourceId;
	}

	String getThreadId() {
		return this.threadId;
	}

	String getParticipantId() {
		return this.participantId;
	}

	String getParticipantExternalId() {
		return this.participantExternalId;
	}

	String getParticipantType() {
		return this.participantType;
	}

	String getOrganizationId() {
		return this.organizationId;
	}

	String getOrganizationExternalId() {
		return this.organizationExternalId;
	}

	String getProductId() {
		return this.productId;
	}

	String getVersionId() {
		return this.versionId;
	}

	String getModel() {
		return this.model;
	}

	String getStatus() {
		return this.status;
	}

	String getInputText() {
		return this.inputText;
	}

	String getOutputText() {
		return this.outputText;
	}

	String getMessages() {
		return this.messages;
	}

	Long getInputTokens() {
		return this.inputTokens;
	}

	Long getOutputTokens() {
		return this.outputTokens;
	}

	BigDecimal getRating() {
		return this.rating;
	}

	BigDecimal getRatingMin() {
		return this.ratingMin;
	}

	BigDecimal getRatingMax() {
		return this.ratingMax;
	}

	Double getRatingNormalized() {
		return this.ratingNormalized;
	}

	String getFeedback() {
		return this.feedback;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getUpdatedAt() {
		return this.updatedAt;
	}

	Instant getFirstSeenAt() {
		return this.firstSeenAt;
	}

	Instant getLastSyncedAt() {
		return this.lastSyncedAt;
	}

	String getAttributes() {
		return this.attributes;
	}

	String getRaw() {
		return this.raw;
	}

}

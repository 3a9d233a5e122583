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
 * The model of the {@code interaction} table: Hibernate validates it against the schema
 * Flyway built ({@code ddl-auto=validate}) when the application starts, so a migration
 * and the model cannot drift apart unnoticed. Rows are only ever written by
 * {@link InteractionWriter}, so the entity is immutable to Hibernate; the API reads rows
 * through {@link InteractionQuery}'s one row mapping.
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

	private Instant deletedAt;

	private int missedPasses;

	/** Computed by PostgreSQL: whether text search covers only the start of the texts. */
	private boolean searchTruncated;

	protected Interaction() {
	}

}

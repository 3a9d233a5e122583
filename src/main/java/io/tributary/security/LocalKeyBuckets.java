package io.tributary.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * The buckets of the API keys in this process only: each replica lets a key send its
 * whole limit. Used where there is no database (web slice tests), with
 * {@code tributary.security.shared-rate-limit.enabled=false}, and by
 * {@link SharedKeyBuckets} while the database does not answer.
 * <p>
 * One bucket per key and limit ({@link ApiKeys.Key#bucketId()}), made on the key's first
 * request; at most {@value #MAX_BUCKETS}, the least recently used forgotten first (there
 * are far fewer keys: configured ones and at most
 * {@code tributary.security.stored-keys.max-active} stored ones).
 */
final class LocalKeyBuckets implements KeyBuckets {

	static final int MAX_BUCKETS = 10_000;

	private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(MAX_BUCKETS).build();

	@Override
	public ConsumptionProbe tryConsume(ApiKeys.Key key) {
		return this.buckets.get(key.bucketId(), (id) -> Bucket.builder().addLimit(key.bandwidth()).build())
			.tryConsumeAndReturnRemaining(1);
	}

}

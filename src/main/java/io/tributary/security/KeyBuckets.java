package io.tributary.security;

import io.github.bucket4j.ConsumptionProbe;

/**
 * Where the token buckets of the API keys live: in this process
 * ({@link LocalKeyBuckets}), or in PostgreSQL, shared by every replica
 * ({@link SharedKeyBuckets}).
 */
interface KeyBuckets {

	/**
	 * Takes one token of the key's bucket, when it has one.
	 * @param key the request's key
	 * @return whether a token was taken, what is left and how long until the next one
	 */
	ConsumptionProbe tryConsume(ApiKeys.Key key);

}

package io.tributary.source.flockx;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.sources.<name>.flockx}.
 *
 * @param authScheme {@code Authorization: <scheme> <key>}; empty sends the bare key
 * @param agentId only this agent's interactions
 * @param channelId only this channel's interactions
 * @param includeIncomplete also read interactions still in progress (stored as
 * in_progress, updated when they complete)
 */
record FlockxSettings(@DefaultValue("Token") String authScheme, String agentId, String channelId,
		@DefaultValue("true") boolean includeIncomplete) {
}

package io.tributary.source.flockx;

import java.math.BigDecimal;
import java.util.Map;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.sources.<name>.flockx}.
 *
 * @param authScheme {@code Authorization: <scheme> <key>}; empty sends the bare key
 * @param agentId only this agent's interactions
 * @param channelId only this channel's interactions
 * @param includeIncomplete also read interactions still in progress (stored as
 * in_progress, updated when they complete)
 * @param reactionScores what each emoji reaction is worth: an interaction's reactions
 * become its rating (the count-weighted average of the scores of the emojis listed here,
 * on the scale from the lowest to the highest score; other emojis are ignored), with
 * rating source {@code reactions}. Default 👍 = 1, 👎 = 0; an empty map turns it off.
 * Keys with emojis are written in brackets in YAML: {@code "[👍]": 1}.
 */
record FlockxSettings(@DefaultValue("Token") String authScheme, String agentId, String channelId,
		@DefaultValue("true") boolean includeIncomplete, Map<String, BigDecimal> reactionScores) {

	FlockxSettings {
		reactionScores = (reactionScores != null) ? Map.copyOf(reactionScores)
				: Map.of("\uD83D\uDC4D", BigDecimal.ONE, "\uD83D\uDC4E", BigDecimal.ZERO);
	}

}

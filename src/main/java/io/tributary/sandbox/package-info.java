/**
 * Simulated Greenflash, Zylon and Flockx APIs served by the gateway itself under
 * {@code /sandbox/…} (profile {@code demo}), faithful to the vendor contracts: auth,
 * envelopes, pagination, errors. The data is seeded and deterministic: a few hundred
 * interactions per source over the last 30 days, new ones arriving while the app runs,
 * ratings arriving late and Flockx and Zylon items that complete after a while. An
 * optional chaos mode ({@code tributary.sandbox.chaos.*}, off by default and in the demo)
 * makes the upstreams answer 5xx, 429, slowly or with truncated bodies, and deletes a
 * share of the items over time.
 */
package io.tributary.sandbox;

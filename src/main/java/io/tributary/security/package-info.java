/**
 * Who may call the API: API keys with scopes ({@code read}, {@code operate}), optionally
 * limited to some connections and rate-limited per key, CORS for browser dashboards, and
 * 401/403/429 answered as problem documents. Nothing else in the application knows Spring
 * Security; features see the caller only through
 * {@link io.tributary.common.ConnectionScope}.
 */
package io.tributary.security;
